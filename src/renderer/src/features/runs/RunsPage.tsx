import { EmptyState } from '../../components/EmptyState.tsx';
import { savedOpenRun, useRuns } from '../../store/runs.ts';
import { useEffect, useMemo, useState } from 'react';
import type { RunState } from '../../../../shared/domain/send/types.ts';
import { duration, fullWhen, when } from '../../lib/format.ts';
import { RUN_STATE_LABEL, RUN_STATES } from './labels.ts';
import { useListNav } from '../../lib/useListNav.ts';
import { HistorySearch } from './HistorySearch.tsx';
import { HistoryTools } from './HistoryTools.tsx';
import { RunDetail } from './RunDetail.tsx';

export function RunsPage() {
  const all = useRuns((s) => s.runs);
  const openId = useRuns((s) => s.openId);
  const load = useRuns((s) => s.load);
  const open = useRuns((s) => s.open);
  const [profile, setProfile] = useState('');
  const [state, setState] = useState<RunState | ''>('');
  const [kind, setKind] = useState<'' | 'invitations' | 'waitlist'>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const profiles = useMemo(() => [...new Map(all.map((r) => [r.profileId, r.profileName])).entries()], [all]);
  const fromT = from ? new Date(`${from}T00:00:00`).getTime() : -Infinity;
  const toT = to ? new Date(`${to}T23:59:59.999`).getTime() : Infinity;
  const isWaitlist = (op: string) => op.startsWith('waitlist_');
  const runs = all.filter(
    (r) =>
      (!profile || r.profileId === profile) &&
      (!state || r.state === state) &&
      (!kind || (kind === 'waitlist') === isWaitlist(r.op)) &&
      r.createdAt >= fromT &&
      r.createdAt <= toT,
  );
  const nav = useListNav<HTMLTableRowElement>(runs.length, (i) => void open(runs[i]!.id));
  useEffect(() => {
    // Ctrl/Cmd+F on the Runs page searches the history.
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 'f' || document.querySelector('[aria-modal="true"]')) return;
      const box = document.querySelector<HTMLInputElement>('[data-testid="history-query"]');
      if (!box) return;
      e.preventDefault();
      box.focus();
      box.select();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  useEffect(() => {
    void load().then(() => {
      // A reload of the window comes back to the run that was open (one still going, usually).
      const s = useRuns.getState();
      const saved = savedOpenRun();
      if (!s.openId && saved && s.runs.some((r) => r.id === saved)) void s.open(saved);
    });
  }, [load]);
  return (
    <section className="page runs-page" data-testid="page-runs">
      <h1>Runs</h1>
      {all.length > 0 && (
        <div className="runs-tools">
          <HistorySearch />
          <select value={profile} onChange={(e) => setProfile(e.target.value)} aria-label="Profile" data-testid="runs-filter-profile">
            <option value="">All profiles</option>
            {profiles.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From date" data-testid="runs-filter-from" />
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To date" data-testid="runs-filter-to" />
          {/* Only once there is a waitlist run to tell apart (a filter that filters nothing is noise). */}
          {all.some((r) => isWaitlist(r.op)) && (
            <select
              value={kind}
              onChange={(e) => setKind(e.target.value as '' | 'invitations' | 'waitlist')}
              aria-label="Kind of run"
              data-testid="runs-filter-kind"
            >
              <option value="">Any kind</option>
              <option value="invitations">Invitations</option>
              <option value="waitlist">Waitlist</option>
            </select>
          )}
          <select
            value={state}
            onChange={(e) => setState(e.target.value as RunState | '')}
            aria-label="State"
            data-testid="runs-filter-state"
          >
            <option value="">Any state</option>
            {RUN_STATES.map((s) => (
              <option key={s} value={s}>
                {RUN_STATE_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      )}
      {all.length > 0 && <HistoryTools />}
      {all.length === 0 ? (
        <EmptyState title="No runs yet" testId="runs-empty">
          <p>Open a sheet and press “Send…”. Every run is listed here with what was sent, what failed and why.</p>
        </EmptyState>
      ) : (
        <div className="runs-layout">
          <div className="runs-list-box">
            <table className="runs-list" data-testid="runs-list">
              <tbody>
                {runs.map((r, i) => (
                  <tr
                    key={r.id}
                    className={r.id === openId ? 'selected' : ''}
                    aria-current={r.id === openId || undefined}
                    data-testid="run-item"
                    onClick={() => void open(r.id)}
                    {...nav(i)}
                  >
                    {/* The name whole (it wraps: “Reminder · revoke the 3 older invitations · …” was cut at its third
                        word), and a line under it with the state, kind, sent/total and when; the rest on hover and in
                        the detail. */}
                    <td
                      className="run-line"
                      title={`${r.sheetName}\n${fullWhen(r.createdAt)} · ${r.profileName} · ${
                        isWaitlist(r.op) ? 'waitlist' : r.kind === 'org' ? (r.organizationName ?? 'organization') : 'application'
                      }${r.finishedAt && r.startedAt ? ` · took ${duration(r.finishedAt - r.startedAt)}` : ''}\n${RUN_STATE_LABEL[r.state]}: ${r.counts.sent.toLocaleString()} sent, ${r.counts.failed.toLocaleString()} failed, ${r.counts.skipped.toLocaleString()} skipped`}
                    >
                      <span className="run-name">{r.sheetName}</span>
                      <span className="run-meta small">
                        <span className={`run-dot state-${r.state}`} aria-hidden="true" />
                        {isWaitlist(r.op) && (
                          <span className="run-kind" data-testid="run-kind-waitlist">
                            Waitlist
                          </span>
                        )}
                        <span className="run-sent">
                          {r.counts.sent.toLocaleString()}/{(r.counts.total - r.counts.skipped).toLocaleString()}
                          {r.counts.failed ? <span className="run-failed"> · {r.counts.failed.toLocaleString()} failed</span> : null}
                        </span>
                        <span className="run-when muted">{when(r.createdAt)}</span>
                        <span className="visually-hidden">{RUN_STATE_LABEL[r.state]}</span>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {openId ? <RunDetail key={openId} runId={openId} /> : <p className="muted">Pick a run to see its rows.</p>}
        </div>
      )}
    </section>
  );
}
