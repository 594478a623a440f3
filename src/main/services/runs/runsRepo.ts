/**
 * The journal. Every row's state is written before and after each request, in transactions, so a crash at
 * any moment leaves rows either queued (never sent), inflight (outcome unknown: look it up), or final.
 */
import { isWaitlistOp } from '../../../shared/domain/send/limits.ts';
import type { RowState, RunCounts, RunOptions, RunRowView, RunState, RunSummary } from '../../../shared/domain/send/types.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { transaction, type Db, type SqlValue } from '../db/types.ts';
import { Failure } from '../failure.ts';
import { createHistorySearch } from './historySearch.ts';
import { createRunHistory } from './runHistory.ts';
import { LeaseLostError, ProfileBusyError, RUN_GONE, type NewRun, type QueuedRow } from './journalTypes.ts';
import { decodeRunOptions } from './runOptions.ts';
import type { SentRow } from './engine/ports.ts';
import { COLS } from './runRows.ts';
import { busyRunRow, inflightRow, leaseRow, queuedRow, rowRequest, runRowView, runSummaryRow, stateCount } from './runsTable.ts';
import { refuseIfBeingSent, takenLater } from './takenLater.ts';

export { BROAD_SEARCH, searchTerms } from './historySearch.ts';
export { LeaseLostError, OUTCOME_UNKNOWN, ProfileBusyError, type NewRun, type QueuedRow } from './journalTypes.ts';

const STATES: RowState[] = ['queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled'];

