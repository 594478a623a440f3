import { EmptyState } from '../../components/EmptyState.tsx';
import { useProfiles } from '../../store/profiles.ts';
import { useUi } from '../../store/ui.ts';

export function SheetsPage() {
  const active = useProfiles((s) => s.profiles.find((p) => p.id === s.activeId) ?? null);
  const go = useUi((s) => s.go);
  return (
    <section className="page" data-testid="page-sheets">
      <h1>Sheets</h1>
      <EmptyState title="No sheets yet" testId="sheets-empty">
        <p>
          A sheet is a list of people to invite. Importing CSV, TSV and Excel files and editing them here is the next part of Invite Desk
          being built; it is not in this version yet.
        </p>
        {active?.isSandbox ? (
          <p>
            You are on the <strong>Sandbox</strong>: nothing you do reaches Clerk.{' '}
            <button type="button" className="link" onClick={() => go('profiles')}>
              Add your own Clerk instance
            </button>{' '}
            when you are ready.
          </p>
        ) : (
          <p>
            Invitations will go to <strong>{active?.name}</strong> ({active?.environment}).
          </p>
        )}
      </EmptyState>
    </section>
  );
}
