/** One run: progress (sent / failed / remaining), the current wait and ETA, controls, and every row's outcome. */
import { noun, plural } from '../../../../shared/plural.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { expiryLabel } from '../../../../shared/domain/send/expiry.ts';
import { useEffect, useRef, useState } from 'react';
import type { FollowUp, RowState, RunProgress } from '../../../../shared/domain/send/types.ts';
import { downloadText } from '../../lib/download.ts';
import { useNow } from '../../lib/useNow.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { getApi } from '../../lib/api.ts';
import { clock, clockSeconds, duration } from '../../lib/format.ts';
import { retryLine } from '../../../../shared/domain/send/retry.ts';
import { useRuns } from '../../store/runs.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { RevokeConfirm } from './RevokeConfirm.tsx';

const ROW_PX = 33;

const STATE_LABEL: Record<RowState, string> = {
  queued: 'Queued',
  inflight: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Not sent',
};

export function RunDetail({ runId }: { runId: string }) {
  const p = useRuns((s) => s.progress[runId] ?? s.runs.find((r) => r.id === runId));
  const rows = useRuns((s) => s.rows);
  const options = useRuns((s) => s.options);
  const toast = useUi((s) => s.toast);
  const [filter, setFilter] = useState<RowState | 'all'>('all');
  const now = useNow();
  const [confirm, setConfirm] = useState('');
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const shown = rows.filter((r) => filter === 'all' || r.state === filter);
  // Every row of the run, however many: only the ones in view are in the DOM (fixed row height, see styles.css).
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; it re-renders on scroll itself
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });
  const [revoking, setRevoking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownRun = p ? runId : null;
  useEffect(() => {
    // Arriving here after Start (or a follow-up), focus would be on nothing: put it on the run being watched.
    if (shownRun && (document.activeElement === document.body || document.activeElement === null)) heading.current?.focus();
  }, [shownRun]);
  const focusIdx = useRuns((s) => s.focusIdx);
  // A history hit opened this run: show all rows and bring that one into view (once its rows are loaded).
  const focusAt = focusIdx === null ? -1 : shown.findIndex((r) => r.idx === focusIdx);
  useEffect(() => {
    if (focusIdx !== null && filter !== 'all') setFilter('all');
  }, [focusIdx]); // eslint-disable-line react-hooks/exhaustive-deps -- only when a hit opens the run
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    // Once per hit: the user may scroll away afterwards, and live refreshes must not pull the view back.
    const key = `${runId}:${focusIdx}`;
    if (focusAt < 0 || scrolledTo.current === key) return;
    scrolledTo.current = key;
    virtual.scrollToIndex(focusAt, { align: 'center' });
  }, [focusAt, focusIdx, runId, virtual]);
  if (!p) return null;
  const c = p.counts;
  const remaining = c.queued + c.inflight;
  const pct = (n: number) => `${c.total ? (100 * n) / c.total : 0}%`;
  const act = async (op: 'runsPause' | 'runsResume' | 'runsCancel') => {
    const r = await getApi()[op]({ runId });
    if (!r.ok) toast('error', r.error.message);
  };
  const prod = p.environment === 'production' && p.profileId !== 'sandbox';
  const followUp = async (which: FollowUp) => {
    const r = await getApi().runsFollowUp({
      runId,
      which,
      ...(prod ? { confirmName: confirm } : {}),
      ...(selected.size ? { rows: [...selected] } : {}),
    });
    if (!r.ok) return toast('error', r.error.message);
    await useRuns.getState().load();
    await useRuns.getState().open(r.value.runId);
  };
  const sync = async () => {
    const r = await getApi().historySync({ runId });
    if (!r.ok) return toast('error', r.error.message);
    toast('info', `Statuses refreshed from Clerk: ${r.value.changed.toLocaleString()} changed.`);
    await useRuns.getState().refreshRows();
  };
  const isRevokeRun = (options as { op?: string } | null)?.op === 'revoke';
  // Follow-ups act on the selected rows when there are any, else on the whole run.
  const scope = selected.size ? rows.filter((r) => selected.has(r.idx)) : rows;
  // Counts follow the rows' present state across runs: an email a later run sent is not offered again.
  const failedN = scope.filter((r) => r.state === 'failed' && !r.sentLater && r.errorCode !== 'outcome_unknown').length;
  const unsentN = scope.filter((r) => r.state === 'cancelled' && !r.sentLater).length;
  const links = scope.filter((r) => r.url).map((r) => r.url!);
  const pendingSent = isRevokeRun
    ? 0
    : scope.filter((r) => r.state === 'sent' && r.invitationId && (r.invitationStatus ?? 'pending') === 'pending').length;
  const expiredOrRevoked = scope.filter(
    (r) => r.state === 'sent' && (r.invitationStatus === 'expired' || r.invitationStatus === 'revoked'),
  ).length;
  const openAsSheet = async (which: 'all' | 'failed') => {
    const r = await getApi().runsToSheet({ runId, which });
    if (!r.ok) return toast('error', r.error.message);
    const error = await useSheet.getState().open(r.value.id);
    if (error) return toast('error', error);
    useUi.getState().go('sheets');
  };
  const exportRun = async () => {
    const r = await getApi().runsExport({ runId });
    if (!r.ok) return toast('error', r.error.message);
    downloadText(r.value.fileName, r.value.csv);
  };
  const wait = 'waitUntil' in p ? (p as RunProgress) : null;
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="run-detail" data-testid="run-detail">
      <div className="run-head">
        <EnvBadge profile={{ environment: p.environment, isSandbox: p.profileId === 'sandbox' }} />
        <h2 ref={heading} tabIndex={-1} data-testid="run-title">
          {p.sheetName}
        </h2>
        <span className="muted">
          → {p.profileName}
          {p.organizationName ? ` · ${p.organizationName}` : ''}
        </span>
        <span className={`run-state state-${p.state}`} data-testid="run-state">
          {p.state}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-valuenow={c.sent + c.failed}
        aria-valuemax={c.total - c.skipped}
        aria-label="Run progress"
        data-testid="run-progress"
      >
        <div className="seg sent" style={{ width: pct(c.sent) }} />
        <div className="seg failed" style={{ width: pct(c.failed) }} />
        <div className="seg skipped" style={{ width: pct(c.skipped + c.cancelled) }} />
      </div>
      <p className="run-counts" data-testid="run-counts">
        {c.sent} sent · {c.failed} failed · {c.skipped} skipped · {remaining} remaining
        {c.cancelled ? ` · ${c.cancelled} not sent (cancelled)` : ''}
      </p>
      {p.state === 'running' && wait?.offlineSince != null && (
        <p className="run-wait" data-testid="run-offline">
          Waiting for the network since {clock(wait.offlineSince)}: Clerk cannot be reached. Nothing is sent and no attempt is spent;
          sending resumes as soon as the connection is back.
        </p>
      )}
      {p.state === 'running' && wait?.offlineSince == null && wait?.waitUntil && wait.waitUntil > now && (
        <p className="run-wait" data-testid="run-wait">
          Next request at {clock(wait.waitUntil)}: {wait.waitReason}.
        </p>
      )}
      {p.state === 'running' && wait?.retry && (
        <p className="run-wait" data-testid="run-retry">
          {retryLine(wait.retry, now, clockSeconds, duration)}.
        </p>
      )}
      {p.state === 'running' && wait?.etaAt && remaining > 0 && (
        <p className="muted" data-testid="run-eta">
          About {duration(Math.max(0, wait.etaAt - now))} left (done around {clock(wait.etaAt)}).
        </p>
      )}
      {p.state === 'running' && wait?.retry && remaining > 0 && (
        <p className="muted" data-testid="run-eta">
          Time left unknown until Clerk answers again.
        </p>
      )}
      {p.pauseReason && (
        <p className={p.state === 'paused' ? 'callout' : 'muted'} data-testid="run-reason">
          {p.pauseReason}
        </p>
      )}
      <div className="actions">
        {p.state === 'running' && (
          <button type="button" onClick={() => void act('runsPause')} data-testid="run-pause">
            Pause
          </button>
        )}
        {(p.state === 'paused' || p.state === 'interrupted') && (
          <button type="button" className="primary" onClick={() => void act('runsResume')} data-testid="run-resume">
            Resume
          </button>
        )}
        {(p.state === 'running' || p.state === 'paused' || p.state === 'interrupted') && (
          <button type="button" className="danger" onClick={() => void act('runsCancel')} data-testid="run-cancel">
            Cancel (leave the rest unsent)
          </button>
        )}
        {p.state !== 'running' && c.sent > 0 && (
          <button type="button" onClick={() => void sync()} data-testid="run-sync" title="Refresh invitation statuses from Clerk">
            Sync statuses
          </button>
        )}
        <button
          type="button"
          data-testid="run-to-sheet"
          onClick={() => void openAsSheet(c.failed > 0 ? 'failed' : 'all')}
          title="A new sheet with these rows and this run's settings"
        >
          {c.failed > 0 ? 'Failed rows → sheet' : 'Open as sheet'}
        </button>
        <button type="button" data-testid="run-export" onClick={() => void exportRun()}>
          Export CSV
        </button>
        <select
          value={filter}
          onChange={(e) => setFilter(e.target.value as RowState | 'all')}
          aria-label="Show rows"
          data-testid="run-filter"
        >
          <option value="all">All rows</option>
          {(Object.keys(STATE_LABEL) as RowState[]).map((s) => (
            <option key={s} value={s}>
              {STATE_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {p.syncedAt && (
        <p className="muted small" data-testid="run-synced">
          Statuses synced from Clerk at {new Date(p.syncedAt).toLocaleString()}.
        </p>
      )}
      {p.state !== 'running' && (failedN > 0 || unsentN > 0 || expiredOrRevoked > 0 || pendingSent > 0 || links.length > 0) && (
        <div className="follow-ups" data-testid="run-follow-ups">
          {prod && (
            <input
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              placeholder={`Type “${p.profileName}” to send to production`}
              aria-label="Confirm production"
              data-testid="follow-confirm"
            />
          )}
          {selected.size > 0 && <span className="muted small">{plural(selected.size, 'row')} selected:</span>}
          {failedN > 0 && (
            <button type="button" onClick={() => void followUp('failed')} data-testid="follow-failed">
              Retry {failedN} failed
            </button>
          )}
          {unsentN > 0 && (
            <button type="button" onClick={() => void followUp('unsent')} data-testid="follow-unsent">
              Send the {unsentN} not sent
            </button>
          )}
          {links.length > 0 && (
            <button
              type="button"
              data-testid="copy-links"
              onClick={() =>
                void navigator.clipboard
                  .writeText(links.join('\n'))
                  .then(() => toast('info', `${plural(links.length, 'accept link')} copied, one per line.`))
              }
            >
              Copy {plural(links.length, 'accept link')}
            </button>
          )}
          {pendingSent > 0 && (
            <button type="button" className="danger" onClick={() => setRevoking(true)} data-testid="follow-revoke">
              Revoke {pendingSent} pending…
            </button>
          )}
          {expiredOrRevoked > 0 && (
            <button type="button" onClick={() => void followUp('expired_or_revoked')} data-testid="follow-resend">
              Resend {expiredOrRevoked} expired or revoked
            </button>
          )}
        </div>
      )}
      {revoking && pendingSent > 0 && (
        <RevokeConfirm
          count={pendingSent}
          profileName={p.profileName}
          target={p.organizationName ? `organization “${p.organizationName}”` : 'the application'}
          production={prod}
          confirmName={confirm}
          onConfirmName={setConfirm}
          onCancel={() => setRevoking(false)}
          onConfirm={() => {
            setRevoking(false);
            void followUp('revoke_pending');
          }}
        />
      )}
      {options !== null && (
        <details className="run-options" data-testid="run-options">
          <summary>Options this run used</summary>
          <pre className="preview">{JSON.stringify((options as { settings?: unknown }).settings ?? options, null, 2)}</pre>
        </details>
      )}
      <div className="run-rows-scroll" ref={scroller} data-testid="run-rows-scroll">
        <table className="run-rows" data-testid="run-rows" aria-rowcount={shown.length + 1}>
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="Select all shown rows"
                  data-testid="select-all-rows"
                  checked={shown.length > 0 && shown.every((r) => selected.has(r.idx))}
                  onChange={(e) => setSelected(e.target.checked ? new Set(shown.map((r) => r.idx)) : new Set())}
                />
              </th>
              <th>Row</th>
              <th>Email</th>
              <th>Outcome</th>
              <th>Invitation</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
            {items.map((v) => {
              const r = shown[v.index]!;
              return (
                <tr
                  key={r.idx}
                  className={`row-${r.state}${r.idx === focusIdx ? ' row-focus' : ''}`}
                  data-testid="run-row"
                  aria-rowindex={v.index + 2}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${r.email}`}
                      checked={selected.has(r.idx)}
                      onChange={(e) =>
                        setSelected((cur) => {
                          const next = new Set(cur);
                          if (e.target.checked) next.add(r.idx);
                          else next.delete(r.idx);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td>{r.sheetRow + 1}</td>
                  <td>{r.email}</td>
                  <td>
                    {STATE_LABEL[r.state]}
                    {r.invitationStatus && r.state === 'sent' ? ` · ${r.invitationStatus}` : ''}
                    {r.state === 'sent' && r.expiresAt !== null && (
                      <span className="muted small" title={`Expires ${new Date(r.expiresAt).toLocaleString()}`} data-testid="row-expiry">
                        {' '}
                        · {expiryLabel(r.expiresAt, r.invitationStatus, now) ?? `expires ${new Date(r.expiresAt).toLocaleDateString()}`}
                      </span>
                    )}
                  </td>
                  <td>
                    {r.invitationId && <code>{r.invitationId}</code>}
                    {r.url && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => void navigator.clipboard.writeText(r.url!).then(() => toast('info', 'Accept link copied.'))}
                      >
                        copy link
                      </button>
                    )}
                  </td>
                  <td title={r.message ?? undefined}>
                    {r.errorCode && <code>{r.errorCode}</code>} {r.message}
                  </td>
                </tr>
              );
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
          </tbody>
        </table>
      </div>
      <p className="muted" data-testid="run-rows-count">
        {shown.length.toLocaleString()} {filter === 'all' ? '' : `${STATE_LABEL[filter].toLowerCase()} `}
        {noun(shown.length, 'row')}
      </p>
    </div>
  );
}
