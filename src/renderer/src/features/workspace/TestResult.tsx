/** “Test connection” answered: where, which PostgreSQL, and what the team database holds now. */
import { plural } from '../../../../shared/plural.ts';
import type { WorkspaceTestResult } from '../../../../shared/domain/workspace.ts';

const count = (n: number | null, what: string) => (n === null ? null : plural(n, what));

export function TestResult({ result }: { result: WorkspaceTestResult }) {
  const held = [count(result.holds.runs, 'run'), count(result.holds.profiles, 'profile'), count(result.holds.sheets, 'sheet')].filter(
    (x): x is string => x !== null,
  );
  return (
    <div className="callout ws-tested" role="status" data-testid="ws-test-ok">
      <p>
        <strong>Connected</strong> to {result.target}, PostgreSQL {result.serverVersion}.
      </p>
      <p data-testid="ws-holds">
        {result.setUp
          ? `The team workspace holds ${held.length ? held.join(', ') : 'nothing yet'}.`
          : 'Invite Desk has not set this database up yet: switching creates its tables.'}
      </p>
      {result.note && (
        <p className="ws-tls-off" data-testid="ws-note">
          {result.note}
        </p>
      )}
    </div>
  );
}
