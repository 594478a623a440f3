/** One run: progress (sent / failed / remaining), the current wait and ETA, controls, and every row's outcome. */
import { FactList } from './ReviewParts.tsx';
import { noun, plural } from '../../../../shared/plural.ts';
import { useEffect, useRef, useState } from 'react';
import type { FollowUp, FollowUpTally, RowFilter, RunProgress, RunRowView } from '../../../../shared/domain/send/types.ts';
import { runOptionFacts } from '../../../../shared/domain/send/runOptions.ts';
import { useNow } from '../../lib/useNow.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { getApi } from '../../lib/api.ts';
import { clock, clockSeconds, duration, when } from '../../lib/format.ts';
import { retryLine } from '../../../../shared/domain/send/retry.ts';
import { doneWord, isEntryRun } from '../../../../shared/domain/waitlist/runs.ts';
import { useRuns } from '../../store/runs.ts';
import { MetadataCheck } from './MetadataCheck.tsx';
import { RevokeConfirm } from './RevokeConfirm.tsx';
import { FILTER_LABEL, NO_SELECTION, RunRowsTable, type Selection } from './RunRowsTable.tsx';
import { RunRowDetails } from './RunRowDetails.tsx';
import { controlRun, copyLinks, exportRun, openAsSheet, startFollowUp, syncStatuses } from './runActions.ts';
import { FourEyesNote } from '../approvals/FourEyesNote.tsx';

