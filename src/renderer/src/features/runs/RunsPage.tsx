import { EmptyState } from '../../components/EmptyState.tsx';

export function RunsPage() {
  return (
    <section className="page" data-testid="page-runs">
      <h1>Runs</h1>
      <EmptyState title="No runs yet" testId="runs-empty">
        <p>Every batch of invitations you send will be listed here with what was sent, what failed and why.</p>
        <p>Sending is not in this version yet.</p>
      </EmptyState>
    </section>
  );
}
