import { useEffect } from 'react';
import { useProfiles } from '../../store/profiles.ts';
import { WorkspaceLine } from '../workspace/WorkspaceLine.tsx';
import { AddProfileForm } from './AddProfileForm.tsx';
import { ProfileCard } from './ProfileCard.tsx';

export function ProfilesPage() {
  const { profiles, activeId, team, refresh } = useProfiles();
  // On a team workspace a teammate adds and renames profiles: opening the page shows the team's list as it is now.
  useEffect(() => void refresh(), [refresh]);
  const real = profiles.filter((p) => !p.isSandbox);
  return (
    <section className="page" data-testid="page-profiles">
      <h1>Profiles</h1>
      <p className="lead">
        Each profile is one Clerk instance. Its secret key stays in your OS keychain; Invite Desk stores only a fingerprint.
      </p>
      <WorkspaceLine />
      {real.length === 0 && (
        <p className="callout" data-testid="profiles-empty">
          No Clerk instance yet. Add one with its secret key below, or try everything first with the built-in <strong>Sandbox</strong>.
        </p>
      )}
      <div className="profiles-layout">
        <ul className="profile-list" data-testid="profile-list">
          {profiles.map((p) => (
            <ProfileCard key={`${p.id}:${p.updatedAt}`} profile={p} active={p.id === activeId} team={team === true} />
          ))}
        </ul>
        <AddProfileForm />
      </div>
    </section>
  );
}
