import { useEffect } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { subscribeRuns, useRuns } from '../../store/runs.ts';
import { RunDetail } from './RunDetail.tsx';

const when = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function RunsPage() {
  const { runs, openId, load, open } = useRuns();
  useEffect(() => {
    subscribeRuns();
    void load();
  }, [load]);
  return (
    <section className="page runs-page" data-testid="page-runs">
      <h1>Runs</h1>
      {runs.length === 0 ? (
        <EmptyState title="No runs yet" testId="runs-empty">
          <p>Open a sheet and press “Send…”. Every run is listed here with what was sent, what failed and why.</p>
        </EmptyState>
      ) : (
        <div className="runs-layout">
          <table className="runs-list" data-testid="runs-list">
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className={r.id === openId ? 'selected' : ''} data-testid="run-item" onClick={() => void open(r.id)}>
                  <td>
                    <strong>{r.sheetName}</strong>
                    <div className="muted small">
                      {when(r.createdAt)} · {r.profileName}
                    </div>
                  </td>
                  <td className="small">
                    {r.counts.sent}/{r.counts.total - r.counts.skipped} sent
                    {r.counts.failed ? `, ${r.counts.failed} failed` : ''}
                  </td>
                  <td className={`small run-state state-${r.state}`}>{r.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {openId ? <RunDetail runId={openId} /> : <p className="muted">Pick a run to see its rows.</p>}
        </div>
      )}
    </section>
  );
}