export function createRunsRepo(db: Db) {
  const counts = (runId: string): RunCounts => {
    const c = Object.fromEntries(STATES.map((s) => [s, 0])) as RunCounts;
    c.total = 0;
    for (const { state, n } of db
      .prepare('SELECT state, COUNT(*) AS n FROM run_rows WHERE run_id = ? GROUP BY state')
      .all(runId)
      .map(stateCount)) {
      c[state] = n;
      c.total += n;
    }
    return c;
  };
  const summary = (r: Record<string, SqlValue>): RunSummary => {
    const run = runSummaryRow(r);
    return { ...run, counts: counts(run.id) };
  };

  /**
   * The run of the profile, or of its instance, that is 'running' in the journal (this process's or another's), if
   * any: two profiles of one instance (possible before profiles were known by instance id) share one claim.
   */
  const runningOf = (
    profileId: string,
    except: string,
    instanceId: string | null = null,
  ): { id: string; name: string; profile: string } | null => {
    const r = db
      .prepare(
        "SELECT id, sheet_name, profile_name FROM runs WHERE (profile_id = ? OR instance_id = ?) AND state = 'running' AND id != ? LIMIT 1",
      )
      .get(profileId, instanceId, except);
    return r ? busyRunRow(r) : null;
  };

  return {
    ...createHistorySearch(db),
    ...createRunHistory(db),
    runningOf,
    /**
     * Creates a run already claimed: state 'running', leased to `owner`. In one transaction with the check that
     * no other run of the profile is running, so concurrent starts (even from two processes) make one run.
     */
    create(run: NewRun, now: number, owner: string | null = null): void {
      transaction(db, () => {
        const busy = runningOf(run.profileId, run.id, run.instanceId);
        if (busy) throw new ProfileBusyError(busy.id, busy.name, busy.profile);
        db.prepare(
          `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, organization_id, organization_name, sheet_id, sheet_name, options, state, window_ms, created_at, started_at, parent_run_id, lease_owner, lease_at, waitlist)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          run.id,
          run.profileId,
          run.profileName,
          run.environment,
          run.instanceId,
          run.kind,
          isWaitlistOp(run.op) ? 'create' : run.op,
          run.organizationId,
          run.organizationName,
          run.sheetId,
          run.sheetName,
          JSON.stringify(run.options),
          run.windowMs,
          now,
          now,
          run.parentRunId ?? null,
          owner,
          owner === null ? null : now,
          isWaitlistOp(run.op) ? run.op.slice('waitlist_'.length) : null,
        );
        const ins = db.prepare(
          'INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, message, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        run.rows.forEach((r, idx) =>
          ins.run(
            run.id,
            idx,
            r.sheetRow,
            r.email,
            emailKey(r.email),
            JSON.stringify(r.request),
            r.request ? 'queued' : 'skipped',
            r.skipReason ?? null,
            now,
          ),
        );
        // A follow-up is made in one step with the check that no other run is sending its rows (two starts at once).
        if (run.parentRunId && run.op === 'create') refuseIfBeingSent(db, run.id);
      });
    },
    /**
     * Resuming: take the run's lease (free, ours, or stale: its holder stopped renewing it) and mark it running,
     * refusing when another run of the profile is running. Returns null, or who holds it and since when.
     */
    acquire(runId: string, owner: string, now: number, leaseMs: number): { heldBy: string; renewedAt: number } | null {
      return transaction(db, () => {
        const r = db.prepare('SELECT profile_id, instance_id, lease_owner, lease_at FROM runs WHERE id = ?').get(runId);
        // Deleted since the caller looked (retention, a profile's history): an answer, not an internal error.
        if (!r) throw new Failure('run_not_found', RUN_GONE);
        const lease = leaseRow(r);
        const at = lease.at ?? 0;
        if (lease.owner !== null && lease.owner !== owner && at > now - leaseMs) return { heldBy: lease.owner, renewedAt: at };
        const busy = runningOf(lease.profileId ?? '', runId, lease.instanceId);
        if (busy) throw new ProfileBusyError(busy.id, busy.name, busy.profile);
        db.prepare("UPDATE runs SET state = 'running', pause_reason = NULL, lease_owner = ?, lease_at = ? WHERE id = ?").run(
          owner,
          now,
          runId,
        );
        return null;
      });
    },
    /** Heartbeat: false when the lease is no longer ours. */
    renewLease: (runId: string, owner: string, now: number): boolean =>
      Number(db.prepare('UPDATE runs SET lease_at = ? WHERE id = ? AND lease_owner = ?').run(now, runId, owner).changes) > 0,
    releaseLease(runId: string, owner: string): void {
      db.prepare('UPDATE runs SET lease_owner = NULL, lease_at = NULL WHERE id = ? AND lease_owner = ?').run(runId, owner);
    },
    /** A process known dead (its app lock was taken over): its leases are free at once. */
    releaseLeasesOf(owner: string): number {
      return Number(db.prepare('UPDATE runs SET lease_owner = NULL, lease_at = NULL WHERE lease_owner = ?').run(owner).changes);
    },
    leaseOf(runId: string): { owner: string | null; at: number | null } {
      const r = db.prepare('SELECT lease_owner, lease_at FROM runs WHERE id = ?').get(runId);
      if (!r) return { owner: null, at: null };
      const { owner, at } = leaseRow(r);
      return { owner, at };
    },
    /** A run that never got going (nothing was requested): gone, so nothing resumes it later. */
    discard(runId: string): void {
      transaction(db, () => {
        const asked = Number(db.prepare('SELECT COUNT(*) AS n FROM run_requests WHERE run_id = ?').get(runId)?.['n'] ?? 0);
        if (asked > 0) {
          db.prepare("UPDATE runs SET state = 'interrupted', lease_owner = NULL, lease_at = NULL WHERE id = ?").run(runId);
          return;
        }
        db.prepare('DELETE FROM run_rows WHERE run_id = ?').run(runId);
        db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      });
    },
    /** Rows whose request had an unknown outcome: remember since when Clerk may hold our invitation. */
    markUnknown(runId: string, idxs: number[], since: number): void {
      transaction(db, () => {
        const upd = db.prepare('UPDATE run_rows SET unknown_since = COALESCE(unknown_since, ?) WHERE run_id = ? AND idx = ?');
        for (const i of idxs) upd.run(since, runId, i);
      });
    },
    get: (id: string): RunSummary | null => {
      const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id);
      return r ? summary(r) : null;
    },
    windowOf: (id: string): number => Number(db.prepare('SELECT window_ms FROM runs WHERE id = ?').get(id)?.['window_ms'] ?? 3_600_000),
    optionsOf: (id: string): RunOptions | null => {
      const v = db.prepare('SELECT options FROM runs WHERE id = ?').get(id)?.['options'];
      return decodeRunOptions(typeof v === 'string' ? v : null);
    },
    list: (): RunSummary[] => db.prepare('SELECT * FROM runs ORDER BY created_at DESC, id').all().map(summary),
    withState: (state: RunState): RunSummary[] =>
      db.prepare('SELECT * FROM runs WHERE state = ? ORDER BY created_at').all(state).map(summary),
    setState(id: string, state: RunState, now: number, reason: string | null = null): void {
      const final = state === 'finished' || state === 'cancelled';
      // Leaving 'running' hands the lease back: nobody sends this run until it is started again.
      db.prepare(
        `UPDATE runs SET state = ?, pause_reason = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
           lease_owner = CASE WHEN ? THEN lease_owner ELSE NULL END, lease_at = CASE WHEN ? THEN lease_at ELSE NULL END WHERE id = ?`,
      ).run(state, reason, final ? 1 : 0, now, state === 'running' ? 1 : 0, state === 'running' ? 1 : 0, id);
    },
    queued: (runId: string): QueuedRow[] =>
      db
        .prepare(
          "SELECT idx, email, request, attempts, split, not_before, unknown_since FROM run_rows WHERE run_id = ? AND state = 'queued' ORDER BY idx",
        )
        .all(runId)
        .map(queuedRow),
    /** Rows left inflight by a request whose outcome was never recorded (a crash, a kill). */
    inflight: (runId: string): (QueuedRow & { requestId: number; requestStartedAt: number })[] =>
      db
        .prepare(
          `SELECT rr.idx, rr.email, rr.request, rr.attempts, rr.split, rr.not_before, rr.unknown_since, rr.request_id, q.started_at
           FROM run_rows rr LEFT JOIN run_requests q ON q.id = rr.request_id WHERE rr.run_id = ? AND rr.state = 'inflight' ORDER BY rr.idx`,
        )
        .all(runId)
        .map((r) => ({ ...queuedRow(r), ...inflightRow(r) })),
    /**
     * Before a request: rows → inflight, the request and the quota use recorded, in one transaction, and only
     * while `owner` holds the run's lease (the lease is renewed by it).
     */
    claim(runId: string, instanceId: string, endpoint: string, idxs: number[], now: number, owner: string | null = null): number {
      return transaction(db, () => {
        if (
          owner !== null &&
          Number(db.prepare('UPDATE runs SET lease_at = ? WHERE id = ? AND lease_owner = ?').run(now, runId, owner).changes) === 0
        )
          throw new LeaseLostError('Another Invite Desk process took over this run');
        const id = Number(
          db
            .prepare('INSERT INTO run_requests (run_id, endpoint, rows, started_at) VALUES (?, ?, ?, ?)')
            .run(runId, endpoint, idxs.length, now).lastInsertRowid,
        );
        const upd = db.prepare(
          "UPDATE run_rows SET state = 'inflight', request_id = ?, attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND idx = ? AND state = 'queued'",
        );
        for (const i of idxs) upd.run(id, now, runId, i);
        db.prepare('INSERT INTO quota_events (instance_id, endpoint, at) VALUES (?, ?, ?)').run(instanceId, endpoint, now);
        return id;
      });
    },
    /**
     * The request is answered. Its quota use moves to the answer's time: Clerk counted it somewhere between the
     * claim and the answer, so the later time never lets the next window open early (slow networks, busy machines).
     */
    finishRequest(requestId: number, outcome: string, now: number): void {
      transaction(db, () => {
        const q = db
          .prepare('SELECT q.endpoint, q.started_at, r.instance_id FROM run_requests q JOIN runs r ON r.id = q.run_id WHERE q.id = ?')
          .get(requestId);
        db.prepare('UPDATE run_requests SET finished_at = ?, outcome = ? WHERE id = ?').run(now, outcome, requestId);
        if (q)
          db.prepare(
            'UPDATE quota_events SET at = ? WHERE rowid = (SELECT rowid FROM quota_events WHERE instance_id = ? AND endpoint = ? AND at = ? LIMIT 1)',
          ).run(now, q['instance_id'] ?? '', q['endpoint'] ?? '', q['started_at'] ?? 0);
      });
    },
    markSent(runId: string, rows: SentRow[], now: number): void {
      transaction(db, () => {
        // A lookup answer carries no url: a link already stored is kept.
        const upd = db.prepare(
          "UPDATE run_rows SET state = 'sent', invitation_id = ?, invitation_status = ?, url = COALESCE(?, url), expires_at = COALESCE(?, expires_at), error_code = NULL, message = ?, updated_at = ? WHERE run_id = ? AND idx = ?",
        );
        for (const r of rows) upd.run(r.invitationId, r.status, r.url, r.expiresAt ?? null, r.note ?? null, now, runId, r.idx);
      });
    },
    markFailed(runId: string, rows: { idx: number; code: string; message: string }[], now: number): void {
      transaction(db, () => {
        const upd = db.prepare(
          "UPDATE run_rows SET state = 'failed', error_code = ?, message = ?, updated_at = ? WHERE run_id = ? AND idx = ?",
        );
        for (const r of rows) upd.run(r.code, r.message, now, runId, r.idx);
      });
    },
    /** Back to the queue (not sent): optionally later, in smaller bulk calls, with a note. */
    requeue(
      runId: string,
      idxs: number[],
      now: number,
      opts: { notBefore?: number; split?: number; refund?: boolean; message?: string | null } = {},
    ): void {
      transaction(db, () => {
        const upd = db.prepare(
          `UPDATE run_rows SET state = 'queued', request_id = NULL, not_before = ?, split = COALESCE(?, split),
             attempts = attempts - ?, message = COALESCE(?, message), updated_at = ? WHERE run_id = ? AND idx = ?`,
        );
        for (const i of idxs) upd.run(opts.notBefore ?? 0, opts.split ?? null, opts.refund ? 1 : 0, opts.message ?? null, now, runId, i);
      });
    },
    /**
     * Invitation emails this app had Clerk send from an instance since `since` (the month's start): sent rows
     * with notify on, not +clerk_test addresses, not revoke runs.
     */
    emailsSince(instanceId: string, since: number): number {
      return Number(
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM run_rows rr JOIN runs r ON r.id = rr.run_id
             WHERE r.instance_id = ? AND rr.state = 'sent' AND rr.updated_at >= ?
               AND json_extract(rr.request, '$.notify') = 1 AND instr(lower(rr.email), '+clerk_test@') = 0
               AND r.op <> 'revoke'`,
          )
          .get(instanceId, since)?.['n'] ?? 0,
      );
    },
    /** The computer's clock was changed by `deltaMs`: waits, unknown-outcome times and open requests move with it. */
    shiftTimes(deltaMs: number): void {
      transaction(db, () => {
        db.prepare("UPDATE run_rows SET not_before = not_before + ? WHERE state = 'queued' AND not_before > 0").run(deltaMs);
        db.prepare(
          "UPDATE run_rows SET unknown_since = unknown_since + ? WHERE unknown_since IS NOT NULL AND state IN ('queued', 'inflight')",
        ).run(deltaMs);
        db.prepare('UPDATE run_requests SET started_at = started_at + ? WHERE finished_at IS NULL').run(deltaMs);
      });
    },
    cancelQueued(runId: string, now: number): number {
      return Number(
        db
          .prepare(
            "UPDATE run_rows SET state = 'cancelled', message = 'Cancelled before it was sent', updated_at = ? WHERE run_id = ? AND state = 'queued'",
          )
          .run(now, runId).changes,
      );
    },
    /**
     * Rows of a run whose email (or, for revokes, invitation) another run sent later or is sending: what follow-ups
     * must no longer offer (see takenLater.ts). Their state in this run stays as it was (history is not rewritten).
     */
    takenLater: (runId: string, op: 'create' | 'revoke') => takenLater(db, runId, op),
    /** The exact request each row carried (null for skipped rows), for export and audit. */
    requests: (runId: string): Map<number, RowRequest | null> =>
      new Map(db.prepare('SELECT idx, request FROM run_rows WHERE run_id = ?').all(runId).map(rowRequest)),
    /** The run's rows (not their request JSON), or only those changed at or after `since` (live refresh). */
    rows: (runId: string, since?: number): RunRowView[] =>
      db
        .prepare(
          `SELECT ${COLS} FROM run_rows rr WHERE rr.run_id = ?${since === undefined ? '' : ' AND rr.updated_at >= ?'} ORDER BY rr.idx`,
        )
        .all(...(since === undefined ? [runId] : [runId, since]))
        .map(runRowView),
  };
}
export type RunsRepo = ReturnType<typeof createRunsRepo>;
