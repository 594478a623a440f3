/**
 * The journal. Every row's state is written before and after each request, in transactions, so a crash at
 * any moment leaves rows either queued (never sent), inflight (outcome unknown: look it up), or final.
 */
import type { RunOp } from '../../../shared/domain/send/limits.ts';
import type { HistoryHit, RowState, RunCounts, RunOptions, RunRowView, RunState, RunSummary } from '../../../shared/domain/send/types.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { transaction, type Db, type SqlValue } from '../db/types.ts';
import { Failure } from '../failure.ts';
import { decodeRunOptions } from './runOptions.ts';
import { refuseIfBeingSent, takenLater } from './takenLater.ts';

const GONE = 'That run no longer exists: it was deleted from the history meanwhile (by retention, or with its profile).';

export type NewRun = Omit<RunSummary, 'counts' | 'state' | 'pauseReason' | 'startedAt' | 'finishedAt' | 'syncedAt' | 'parentRunId'> & {
  parentRunId?: string | null;
  sheetId: string | null;
  options: RunOptions;
  windowMs: number;
  rows: { sheetRow: number; email: string; request: RowRequest | null; skipReason?: string }[];
};

export type QueuedRow = {
  idx: number;
  email: string;
  request: RowRequest;
  attempts: number;
  split: number;
  notBefore: number;
  /** Start of the first request of this run whose outcome for the row was unknown: Clerk may hold our invitation since. */
  unknownSince: number | null;
};

/** The row code for a row whose outcome stayed unknown after every attempt: never resent blindly, never retried. */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

/** This process no longer holds the run's lease (another process took it over): it must stop sending at once. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const queuedRow = (r: Record<string, SqlValue>): QueuedRow => ({
  idx: Number(r['idx']),
  email: String(r['email']),
  request: JSON.parse(String(r['request'])) as RowRequest,
  attempts: Number(r['attempts']),
  split: Number(r['split']),
  notBefore: Number(r['not_before']),
  unknownSince: r['unknown_since'] === null || r['unknown_since'] === undefined ? null : Number(r['unknown_since']),
});

/** From this many hits a search walks the runs instead of sorting the hits (see searchEmail). */
export const BROAD_SEARCH = 2000;

/** An email's domain, exactly as migration 9's indexes spell it (any other spelling would not use them). */
const EMAIL_DOMAIN = "substr(rr.email, instr(rr.email, '@') + 1)";

/**
 * What a history query matches: text with an @ inside is the start of an address; “@acme” the start of a domain;
 * anything else either (“ana” finds ana@…, “acme.test” finds …@acme.test).
 */
export function searchTerms(query: string): { email: string | null; domain: string | null } {
  const q = emailKey(query);
  if (q === '' || q === '@') return { email: null, domain: null };
  if (q.startsWith('@')) return { email: null, domain: q.slice(1) };
  if (q.includes('@')) return { email: q, domain: null };
  return { email: q, domain: q };
}

