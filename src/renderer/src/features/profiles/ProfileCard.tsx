import { useRef, useState } from 'react';
import type { ProfileHealth, ProfileView } from '../../../../shared/domain/profile.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { getApi } from '../../lib/api.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { useUi } from '../../store/ui.ts';

type Mode = 'view' | 'rename' | 'replace' | 'delete';

export function ProfileCard({ profile, active, team = false }: { profile: ProfileView; active: boolean; team?: boolean }) {
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(profile.name);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [health, setHealth] = useState<ProfileHealth | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useUi((s) => s.toast);
  const api = getApi();
  const prod = profile.environment === 'production' && !profile.isSandbox;

  const run = async (op: () => Promise<{ ok: boolean; error?: { message: string } }>, done: string) => {
    setBusy(true);
    setError(null);
    const r = await op();
    setBusy(false);
    if (!r.ok) return setError(r.error?.message ?? 'Failed');
    setMode('view');
    setKey('');
    toast('info', done);
  };

  return (
    <li className={`card profile ${prod ? 'profile-prod' : ''} ${active ? 'profile-active' : ''}`} data-testid={`profile-${profile.id}`}>
      <div className="profile-head">
        <EnvBadge profile={profile} />
        <strong className="profile-name" data-testid="profile-card-name">
          {profile.name}
        </strong>
        {active && <span className="muted">active</span>}
      </div>
      <dl className="profile-facts">
        <dt>Instance</dt>
        <dd>
          <code>{profile.instanceId}</code>
        </dd>
        <dt>Key</dt>
        <dd>
          {profile.keyMissing ? (
            <span className="muted" data-testid="profile-fingerprint">
              not entered on this computer
            </span>
          ) : (
            <code data-testid="profile-fingerprint">{profile.fingerprint}</code>
          )}
        </dd>
        {profile.baseUrl !== 'https://api.clerk.com/v1' && (
          <>
            <dt>API</dt>
            <dd>
              <code>{profile.baseUrl}</code>
            </dd>
          </>
        )}
      </dl>
      {profile.isSandbox && (
        <p className="hint">A Clerk emulator running inside Invite Desk. Nothing is sent to Clerk; its data is gone when the app quits.</p>
      )}
      {health ? (
        <p className={health.api === 'ok' ? 'health ok' : 'health bad'} data-testid="profile-health">
          {health.message}
        </p>
      ) : (
        profile.keyMissing && (
          // What Check says of a key the keychain lacks, shown at once: a teammate shared this profile, not its key.
          <p className="health bad" data-testid="profile-health">
            Shared by your team: enter your own key of {profile.instanceId} to use it here. Keys are never shared; yours stays in this
            computer's keychain.
          </p>
        )
      )}
      {mode === 'view' && (
        <div className="actions">
          {!active && (
            <button type="button" onClick={() => void api.profilesSelect({ id: profile.id })} data-testid="profile-use">
              Use
            </button>
          )}
          <button
            type="button"
            disabled={busy}
            data-testid="profile-check"
            onClick={async () => {
              setBusy(true);
              const r = await api.profilesCheck({ id: profile.id });
              setBusy(false);
              if (r.ok) setHealth(r.value);
              else setError(r.error.message);
            }}
          >
            Check
          </button>
          {!profile.isSandbox && (
            <>
              <button type="button" onClick={() => setMode('rename')} data-testid="profile-rename">
                Rename
              </button>
              <button type="button" onClick={() => setMode('replace')} data-testid="profile-replace">
                {profile.keyMissing ? 'Enter key' : 'Replace key'}
              </button>
              <button type="button" className="danger" onClick={() => setMode('delete')} data-testid="profile-delete">
                Delete
              </button>
            </>
          )}
        </div>
      )}
      {mode === 'rename' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api.profilesRename({ id: profile.id, name }), `Renamed to “${name.trim()}”.`);
          }}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            aria-label="New name"
            data-testid="rename-input"
            autoFocus
          />
          <button type="submit" className="primary" disabled={busy} data-testid="rename-save">
            Save
          </button>
          <button
            type="button"
            onClick={() => {
              setMode('view');
              setName(profile.name);
            }}
          >
            Cancel
          </button>
        </form>
      )}
      {mode === 'replace' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              () => api.profilesReplaceKey({ id: profile.id, secretKey: key }),
              profile.keyMissing ? 'Key entered: it is in your OS keychain.' : 'Key replaced.',
            );
          }}
        >
          <input
            type="password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder={profile.keyMissing ? `Your secret key of ${profile.instanceId}` : 'New secret key for the same instance'}
            aria-label="New secret key"
            autoComplete="off"
            data-testid="replace-input"
            autoFocus
          />
          <button type="submit" className="primary" disabled={busy} data-testid="replace-save">
            Check and replace
          </button>
          <button
            type="button"
            onClick={() => {
              setMode('view');
              setKey('');
            }}
          >
            Cancel
          </button>
        </form>
      )}
      {mode === 'delete' && (
        <ConfirmDelete
          name={profile.name}
          team={team}
          busy={busy}
          onCancel={() => setMode('view')}
          onKeep={() =>
            void run(
              () => api.profilesDelete({ id: profile.id, keepHistory: true }),
              team
                ? `Deleted “${profile.name}” for the whole team; its runs stay in the team's history.`
                : `Deleted “${profile.name}”; its runs stay in the history.`,
            )
          }
          onWithHistory={() =>
            void run(() => api.profilesDelete({ id: profile.id, keepHistory: false }), `Deleted “${profile.name}” and its finished runs.`)
          }
        />
      )}
      {error && (
        <div className="form-error" role="alert" data-testid="profile-error">
          {error}
        </div>
      )}
    </li>
  );
}

/**
 * Deleting a profile asks first; focus starts on Cancel (the safe choice), Escape backs out. On a team workspace the
 * profile is every member's: the question says so, and its runs (the team's history) always stay.
 */
function ConfirmDelete(props: {
  name: string;
  team: boolean;
  busy: boolean;
  onCancel: () => void;
  onKeep: () => void;
  onWithHistory: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, props.onCancel);
  return (
    <div className="confirm" role="alertdialog" aria-modal="true" aria-labelledby="delete-profile-question" ref={ref} tabIndex={-1}>
      <p id="delete-profile-question">
        {props.team
          ? `Delete “${props.name}” for the whole team? It goes from every member’s Profiles page, and its key from this computer’s keychain (teammates remove theirs). Its runs stay in the team’s history.`
          : `Delete “${props.name}” and remove its key from the OS keychain? Its past runs can stay in the history.`}
      </p>
      <button type="button" className="danger" disabled={props.busy} data-testid="delete-confirm" onClick={props.onKeep}>
        {props.team ? 'Delete for the team' : 'Delete, keep its history'}
      </button>
      {!props.team && (
        <button type="button" className="danger" disabled={props.busy} data-testid="delete-with-history" onClick={props.onWithHistory}>
          Delete with its history
        </button>
      )}
      <button type="button" onClick={props.onCancel} data-autofocus data-testid="delete-cancel">
        Cancel
      </button>
    </div>
  );
}
