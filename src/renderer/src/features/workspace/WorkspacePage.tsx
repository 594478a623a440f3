/**
 * Workspace (View → Workspace…, Ctrl+,): this computer or a team's PostgreSQL. The URL, a password that is never shown
 * back (it goes to the keychain), TLS on by default, a connection test with its result, and a switch that asks first
 * (SwitchDialog). Refusals show next to the field they are about; nothing typed is lost.
 */
import { useEffect, type FormEvent } from 'react';
import { describeCounts } from '../../../../shared/domain/workspace.ts';
import { useWorkspace } from '../../store/workspace.ts';
import { SwitchDialog } from './SwitchDialog.tsx';
import { TestResult } from './TestResult.tsx';

const FIELDS = ['url', 'password', 'tls'] as const;

export function WorkspacePage() {
  const { view, loadError, draft, edit, testing, tested, error, switching, switched, confirming } = useWorkspace();
  const { load, test, askSwitch } = useWorkspace.getState();
  useEffect(() => void load(), [load]);
  if (loadError) return <p className="form-error">{loadError.message}</p>;
  if (!view) return null;

  const current = view.config;
  const team = draft.kind === 'team';
  const errField = error?.field && (FIELDS as readonly string[]).includes(error.field) ? error.field : null;
  const fieldError = (field: string) =>
    errField === field ? (
      <span className="field-error" role="alert" id={`ws-error-${field}`} data-testid={`ws-error-${field}`}>
        {error?.message}
      </span>
    ) : null;
  const invalid = (field: string) => (errField === field ? { 'aria-invalid': true, 'aria-describedby': `ws-error-${field}` } : {});
  const same =
    draft.kind === current.kind &&
    (current.kind === 'local' ||
      (draft.url.trim() === current.url &&
        draft.tls === current.tls &&
        draft.fourEyes === current.fourEyes &&
        !draft.password &&
        !draft.copyHistory));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (team) void test();
  };

  return (
    <section className="page workspace-page" data-testid="page-workspace">
      <h1>Workspace</h1>
      <p className="lead">
        Where runs, sheets and profiles are kept. Secret keys always stay in this computer’s keychain, whichever you choose.
      </p>
      {view.warning && (
        <p className="notice notice-warning" role="alert" data-testid="ws-warning">
          {view.warning}
        </p>
      )}
      <form className="card form workspace-form" onSubmit={onSubmit} aria-busy={testing || switching}>
        <fieldset data-testid="ws-choice">
          <legend>Keep everything</legend>
          <label>
            <input type="radio" name="ws-kind" checked={!team} onChange={() => edit({ kind: 'local' })} data-testid="ws-local" />
            <span>
              <strong>On this computer</strong>{' '}
              <span className="hint">
                (the default: its own database{current.kind === 'local' ? ', in use now' : ''}; {describeCounts(view.local)})
              </span>
            </span>
          </label>
          <label>
            <input type="radio" name="ws-kind" checked={team} onChange={() => edit({ kind: 'team' })} data-testid="ws-team" />
            <span>
              <strong>In a team workspace</strong>{' '}
              <span className="hint">
                (your team’s PostgreSQL 14+: colleagues share one hourly budget, the history and runs
                {current.kind === 'team' ? `; in use now: ${view.target ?? ''}` : ''})
              </span>
            </span>
          </label>
        </fieldset>

        {team && (
          <>
            <label>
              Database URL
              <input
                value={draft.url}
                onChange={(e) => edit({ url: e.target.value })}
                placeholder="postgres://you@db.example.com:5432/invites"
                spellCheck={false}
                autoComplete="off"
                data-testid="ws-url"
                {...invalid('url')}
              />
              <span className="hint">From your admin: user, host, port and database. Leave the password out; it has its own field.</span>
              {fieldError('url')}
            </label>
            <label>
              Password
              <input
                type="password"
                value={draft.password}
                onChange={(e) => edit({ password: e.target.value })}
                placeholder={view.passwordSaved && current.kind === 'team' ? 'Saved in your keychain' : ''}
                autoComplete="off"
                data-testid="ws-password"
                {...invalid('password')}
              />
              <span className="hint">Kept in your keychain, like the keys; never in a file and never shown again.</span>
              {fieldError('password')}
            </label>
            <label className="check ws-switch">
              <input
                type="checkbox"
                role="switch"
                checked={draft.tls}
                onChange={(e) => edit({ tls: e.target.checked })}
                data-testid="ws-tls"
                {...invalid('tls')}
              />
              <span>
                <strong>TLS</strong> (encrypted, the server’s certificate checked)
              </span>
            </label>
            {!draft.tls && (
              <p className="ws-tls-off" role="note" data-testid="ws-tls-warning">
                Without TLS the password and every email address cross the network readable. Turn it off only for a server on your own
                machine or private network.
              </p>
            )}
            {fieldError('tls')}
            <label className="check">
              <input
                type="checkbox"
                checked={draft.fourEyes}
                onChange={(e) => edit({ fourEyes: e.target.checked })}
                data-testid="ws-four-eyes"
              />
              <span>
                <strong>Four eyes on production</strong>: a production run starts only once another member approves it
              </span>
            </label>
            {view.local.runs > 0 && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.copyHistory}
                  onChange={(e) => edit({ copyHistory: e.target.checked })}
                  data-testid="ws-copy-history"
                />
                <span>Copy this computer’s history ({describeCounts(view.local)}) into the team workspace, checked by counting</span>
              </label>
            )}
          </>
        )}

        {error && !errField && (
          <div className="form-error" role="alert" data-testid="ws-error">
            {error.message}
          </div>
        )}
        {tested && <TestResult result={tested} />}
        {switched && (
          <p className="callout" role="status" data-testid="ws-switched">
            {switched.message}
          </p>
        )}
        <div className="actions">
          {team && (
            <button type="submit" disabled={testing || switching || !draft.url.trim()} data-testid="ws-test">
              {testing ? 'Testing connection…' : 'Test connection'}
            </button>
          )}
          <button
            type="button"
            className="primary"
            disabled={same || testing || switching || switched !== null || (team && !draft.url.trim())}
            onClick={askSwitch}
            data-testid="ws-switch"
          >
            {switched ? 'Restarting…' : same ? 'In use' : team ? 'Switch to the team workspace…' : 'Switch to this computer…'}
          </button>
        </div>
        {testing && (
          <p className="hint" role="status" data-testid="ws-testing">
            Connecting to the team database (at most a few seconds)…
          </p>
        )}
      </form>
      {confirming && <SwitchDialog />}
    </section>
  );
}
