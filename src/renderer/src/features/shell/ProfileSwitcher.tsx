/** Header control: which Clerk instance every action goes to, with its environment and key fingerprint. */
import type { ProfileView } from '../../../../shared/domain/profile.ts';
import { getApi } from '../../lib/api.ts';
import { useProfiles } from '../../store/profiles.ts';
import { useUi } from '../../store/ui.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';

/** The environment in words, as the badge and the list's groups say it. */
const envName = (p: Pick<ProfileView, 'environment' | 'isSandbox'>) =>
  p.isSandbox ? 'Sandbox' : p.environment === 'production' ? 'Production' : 'Development';

export function ProfileSwitcher() {
  const { profiles, activeId } = useProfiles();
  const toast = useUi((s) => s.toast);
  const active = profiles.find((p) => p.id === activeId) ?? null;
  const select = async (id: string) => {
    const r = await getApi().profilesSelect({ id });
    if (!r.ok) toast('error', r.error.message);
  };
  // The closed list shows the profile's name alone: the badge beside it says the environment (“Acme live ·
  // production” was cut at 1024 px once Approvals took its place in the navigation). Open, the names are grouped
  // by environment, so two profiles of one name still read apart.
  const groups = [...new Set(profiles.map(envName))].map((env) => ({ env, items: profiles.filter((p) => envName(p) === env) }));
  // “sk_live_…a1b2”: the prefix repeats the badge, so below 1280 px only its last characters are shown.
  const [keyPrefix, keyEnd] = active ? splitFingerprint(active.fingerprint) : ['', ''];
  return (
    <div
      className={`switcher ${active?.environment === 'production' && !active.isSandbox ? 'switcher-prod' : ''}`}
      data-testid="profile-switcher"
    >
      {active && <EnvBadge profile={active} />}
      <select
        aria-label="Active profile"
        data-testid="profile-select"
        value={activeId ?? ''}
        title={active ? `${active.name} · ${envName(active)} · ${active.fingerprint}` : undefined}
        onChange={(e) => void select(e.target.value)}
      >
        {groups.map((g) => (
          <optgroup key={g.env} label={g.env}>
            {g.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {active && (
        <code
          className="fingerprint"
          data-testid="active-fingerprint"
          title={`Key fingerprint ${active.fingerprint} (the key itself never leaves the keychain)`}
        >
          <span className="fingerprint-prefix">{keyPrefix}</span>
          {keyEnd}
        </code>
      )}
    </div>
  );
}

/** “sk_live_…a1b2” → [“sk_live_”, “…a1b2”]; a fingerprint without the ellipsis is shown whole. */
function splitFingerprint(fp: string): [string, string] {
  const at = fp.indexOf('…');
  return at < 0 ? ['', fp] : [fp.slice(0, at), fp.slice(at)];
}
