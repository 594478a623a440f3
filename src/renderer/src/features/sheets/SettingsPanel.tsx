/** Sheet-wide settings: kind, organization, role, inviter, defaults, and the template metadata. Per-row cells win. */
import { plural } from '../../../../shared/plural.ts';
import { useEffect, useState } from 'react';
import type { OrganizationOption, RoleOption } from '../../../../shared/ipc/contract.ts';
import type { SheetSettings } from '../../../../shared/domain/sheet/types.ts';
import { JsonEditor } from '../../components/JsonEditor.tsx';
import { getApi } from '../../lib/api.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { useSheet } from '../../store/sheet.ts';

export function SettingsPanel() {
  const doc = useSheet((s) => s.doc)!;
  const apply = useSheet((s) => s.apply);
  const profile = useActiveProfile();
  const s = doc.settings;
  const [orgs, setOrgs] = useState<OrganizationOption[] | null>(null);
  const [rolesOf, setRolesOf] = useState<{ org: string; roles: RoleOption[] }>({ org: '', roles: [] });
  const roles = rolesOf.org === s.organizationId ? rolesOf.roles : [];
  const [lookupError, setLookupError] = useState<string | null>(null);
  const set = (patch: Partial<SheetSettings>, label = 'Change sheet settings') =>
    apply({ kind: 'settings', label, before: s, after: { ...s, ...patch } });

  useEffect(() => {
    if (s.kind !== 'org' || !profile) return;
    let live = true;
    void getApi()
      .orgsList({ profileId: profile.id })
      .then((r) => {
        if (!live) return;
        if (r.ok) setOrgs(r.value);
        else setLookupError(`Could not list organizations of “${profile.name}”: ${r.error.message}`);
      });
    return () => {
      live = false;
    };
  }, [s.kind, profile]);

  useEffect(() => {
    if (s.kind !== 'org' || !profile || !s.organizationId) return;
    let live = true;
    const org = s.organizationId;
    void getApi()
      .orgsRoles({ profileId: profile.id, organizationId: org })
      .then((r) => live && r.ok && setRolesOf({ org, roles: r.value.roles }));
    return () => {
      live = false;
    };
  }, [s.kind, s.organizationId, profile]);

  return (
    <div className="panel settings" data-testid="settings-panel">
      <h4>Sheet settings</h4>
      <fieldset>
        <legend>Invitations to</legend>
        <label>
          <input type="radio" checked={s.kind === 'app'} onChange={() => set({ kind: 'app' })} /> the application
        </label>
        <label>
          <input type="radio" checked={s.kind === 'org'} onChange={() => set({ kind: 'org' })} data-testid="settings-kind-org" /> an
          organization
        </label>
      </fieldset>
      {s.kind === 'org' && (
        <>
          <label>
            Organization {profile && <span className="muted">(from {profile.name})</span>}
            <select
              value={s.organizationId}
              data-testid="settings-org"
              onChange={(e) => {
                const o = orgs?.find((x) => x.id === e.target.value);
                set({ organizationId: e.target.value, organizationName: o?.name ?? '', role: '' }, 'Pick organization');
              }}
            >
              <option value="">{orgs ? 'Pick an organization…' : 'Loading…'}</option>
              {s.organizationId && !orgs?.some((o) => o.id === s.organizationId) && (
                <option value={s.organizationId}>{s.organizationName || s.organizationId}</option>
              )}
              {orgs?.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} ({o.slug}){o.membersCount !== null ? ` · ${plural(o.membersCount, 'member')}` : ''}
                </option>
              ))}
            </select>
          </label>
          {lookupError && <p className="field-error">{lookupError}</p>}
          <label>
            Default role
            <select value={s.role} onChange={(e) => set({ role: e.target.value })} data-testid="settings-role">
              <option value="">{s.organizationId ? 'Pick a role…' : 'Pick an organization first'}</option>
              {s.role && !roles.some((r) => r.key === s.role) && <option value={s.role}>{s.role}</option>}
              {roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name} ({r.key})
                </option>
              ))}
            </select>
          </label>
          <label>
            Inviter user ID <span className="muted">(must be an admin of the organization)</span>
            <input
              value={s.inviterUserId}
              onChange={(e) => set({ inviterUserId: e.target.value.trim() })}
              placeholder="user_…"
              data-testid="settings-inviter"
            />
          </label>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={s.notify} onChange={(e) => set({ notify: e.target.checked })} /> Email the invitation (notify)
      </label>
      {s.kind === 'app' && (
        <label className="check">
          <input type="checkbox" checked={s.ignoreExisting} onChange={(e) => set({ ignoreExisting: e.target.checked })} /> Ignore existing
          invitations and users
        </label>
      )}
      <label>
        Expires in days <span className="muted">(1–365; blank = Clerk’s 30)</span>
        <input
          value={s.expiresInDays}
          onChange={(e) => set({ expiresInDays: e.target.value.trim() })}
          inputMode="numeric"
          data-testid="settings-expires"
        />
      </label>
      <label>
        Redirect URL
        <input
          value={s.redirectUrl}
          onChange={(e) => set({ redirectUrl: e.target.value.trim() })}
          placeholder="https://app.example.com/welcome"
          data-testid="settings-redirect"
        />
      </label>
      {s.kind === 'app' && (
        <label>
          Email template
          <select value={s.templateSlug} onChange={(e) => set({ templateSlug: e.target.value as SheetSettings['templateSlug'] })}>
            <option value="">Clerk’s default</option>
            <option value="invitation">invitation</option>
            <option value="waitlist_invitation">waitlist_invitation</option>
          </select>
        </label>
      )}
      <fieldset>
        <legend>Blank metadata cells</legend>
        <label>
          <input type="radio" checked={s.blankCells === 'omit'} onChange={() => set({ blankCells: 'omit' })} /> leave the key out
        </label>
        <label>
          <input type="radio" checked={s.blankCells === 'null'} onChange={() => set({ blankCells: 'null' })} /> set it to null
        </label>
      </fieldset>
      <TemplateEditor
        key={`pub:${s.templatePublic}`}
        label="Template public metadata (every row starts from it)"
        testId="template-public"
        value={s.templatePublic}
        onSave={(v) => set({ templatePublic: v }, 'Edit template metadata')}
      />
      {s.kind === 'org' && (
        <TemplateEditor
          key={`priv:${s.templatePrivate}`}
          label="Template private metadata"
          testId="template-private"
          value={s.templatePrivate}
          onSave={(v) => set({ templatePrivate: v }, 'Edit template metadata')}
        />
      )}
    </div>
  );
}

function TemplateEditor({ label, value, onSave, testId }: { label: string; value: string; onSave: (v: string) => void; testId: string }) {
  const [draft, setDraft] = useState(value);
  return (
    <div>
      <label className="small">{label}</label>
      <JsonEditor label={label} testId={testId} value={draft} onChange={setDraft} height="90px" />
      {draft !== value && (
        <button type="button" onClick={() => onSave(draft)} data-testid={`${testId}-save`}>
          Save template
        </button>
      )}
    </div>
  );
}