export function RunDetail({ runId }: { runId: string }) {
  const p = useRuns((s) => s.progress[runId] ?? s.runs.find((r) => r.id === runId));
  const total = useRuns((s) => s.total);
  const filter = useRuns((s) => s.filter);
  const runTally = useRuns((s) => s.tally);
  const options = useRuns((s) => s.options);
  const now = useNow();
  const [confirm, setConfirm] = useState('');
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const selected = selection.rows;
  const [selTally, setSelTally] = useState<{ of: Set<number>; tally: FollowUpTally } | null>(null);
  useEffect(() => {
    // Follow-ups act on the selected rows when there are any: main counts what each would take of them.
    if (selected.size === 0) return;
    let live = true;
    void getApi()
      .runsTally({ runId, rows: [...selected] })
      .then((r) => live && r.ok && setSelTally({ of: selected, tally: r.value }));
    return () => void (live = false);
  }, [runId, selected, runTally]);
  const [revoking, setRevoking] = useState(false);
  /** The row shown in full below the table; it follows the row's updates while the run goes. */
  const [openIdx, setOpenIdx] = useState<number | null>(null);
  const openRow = useRuns((s) => (openIdx === null ? null : (s.rows.find((r) => r?.idx === openIdx) ?? null)));
  const [lastOpen, setLastOpen] = useState<RunRowView | null>(null);
  const shownRow = openRow ?? (lastOpen?.idx === openIdx ? lastOpen : null);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownRun = p ? runId : null;
  useEffect(() => {
    // Arriving here after Start (or a follow-up), focus would be on nothing: put it on the run being watched.
    if (shownRun && (document.activeElement === document.body || document.activeElement === null)) heading.current?.focus();
  }, [shownRun]);
  if (!p) return null;
  const c = p.counts;
  const remaining = c.queued + c.inflight;
  const pct = (n: number) => `${c.total ? (100 * n) / c.total : 0}%`;
  const prod = p.environment === 'production' && p.profileId !== 'sandbox';
  const followUp = (which: FollowUp) => startFollowUp(runId, which, selected, prod ? confirm : null);
  const isRevokeRun = p?.op === 'revoke';
  const isRepairRun = p?.op === 'repair';
  // Counted by main, following the rows' present state across runs: an email a later run sent is not offered again.
  const t = (selected.size ? (selTally?.of === selected ? selTally.tally : null) : runTally) ?? {
    failed: 0,
    unsent: 0,
    links: 0,
    pending: 0,
    expiredOrRevoked: 0,
    members: 0,
  };
  const failedN = t.failed;
  const unsentN = t.unsent;
  const linksN = t.links;
  // A revoke run's rows are revocations: nothing to revoke again, nothing to resend from here (issue 21 #8).
  // Rejected or added waitlist entries are not invitations either.
  const pendingSent = isRevokeRun || isEntryRun(p.op) ? 0 : t.pending;
  const expiredOrRevoked = isRevokeRun || isEntryRun(p.op) ? 0 : t.expiredOrRevoked;
  const n = (x: number) => x.toLocaleString();
  const facts = runOptionFacts(options, isRevokeRun ? 'revoke' : 'create');
  const wait = 'waitUntil' in p ? (p as RunProgress) : null;
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
        {n(c.sent)} {doneWord(p.op)} · {n(c.failed)} failed · {n(c.skipped)} skipped · {n(remaining)} remaining
        {c.cancelled ? ` · ${n(c.cancelled)} not sent (cancelled)` : ''}
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
          <button type="button" onClick={() => void controlRun(runId, 'runsPause')} data-testid="run-pause">
            Pause
          </button>
        )}
        {(p.state === 'paused' || p.state === 'interrupted') && (
          <button type="button" className="primary" onClick={() => void controlRun(runId, 'runsResume')} data-testid="run-resume">
            Resume
          </button>
        )}
        {(p.state === 'running' || p.state === 'paused' || p.state === 'interrupted') && (
          <button type="button" className="danger" onClick={() => void controlRun(runId, 'runsCancel')} data-testid="run-cancel">
            Cancel (leave the rest unsent)
          </button>
        )}
        {p.state !== 'running' && c.sent > 0 && (
          <button
            type="button"
            onClick={() => void syncStatuses(runId, p.op === 'create')}
            data-testid="run-sync"
            title="Refresh invitation statuses from Clerk"
          >
            Sync statuses
          </button>
        )}
        <button
          type="button"
          data-testid="run-to-sheet"
          onClick={() => void openAsSheet(runId, c.failed > 0 ? 'failed' : 'all')}
          title="A new sheet with these rows and this run's settings"
        >
          {c.failed > 0 ? 'Failed rows → sheet' : 'Open as sheet'}
        </button>
        <button type="button" data-testid="run-export" onClick={() => void exportRun(runId)}>
          Export CSV
        </button>
        <select
          value={filter}
          onChange={(e) => void useRuns.getState().setFilter(e.target.value as RowFilter)}
          aria-label="Show rows"
          data-testid="run-filter"
        >
          <option value="all">All rows</option>
          {(Object.keys(FILTER_LABEL) as Exclude<RowFilter, 'all'>[]).map((s) => (
            <option key={s} value={s}>
              {FILTER_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {p.syncedAt && (
        <p className="muted small" data-testid="run-synced">
          Statuses synced from Clerk {when(p.syncedAt, now).includes(',') ? 'on' : 'at'} {when(p.syncedAt, now)}.
        </p>
      )}
      {p.op === 'create' && p.state !== 'running' && c.sent > 0 && <MetadataCheck run={p} now={now} />}
      {p.state !== 'running' && !isRepairRun && (failedN > 0 || unsentN > 0 || expiredOrRevoked > 0 || pendingSent > 0 || linksN > 0) && (
        <div className="follow-ups" data-testid="run-follow-ups">
          <FourEyesNote production={prod} />
          {prod && (
            // A label in words, not a placeholder: “Type “Acme production workspace” to confirm” was cut at 1024 px.
            <label className="follow-confirm">
              <span>
                Type <strong>{p.profileName}</strong> to confirm:
              </span>
              <input
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                title={`Follow-ups on production go out only once you type the profile's name, “${p.profileName}”`}
                data-testid="follow-confirm"
              />
            </label>
          )}
          {selected.size > 0 && <span className="muted small">{plural(selected.size, 'row')} selected:</span>}
          {failedN > 0 && (
            <button type="button" onClick={() => void followUp('failed')} data-testid="follow-failed">
              Retry {n(failedN)} failed
            </button>
          )}
          {unsentN > 0 && (
            <button type="button" onClick={() => void followUp('unsent')} data-testid="follow-unsent">
              Send the {n(unsentN)} not sent
            </button>
          )}
          {linksN > 0 && (
            <button type="button" data-testid="copy-links" onClick={() => void copyLinks(runId, selected)}>
              Copy {plural(linksN, 'accept link')}
            </button>
          )}
          {pendingSent > 0 && (
            <button type="button" className="danger" onClick={() => setRevoking(true)} data-testid="follow-revoke">
              Revoke {n(pendingSent)} pending…
            </button>
          )}
          {expiredOrRevoked > 0 && (
            <button type="button" onClick={() => void followUp('expired_or_revoked')} data-testid="follow-resend">
              Resend {n(expiredOrRevoked)} expired or revoked
            </button>
          )}
        </div>
      )}
      {p.state !== 'running' && t.members > 0 && (
        <p className="muted small" data-testid="run-members-note">
          {plural(t.members, 'row')} added as {t.members === 1 ? 'a member' : 'members'} directly: no invitation to revoke or resend.
          Removing members is not something Invite Desk does; use Clerk’s dashboard.
        </p>
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
          {facts ? <FactList facts={facts} /> : <pre className="preview">{JSON.stringify(options, null, 2)}</pre>}
        </details>
      )}
      <RunRowsTable
        runId={runId}
        selection={selection}
        onSelect={setSelection}
        now={now}
        revoke={isRevokeRun}
        shortOutcomes={isRevokeRun || isEntryRun(p.op)}
        openIdx={openIdx}
        onOpen={(r) => {
          setLastOpen(r);
          setOpenIdx(r.idx === openIdx ? null : r.idx);
        }}
      />
      {shownRow && <RunRowDetails row={shownRow} revoke={isRevokeRun} onClose={() => setOpenIdx(null)} />}
      <p className="muted" data-testid="run-rows-count">
        {total.toLocaleString()} {filter === 'all' ? '' : `${FILTER_LABEL[filter].toLowerCase()} `}
        {noun(total, 'row')}
      </p>
    </div>
  );
}
