/**
 * The journal. Every row's state is written before and after each request, in transactions, so a crash at
 * any moment leaves rows either queued (never sent), inflight (outcome unknown: look it up), or final.
 */
import type { HistoryHit, RowState, RunCounts, RunRowView, RunState, RunSummary } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { transaction, type Db, type SqlValue } from '../db/types.ts';

export type NewRun = Omit<RunSummary, 'counts' | 'state' | 'pauseReason' | 'startedAt' | 'finishedAt' | 'syncedAt' | 'parentRunId'> & {
  parentRunId?: string | null;
  sheetId: string | null;
  options: unknown;
  windowMs: number;
  rows: { sheetRow: number; email: string; request: RowRequest | null; skipReason?: string }[];
};

export type QueuedRow = { idx: number; email: string; request: RowRequest; attempts: number; split: number; notBefore: number };

const queuedRow = (r: Record<string, SqlValue>): QueuedRow => ({
  idx: Number(r['idx']),
  email: String(r['email']),
  request: JSON.parse(String(r['request'])) as RowRequest,
  attempts: Number(r['attempts']),
  split: Number(r['split']),
  notBefore: Number(r['not_before']),
});

/** From this many hits a search walks the runs instead of sorting the hits (see searchEmail). */
export const BROAD_SEARCH = 2000;
const STATES: RowState[] = ['queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled'];

