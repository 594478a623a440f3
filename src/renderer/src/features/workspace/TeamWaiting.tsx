/**
 * The team database in use does not answer: nothing is sent (a journal the others cannot see would break "never
 * twice"), runs wait and go on by themselves when it answers. Said on every page with since when, how to reach it
 * (host, port, database, user, TLS; never the password) and a way to try again now. A refusal (the password, TLS, an
 * old server) is said instead, with the way to the Workspace screen to fix it.
 */
import { useEffect } from 'react';
import { clock } from '../../lib/format.ts';
import { useUi } from '../../store/ui.ts';
import { useWorkspace } from '../../store/workspace.ts';

export function TeamWaiting() {
  const waiting = useWorkspace((s) => s.waiting);
  const retrying = useWorkspace((s) => s.retrying);
  const go = useUi((s) => s.go);
  useEffect(() => useWorkspace.getState().start(), []);
  if (!waiting) return null;
  if (waiting.refused !== null)
    return (
      <div className="notices">
        <div className="notice notice-warning" role="alert" data-testid="team-refused">
          <span>{waiting.refused}</span>
          <span className="actions">
            <button type="button" onClick={() => go('workspace')} data-testid="team-refused-open">
              Open Workspace
            </button>
          </span>
        </div>
      </div>
    );
  if (waiting.since === null) return null;
  return (
    <div className="notices">
      <div className="notice notice-warning" role="alert" data-testid="team-waiting">
        <span>
          <strong>Waiting for the team database since {clock(waiting.since)}.</strong> Nothing is sent meanwhile; runs go on by themselves
          when it answers. It does not answer at {waiting.target}: check the host and port, your network or VPN, and that the server runs;
          if its password changed, enter the new one in Workspace.
        </span>
        <span className="actions">
          <button type="button" onClick={() => void useWorkspace.getState().retry()} disabled={retrying} data-testid="team-retry">
            {retrying ? 'Trying…' : 'Try again now'}
          </button>
          <button type="button" className="link" onClick={() => go('workspace')}>
            Workspace…
          </button>
        </span>
      </div>
    </div>
  );
}
