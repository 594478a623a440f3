/** Header control: which Clerk instance every action goes to, with its environment and key fingerprint. */
import { getApi } from '../../lib/api.ts';
import { useProfiles } from '../../store/profiles.ts';
import { useUi } from '../../store/ui.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';

export function ProfileSwitcher() {
  const { profiles, activeId } = useProfiles();
  const toast = useUi((s) => s.toast);
  const active = profiles.find((p) => p.id === activeId) ?? null;
  const select = async (id: string) => {
    const r = await getApi().profilesSelect({ id });
    if (!r.ok) toast('error', r.error.message);
  };
  return (
    <div
      className={`switcher ${active?.environment === 'production' && !active.isSandbox ? 'switcher-prod' : ''}`}
      data-testid="profile-switcher"
    >
      {active && <EnvBadge profile={active} />}
      <select aria-label="Active profile" data-testid="profile-select" value={activeId ?? ''} onChange={(e) => void select(e.target.value)}>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} · {p.isSandbox ? 'sandbox' : p.environment}
          </option>
        ))}
      </select>
      {active && (
        <code className="fingerprint" data-testid="active-fingerprint" title="Key fingerprint (the key itself never leaves the keychain)">
          {active.fingerprint}
        </code>
      )}
    </div>
  );
}