/** Another run of the profile, or of its instance, is running (in this process or another). */
export class ProfileBusyError extends Error {
  override readonly name = 'ProfileBusyError';
  readonly runId: string;
  readonly sheetName: string;
  /** The profile sending it (another profile of the same instance, made before one profile per instance). */
  readonly profileName: string | null;
  constructor(runId: string, sheetName: string, profileName: string | null = null) {
    super(`The profile is already sending “${sheetName}”`);
    this.runId = runId;
    this.sheetName = sheetName;
    this.profileName = profileName;
  }
}

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
    op: r['op'] === 'revoke' ? 'revoke' : ('create' satisfies RunOp),
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
    return r ? { id: String(r['id']), name: String(r['sheet_name']), profile: String(r['profile_name']) } : null;
  };

  return {
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
          `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, organization_id, organization_name, sheet_id, sheet_name, options, state, window_ms, created_at, started_at, parent_run_id, lease_owner, lease_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        ).run(
          run.id,
          run.profileId,
          run.profileName,
          run.environment,
          run.instanceId,
          run.kind,
          run.op,
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
        if (!r) throw new Failure('run_not_found', GONE);
        const holder = r['lease_owner'] === null ? null : String(r['lease_owner']);
        const at = Number(r['lease_at'] ?? 0);
        if (holder !== null && holder !== owner && at > now - leaseMs) return { heldBy: holder, renewedAt: at };
        const busy = runningOf(String(r['profile_id']), runId, String(r['instance_id']));
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
      return {
        owner: r?.['lease_owner'] == null ? null : String(r['lease_owner']),
        at: r?.['lease_at'] == null ? null : Number(r['lease_at']),
      };
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
    list: (): RunSummary[] => db.prepare('SELECT * FROM runs ORDER BY created_at DESC').all().map(summary),
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
        .map((r) => ({
          ...queuedRow(r),
          requestId: Number(r['request_id']),
          requestStartedAt: Number(r['started_at'] ?? 0),
        })),
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
    markSent(
      runId: string,
      rows: { idx: number; invitationId: string; status: string; url: string | null; expiresAt?: number | null }[],
      now: number,
    ): void {
      transaction(db, () => {
        // A lookup answer carries no url: a link already stored is kept.
        const upd = db.prepare(
          "UPDATE run_rows SET state = 'sent', invitation_id = ?, invitation_status = ?, url = COALESCE(?, url), expires_at = COALESCE(?, expires_at), error_code = NULL, message = NULL, updated_at = ? WHERE run_id = ? AND idx = ?",
        );
        for (const r of rows) upd.run(r.invitationId, r.status, r.url, r.expiresAt ?? null, now, runId, r.idx);
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
     * Rows of every run whose email starts with `query`, or whose domain does (see searchTerms), any case, newest
     * runs first. A narrow query is a range on the email key and NOCASE domain indexes (domains are ASCII: the
     * validator refuses others), its few hits sorted by run. A
     * broad one ("user7" over a million rows) would sort a hundred thousand hits for one page, so it walks the runs
     * newest first instead, probing each on the (run, email) and (run, domain) indexes until the page is full: both
     * stay a few milliseconds.
     */
    searchEmail(query: string, limit = 200, broad = BROAD_SEARCH): HistoryHit[] {
      const terms = searchTerms(query);
      const ranges: { sql: string; params: string[]; index: string }[] = [];
      if (terms.email !== null)
        ranges.push({
          index: 'run_rows_run_email_key',
          sql: 'rr.email_key >= ? AND rr.email_key < ?',
          // U+10FFFF sorts after every character (U+FFFF would stop before emoji and other astral letters).
          params: [terms.email, terms.email + '\u{10ffff}'],
        });
      if (terms.domain !== null)
        ranges.push({
          index: 'run_rows_run_domain',
          sql: `${EMAIL_DOMAIN} >= ? COLLATE NOCASE AND ${EMAIL_DOMAIN} < ? COLLATE NOCASE`,
          params: [terms.domain, terms.domain + '\uffff'],
        });
      if (ranges.length === 0) return [];
      const cols = `rr.run_id, rr.idx, rr.email, rr.state, rr.invitation_id, rr.invitation_status, rr.error_code, rr.message,
                    r.sheet_name, r.profile_name, r.environment, r.created_at`;
      let hits = 0;
      for (const r of ranges)
        hits += Number(
          db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM run_rows rr WHERE ${r.sql} LIMIT ?)`).get(...r.params, broad)?.['n'],
        );
      let found: Record<string, SqlValue>[];
      if (hits < broad) {
        // Each range on its own index (an OR of the two would scan the table), the union sorted by run.
        const union = ranges.map((r) => `SELECT rr.rowid FROM run_rows rr WHERE ${r.sql}`).join(' UNION ');
        found = db
          .prepare(
            `SELECT ${cols} FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE rr.rowid IN (${union})
             ORDER BY r.created_at DESC, rr.idx LIMIT ?`,
          )
          .all(...ranges.flatMap((r) => r.params), limit);
      } else {
        found = [];
        const inRun = ranges.map((r) =>
          db.prepare(
            `SELECT ${cols} FROM run_rows rr INDEXED BY ${r.index} JOIN runs r ON r.id = rr.run_id
             WHERE rr.run_id = ? AND ${r.sql} ORDER BY rr.idx LIMIT ?`,
          ),
        );
        for (const run of db.prepare('SELECT id FROM runs ORDER BY created_at DESC, id').all()) {
          const need = limit - found.length;
          // The first `need` rows (by idx) of the union are among the first `need` of each range.
          const byIdx = new Map<number, Record<string, SqlValue>>();
          inRun.forEach((st, i) => {
            for (const row of st.all(run['id'] as string, ...ranges[i]!.params, need)) byIdx.set(Number(row['idx']), row);
          });
          found.push(
            ...[...byIdx.entries()]
              .sort((x, y) => x[0] - y[0])
              .slice(0, need)
              .map(([, row]) => row),
          );
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
      // Never a run with a row in flight or of unknown outcome (its rows are the only trace of what Clerk may hold),
      // nor one with rows still to send (an interrupted run to resume).
      const where: string[] = [
        "state IN ('finished', 'cancelled', 'interrupted')",
        `NOT EXISTS (SELECT 1 FROM run_rows u WHERE u.run_id = runs.id AND (u.state IN ('inflight', 'queued') OR (u.state = 'failed' AND u.error_code = '${OUTCOME_UNKNOWN}')))`,
      ];
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
    applyStatuses(
      runId: string,
      statuses: Map<string, { status: string; url: string | null; expiresAt?: number | null }>,
      now: number,
    ): number {
      return transaction(db, () => {
        let changed = 0;
        const upd = db.prepare(
          `UPDATE run_rows SET invitation_status = ?, url = COALESCE(?, url), expires_at = COALESCE(?, expires_at), updated_at = ?
           WHERE run_id = ? AND invitation_id = ? AND (invitation_status IS NOT ? OR (? IS NOT NULL AND url IS NOT ?))`,
        );
        const exp = db.prepare('UPDATE run_rows SET expires_at = ? WHERE run_id = ? AND invitation_id = ? AND expires_at IS NOT ?');
        for (const r of db.prepare('SELECT invitation_id FROM run_rows WHERE run_id = ? AND invitation_id IS NOT NULL').all(runId)) {
          const id = String(r['invitation_id']);
          const s = statuses.get(id);
          if (!s) continue;
          changed += Number(upd.run(s.status, s.url, s.expiresAt ?? null, now, runId, id, s.status, s.url, s.url).changes);
          if (s.expiresAt != null) exp.run(s.expiresAt, runId, id, s.expiresAt);
        }
        db.prepare('UPDATE runs SET synced_at = ? WHERE id = ?').run(now, runId);
        return changed;
      });
    },
    /**
     * Rows of a run whose email (or, for revokes, invitation) another run sent later or is sending: what follow-ups
     * must no longer offer (see takenLater.ts). Their state in this run stays as it was (history is not rewritten).
     */
    takenLater: (runId: string, op: 'create' | 'revoke') => takenLater(db, runId, op),
    /**
     * What this instance's history says of these email keys (emailKey): the latest create-run row that was sent, or
     * whose outcome stayed unknown, with the invitation's last known status. Revoke runs that revoked it win.
     */
    historyOf(
      instanceId: string,
      organizationId: string | null,
      emails: string[],
    ): Map<string, { status: 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown'; at: number }> {
      const out = new Map<string, { status: 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown'; at: number }>();
      for (let i = 0; i < emails.length; i += 500) {
        const chunk = emails.slice(i, i + 500);
        const rows = db
          .prepare(
            `SELECT rr.email_key AS e, rr.state, rr.invitation_status AS st, rr.error_code AS code, r.created_at AS at, r.op
             FROM run_rows rr JOIN runs r ON r.id = rr.run_id
             WHERE rr.email_key IN (${chunk.map(() => '?').join(',')})
               AND r.instance_id = ? AND r.organization_id IS ?
               AND (rr.state = 'sent' OR (rr.state = 'failed' AND rr.error_code = '${OUTCOME_UNKNOWN}'))
             ORDER BY r.created_at, rr.updated_at`,
          )
          .all(...chunk, instanceId, organizationId);
        for (const r of rows) {
          const e = String(r['e']);
          const at = Number(r['at']);
          if (String(r['op']) === 'revoke') {
            if (r['state'] === 'sent') out.set(e, { status: 'revoked', at: out.get(e)?.at ?? at });
            continue;
          }
          if (r['state'] !== 'sent') {
            out.set(e, { status: 'unknown', at });
            continue;
          }
          const st = String(r['st'] ?? 'pending');
          // Added as a member, no invitation: the review's existing-account check finds them instead.
          if (st === 'member') continue;
          out.set(e, { status: st === 'accepted' || st === 'expired' || st === 'revoked' ? st : 'pending', at });
        }
      }
      return out;
    },
    /** The exact request each row carried (null for skipped rows), for export and audit. */
    requests: (runId: string): Map<number, RowRequest | null> =>
      new Map(
        db
          .prepare('SELECT idx, request FROM run_rows WHERE run_id = ?')
          .all(runId)
          .map((r) => [Number(r['idx']), JSON.parse(String(r['request'])) as RowRequest | null]),
      ),
    /** The run's rows (not their request JSON), or only those changed at or after `since` (live refresh). */
    rows: (runId: string, since?: number): RunRowView[] =>
      db
        .prepare(
          `SELECT idx, sheet_row, email, state, invitation_id, invitation_status, url, error_code, message, attempts, expires_at
           FROM run_rows WHERE run_id = ?${since === undefined ? '' : ' AND updated_at >= ?'} ORDER BY idx`,
        )
        .all(...(since === undefined ? [runId] : [runId, since]))
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
          expiresAt: r['expires_at'] === null || r['expires_at'] === undefined ? null : Number(r['expires_at']),
        })),
  };
}
export type RunsRepo = ReturnType<typeof createRunsRepo>;