export function createRunsRepo(db: Db) {
  const counts = (runId: string): RunCounts => {
    const c = Object.fromEntries(STATES.map((s) => [s, 0])) as RunCounts;
    c.total = 0;
    for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM run_rows WHERE run_id = ? GROUP BY state').all(runId)) {
      c[String(r['state']) as RowState] = Number(r['n']);
      c.total += Number(r['n']);
    }
    return c;
  };
  const summary = (r: Record<string, SqlValue>): RunSummary => ({
    id: String(r['id']),
    profileId: String(r['profile_id']),
    profileName: String(r['profile_name']),
    environment: String(r['environment']) as RunSummary['environment'],
    instanceId: String(r['instance_id']),
    kind: String(r['kind']) as 'app' | 'org',
    organizationId: r['organization_id'] === null ? null : String(r['organization_id']),
    organizationName: r['organization_name'] === null ? null : String(r['organization_name']),
    sheetName: String(r['sheet_name']),
    state: String(r['state']) as RunState,
    pauseReason: r['pause_reason'] === null ? null : String(r['pause_reason']),
    counts: counts(String(r['id'])),
    createdAt: Number(r['created_at']),
    startedAt: r['started_at'] === null ? null : Number(r['started_at']),
    finishedAt: r['finished_at'] === null ? null : Number(r['finished_at']),
    syncedAt: r['synced_at'] === null || r['synced_at'] === undefined ? null : Number(r['synced_at']),
    parentRunId: r['parent_run_id'] === null || r['parent_run_id'] === undefined ? null : String(r['parent_run_id']),
  });

  return {
    create(run: NewRun, now: number): void {
      transaction(db, () => {
        db.prepare(
          `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, organization_id, organization_name, sheet_id, sheet_name, options, state, window_ms, created_at, started_at, parent_run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
        ).run(
          run.id,
          run.profileId,
          run.profileName,
          run.environment,
          run.instanceId,
          run.kind,
          run.organizationId,
          run.organizationName,
          run.sheetId,
          run.sheetName,
          JSON.stringify(run.options),
          run.windowMs,
          now,
          now,
          run.parentRunId ?? null,
        );
        const ins = db.prepare(
          'INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, message, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        );
        run.rows.forEach((r, idx) =>
          ins.run(run.id, idx, r.sheetRow, r.email, JSON.stringify(r.request), r.request ? 'queued' : 'skipped', r.skipReason ?? null, now),
        );
      });
    },
    get: (id: string): RunSummary | null => {
      const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id);
      return r ? summary(r) : null;
    },
    windowOf: (id: string): number => Number(db.prepare('SELECT window_ms FROM runs WHERE id = ?').get(id)?.['window_ms'] ?? 3_600_000),
    optionsOf: (id: string): unknown =>
      JSON.parse(String(db.prepare('SELECT options FROM runs WHERE id = ?').get(id)?.['options'] ?? 'null')),
    list: (): RunSummary[] => db.prepare('SELECT * FROM runs ORDER BY created_at DESC').all().map(summary),
    withState: (state: RunState): RunSummary[] =>
      db.prepare('SELECT * FROM runs WHERE state = ? ORDER BY created_at').all(state).map(summary),
    setState(id: string, state: RunState, now: number, reason: string | null = null): void {
      const final = state === 'finished' || state === 'cancelled';
      db.prepare('UPDATE runs SET state = ?, pause_reason = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?').run(
        state,
        reason,
        final ? 1 : 0,
        now,
        id,
      );
    },
    queued: (runId: string): QueuedRow[] =>
      db
        .prepare("SELECT idx, email, request, attempts, split, not_before FROM run_rows WHERE run_id = ? AND state = 'queued' ORDER BY idx")
        .all(runId)
        .map(queuedRow),
    /** Rows left inflight by a request whose outcome was never recorded (a crash, a kill). */
    inflight: (runId: string): (QueuedRow & { requestId: number; requestStartedAt: number })[] =>
      db
        .prepare(
          `SELECT rr.idx, rr.email, rr.request, rr.attempts, rr.split, rr.not_before, rr.request_id, q.started_at
           FROM run_rows rr LEFT JOIN run_requests q ON q.id = rr.request_id WHERE rr.run_id = ? AND rr.state = 'inflight' ORDER BY rr.idx`,
        )
        .all(runId)
        .map((r) => ({
          ...queuedRow(r),
          requestId: Number(r['request_id']),
          requestStartedAt: Number(r['started_at'] ?? 0),
        })),
    /** Before a request: rows → inflight, the request and the quota use recorded, in one transaction. */
    claim(runId: string, instanceId: string, endpoint: string, idxs: number[], now: number): number {
      return transaction(db, () => {
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
    markSent(runId: string, rows: { idx: number; invitationId: string; status: string; url: string | null }[], now: number): void {
      transaction(db, () => {
        const upd = db.prepare(
          "UPDATE run_rows SET state = 'sent', invitation_id = ?, invitation_status = ?, url = ?, error_code = NULL, message = NULL, updated_at = ? WHERE run_id = ? AND idx = ?",
        );
        for (const r of rows) upd.run(r.invitationId, r.status, r.url, now, runId, r.idx);
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
    /** A note on a row that keeps its state (e.g. “already accepted: nothing to revoke”). */
    note(runId: string, idx: number, message: string, now: number): void {
      db.prepare('UPDATE run_rows SET message = ?, updated_at = ? WHERE run_id = ? AND idx = ?').run(message, now, runId, idx);
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
     * Rows of every run whose email starts with `prefix` (case-insensitive), newest runs first. A narrow prefix is a
     * range on the NOCASE email index, its few hits sorted by run. A broad one ("user7" over a million rows) would
     * sort a hundred thousand hits for one page, so it walks the runs newest first instead, probing each on the
     * (run, email) index until the page is full: both stay a few milliseconds.
     */
    searchEmail(prefix: string, limit = 200, broad = BROAD_SEARCH): HistoryHit[] {
      const lo = prefix.trim().toLowerCase();
      if (lo === '') return [];
      const hi = lo + '\uffff';
      const cols = `rr.run_id, rr.idx, rr.email, rr.state, rr.invitation_id, rr.invitation_status, rr.error_code, rr.message,
                    r.sheet_name, r.profile_name, r.environment, r.created_at`;
      const range = 'rr.email >= ? COLLATE NOCASE AND rr.email < ? COLLATE NOCASE';
      const hits = Number(
        db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM run_rows rr WHERE ${range} LIMIT ?)`).get(lo, hi, broad)?.['n'],
      );
      let found: Record<string, SqlValue>[];
      if (hits < broad) {
        found = db
          .prepare(
            `SELECT ${cols} FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE ${range} ORDER BY r.created_at DESC, rr.idx LIMIT ?`,
          )
          .all(lo, hi, limit);
      } else {
        found = [];
        const inRun = db.prepare(
          `SELECT ${cols} FROM run_rows rr INDEXED BY run_rows_run_email JOIN runs r ON r.id = rr.run_id
           WHERE rr.run_id = ? AND ${range} ORDER BY rr.idx LIMIT ?`,
        );
        for (const run of db.prepare('SELECT id FROM runs ORDER BY created_at DESC, id').all()) {
          found.push(...inRun.all(run['id'] as string, lo, hi, limit - found.length));
          if (found.length >= limit) break;
        }
      }
      return found.map((r) => ({
        runId: String(r['run_id']),
        sheetName: String(r['sheet_name']),
        profileName: String(r['profile_name']),
        environment: String(r['environment']) as HistoryHit['environment'],
        runCreatedAt: Number(r['created_at']),
        idx: Number(r['idx']),
        email: String(r['email']),
        state: String(r['state']) as RowState,
        invitationId: r['invitation_id'] === null ? null : String(r['invitation_id']),
        invitationStatus: r['invitation_status'] === null ? null : String(r['invitation_status']),
        errorCode: r['error_code'] === null ? null : String(r['error_code']),
        message: r['message'] === null ? null : String(r['message']),
      }));
    },
    /** Deletes finished or cancelled runs created before `before` (or all runs of a profile); rows go with them. */
    purge(opts: { before?: number; profileId?: string }): number {
      const where: string[] = ["state IN ('finished', 'cancelled', 'interrupted')"];
      const params: SqlValue[] = [];
      if (opts.before !== undefined) {
        where.push('created_at < ?');
        params.push(opts.before);
      }
      if (opts.profileId !== undefined) {
        where.push('profile_id = ?');
        params.push(opts.profileId);
      }
      return transaction(db, () => {
        const ids = db
          .prepare(`SELECT id FROM runs WHERE ${where.join(' AND ')}`)
          .all(...params)
          .map((r) => String(r['id']));
        const delRows = db.prepare('DELETE FROM run_rows WHERE run_id = ?');
        const delReq = db.prepare('DELETE FROM run_requests WHERE run_id = ?');
        const delRun = db.prepare('DELETE FROM runs WHERE id = ?');
        for (const id of ids) {
          delRows.run(id);
          delReq.run(id);
          delRun.run(id);
        }
        return ids.length;
      });
    },
    /**
     * Statuses from Clerk for the rows' invitations; the run remembers when it was synced. List answers carry no
     * accept link, so a stored link is never overwritten with null.
     */
    applyStatuses(runId: string, statuses: Map<string, { status: string; url: string | null }>, now: number): number {
      return transaction(db, () => {
        let changed = 0;
        const upd = db.prepare(
          `UPDATE run_rows SET invitation_status = ?, url = COALESCE(?, url), updated_at = ?
           WHERE run_id = ? AND invitation_id = ? AND (invitation_status IS NOT ? OR (? IS NOT NULL AND url IS NOT ?))`,
        );
        for (const r of db.prepare('SELECT invitation_id FROM run_rows WHERE run_id = ? AND invitation_id IS NOT NULL').all(runId)) {
          const s = statuses.get(String(r['invitation_id']));
          if (s) changed += Number(upd.run(s.status, s.url, now, runId, String(r['invitation_id']), s.status, s.url, s.url).changes);
        }
        db.prepare('UPDATE runs SET synced_at = ? WHERE id = ?').run(now, runId);
        return changed;
      });
    },
    /** The exact request each row carried (null for skipped rows), for export and audit. */
    requests: (runId: string): Map<number, RowRequest | null> =>
      new Map(
        db
          .prepare('SELECT idx, request FROM run_rows WHERE run_id = ?')
          .all(runId)
          .map((r) => [Number(r['idx']), JSON.parse(String(r['request'])) as RowRequest | null]),
      ),
    rows: (runId: string): RunRowView[] =>
      db
        .prepare('SELECT * FROM run_rows WHERE run_id = ? ORDER BY idx')
        .all(runId)
        .map((r) => ({
          idx: Number(r['idx']),
          sheetRow: Number(r['sheet_row']),
          email: String(r['email']),
          state: String(r['state']) as RowState,
          invitationId: r['invitation_id'] === null ? null : String(r['invitation_id']),
          invitationStatus: r['invitation_status'] === null ? null : String(r['invitation_status']),
          url: r['url'] === null ? null : String(r['url']),
          errorCode: r['error_code'] === null ? null : String(r['error_code']),
          message: r['message'] === null ? null : String(r['message']),
          attempts: Number(r['attempts']),
        })),
  };
}
export type RunsRepo = ReturnType<typeof createRunsRepo>;
