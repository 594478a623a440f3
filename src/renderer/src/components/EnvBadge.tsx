import type { ProfileView } from '../../../shared/domain/profile.ts';

/** Production is red everywhere; the Sandbox is labelled as one. */
export function EnvBadge({ profile }: { profile: Pick<ProfileView, 'environment' | 'isSandbox'> }) {
  if (profile.isSandbox)
    return (
      <span className="badge badge-sandbox" data-testid="env-badge">
        Sandbox
      </span>
    );
  return profile.environment === 'production' ? (
    <span className="badge badge-prod" data-testid="env-badge">
      Production
    </span>
  ) : (
    <span className="badge badge-dev" data-testid="env-badge">
      Development
    </span>
  );
}
