/**
 * Runs and their leases in the team database. Starting or resuming a run is serialized per Clerk instance (an
 * advisory lock): one computer runs one run of a profile at a time, but teammates may send into one instance at once,
 * and a new run's rows that another run is still sending are skipped, naming it, so nobody is invited twice.
 */
import { isWaitlistOp } from '../../../shared/domain/send/limits.ts';
import type { RowState, RunCounts, RunSummary } from '../../../shared/domain/send/types.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import type { Row } from '../db/decode.ts';
import { Failure } from '../failure.ts';
import { ProfileBusyError, RUN_GONE, type NewRun } from '../runs/journalTypes.ts';
import type { RunsPort } from '../runs/engine/ports.ts';
import { busyRunRow, leaseRow, runSummaryRow } from '../runs/runsTable.ts';
import { DB_NOW, leaseStamp, num, numOrNull, pgTransaction, strOrNull, type PgPool, type PgQuery } from './pgTypes.ts';

const STATES: RowState[] = ['queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled'];

/** Every run of an instance is started under this lock (the running-run check and the overlap check stay true). */
export const lockInstance = (q: PgQuery, instanceId: string) =>
  q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`invite-desk run ${instanceId}`]);

/** A run's columns and its counts per state, in one query. */
export const SUMMARY = `SELECT r.*, (SELECT json_object_agg(state, n) FROM (SELECT state, count(*) AS n FROM run_rows WHERE run_id = r.id GROUP BY state) c) AS counts FROM runs r`;

/** A run as SQLite's decoder reads it (runsTable.ts: op and waitlist give the same RunOp), with its counts. */
export function summaryOf(r: Record<string, unknown>): RunSummary {
  const c = Object.fromEntries(STATES.map((s) => [s, 0])) as RunCounts;
  c.total = 0;
  for (const [state, n] of Object.entries((r['counts'] ?? {}) as Record<string, number>)) {
    c[state as RowState] = Number(n);
    c.total += Number(n);
  }
  return { ...runSummaryRow(r as Row), counts: c };
}

/** The run of the profile or its instance that this computer (`owner`) is running, if any (teammates may run theirs). */
async function runningOf(q: PgQuery, profileId: string, instanceId: string, except: string, owner: string | null) {
  const r = (
    await q.query(
      `SELECT id, sheet_name, profile_name FROM runs WHERE (profile_id = $1 OR instance_id = $2) AND state = 'running' AND id <> $3
         AND ($4::text IS NULL OR lease_owner = $4) LIMIT 1`,
      [profileId, instanceId, except, owner],
    )
  ).rows[0];
  const busy = r ? busyRunRow(r as Row) : null;
  return busy ? new ProfileBusyError(busy.id, busy.name, busy.profile) : null;
}

/** Rows of another create run of the instance and organization still queued or in flight, by email key. */
const BEING_SENT = `SELECT DISTINCT ON (o.email_key) o.email_key, orun.sheet_name FROM run_rows o JOIN runs orun ON orun.id = o.run_id
  WHERE orun.id <> $1 AND orun.instance_id = $2 AND orun.organization_id IS NOT DISTINCT FROM $3 AND orun.op = 'create'
    AND o.state IN ('queued', 'inflight') ORDER BY o.email_key, orun.created_at`;

async function insertRun(q: PgQuery, run: NewRun, now: number, owner: string | null, dbClock: boolean) {
  await q.query(
    `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, organization_id, organization_name, sheet_id,
       sheet_name, options, state, window_ms, created_at, started_at, parent_run_id, lease_owner, lease_at, waitlist)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'running', $13, $14, $14, $15, $16,
       CASE WHEN $17::float8 IS NULL THEN NULL WHEN $19 THEN ${DB_NOW} ELSE $17::float8 END, $18)`,
    [
      run.id,
      run.profileId,
      run.profileName,
      run.environment,
      run.instanceId,
      run.kind,
      // As on this computer (runsRepo.create): a waitlist run's op column stays 'create', `waitlist` says what it does.
      isWaitlistOp(run.op) ? 'create' : run.op,
      run.organizationId,
      run.organizationName,
      run.sheetId,
      run.sheetName,
      JSON.stringify(run.options),
      run.windowMs,
      now,
      run.parentRunId ?? null,
      owner,
      owner === null ? null : now,
      isWaitlistOp(run.op) ? run.op.slice('waitlist_'.length) : null,
      dbClock,
    ],
  );
  // One statement per 1,000 rows: a 100k-row run is 100 round trips, not 100k.
  for (let i = 0; i < run.rows.length; i += 1000) {
    const part = run.rows.slice(i, i + 1000);
    await q.query(
      `INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, message, updated_at)
       SELECT $1, t.idx, t.sheet_row, t.email, t.email_key, t.request, t.state, t.message, $2
       FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(idx, sheet_row, email, email_key, request, state, message)`,
      [
        run.id,
        now,
        part.map((_, j) => i + j),
        part.map((r) => r.sheetRow),
        part.map((r) => r.email),
        part.map((r) => emailKey(r.email)),
        part.map((r) => (r.request ? JSON.stringify(r.request) : null)),
        part.map((r) => (r.request ? 'queued' : 'skipped')),
        part.map((r) => r.skipReason ?? null),
      ],
    );
  }
}

/** Rows another run is sending: a follow-up refuses (as on this computer); a new run skips them, naming that run. */
async function holdOverlap(q: PgQuery, run: NewRun, now: number) {
  if (run.op !== 'create') return;
  const args = [run.id, run.instanceId, run.organizationId];
  if (run.parentRunId) {
    const r = (
      await q.query(
        `SELECT count(*) AS n, min(h.sheet_name) AS name FROM run_rows rr JOIN (${BEING_SENT}) h ON h.email_key = rr.email_key
         WHERE rr.run_id = $1 AND rr.state = 'queued'`,
        args,
      )
    ).rows[0];
    const n = num(r?.['n'] ?? 0);
    if (n > 0)
      throw new Failure(
        'nothing_to_send',
        `${n === 1 ? '1 row is' : `${n} rows are`} being sent by another run (“${String(r?.['name'])}”: queued or in flight, paused or going): nothing is sent twice. Let that run finish, or cancel it, first.`,
      );
    return;
  }
  await q.query(
    `UPDATE run_rows rr SET state = 'skipped', updated_at = $4,
       message = 'Not sent by this run: “' || h.sheet_name || '” (another run into this instance, maybe a teammate’s) is sending it. Nobody is invited twice.'
     FROM (${BEING_SENT}) h WHERE rr.run_id = $1 AND rr.state = 'queued' AND rr.email_key = h.email_key`,
    [...args, now],
  );
}

/**
 * `clock`: whose clock stamps and judges leases. 'database' (the app): the server's, one clock for the whole
 * team, so a member whose laptop clock is minutes off never takes a live run over as stale (nor keeps a dead one);
 * times handed back keep their age in the caller's clock. 'caller': the times passed in (the contract's fixed times).
 */
export function pgRunsPort(pool: PgPool, o: { clock?: 'database' | 'caller' } = {}): RunsPort {
  const dbClock = (o.clock ?? 'database') === 'database';
  const stamp = (n: number) => leaseStamp(dbClock, n);
  return {
    create: (run, now, owner) =>
      pgTransaction(pool, async (q) => {
        await lockInstance(q, run.instanceId);
        const busy = await runningOf(q, run.profileId, run.instanceId, run.id, owner);
        if (busy) throw busy;
        await insertRun(q, run, now, owner, dbClock);
        await holdOverlap(q, run, now);
      }),
    async get(id) {
      const r = (await pool.query(`${SUMMARY} WHERE r.id = $1`, [id])).rows[0];
      return r ? summaryOf(r) : null;
    },
    windowOf: async (id) => num((await pool.query('SELECT window_ms FROM runs WHERE id = $1', [id])).rows[0]?.['window_ms'] ?? 3_600_000),
    withState: async (state) => (await pool.query(`${SUMMARY} WHERE r.state = $1 ORDER BY r.created_at`, [state])).rows.map(summaryOf),
    async setState(id, state, now, reason = null) {
      const final = state === 'finished' || state === 'cancelled';
      const running = state === 'running';
      await pool.query(
        `UPDATE runs SET state = $2, pause_reason = $3, finished_at = CASE WHEN $4 THEN $5 ELSE finished_at END,
           lease_owner = CASE WHEN $6 THEN lease_owner ELSE NULL END, lease_at = CASE WHEN $6 THEN lease_at ELSE NULL END WHERE id = $1`,
        [id, state, reason, final, now, running],
      );
    },
    acquire: (id, owner, now, leaseMs) =>
      pgTransaction(pool, async (q) => {
        const found = (await q.query('SELECT instance_id FROM runs WHERE id = $1', [id])).rows[0];
        if (!found) throw new Failure('run_not_found', RUN_GONE);
        await lockInstance(q, String(found['instance_id']));
        const r = (
          await q.query(`SELECT profile_id, instance_id, lease_owner, lease_at, ${stamp(2)} AS t FROM runs WHERE id = $1 FOR UPDATE`, [
            id,
            now,
          ])
        ).rows[0];
        if (!r) throw new Failure('run_not_found', RUN_GONE);
        const lease = leaseRow(r as Row);
        const holder = lease.owner;
        const at = lease.at ?? 0;
        const t = num(r['t']);
        // Renewed within the lease, in the clock that stamped it; said in the caller's clock (its age kept).
        if (holder !== null && holder !== owner && at > t - leaseMs) return { heldBy: holder, renewedAt: now - (t - at) };
        const busy = await runningOf(q, lease.profileId ?? '', lease.instanceId ?? '', id, owner);
        if (busy) throw busy;
        await q.query(`UPDATE runs SET state = 'running', pause_reason = NULL, lease_owner = $2, lease_at = ${stamp(3)} WHERE id = $1`, [
          id,
          owner,
          now,
        ]);
        return null;
      }),
    renewLease: async (id, owner, now) =>
      ((await pool.query(`UPDATE runs SET lease_at = ${stamp(3)} WHERE id = $1 AND lease_owner = $2`, [id, owner, now])).rowCount ?? 0) > 0,
    async releaseLease(id, owner) {
      await pool.query('UPDATE runs SET lease_owner = NULL, lease_at = NULL WHERE id = $1 AND lease_owner = $2', [id, owner]);
    },
    async leaseOf(id, now) {
      const r = (await pool.query(`SELECT lease_owner, lease_at, ${dbClock ? DB_NOW : 'NULL::float8'} AS t FROM runs WHERE id = $1`, [id]))
        .rows[0];
      const at = numOrNull(r?.['lease_at']);
      // The server's stamp said in the caller's clock (its age kept), when the caller says what time it is.
      return { owner: strOrNull(r?.['lease_owner']), at: at !== null && dbClock && now !== undefined ? now - (num(r?.['t']) - at) : at };
    },
    discard: (id) =>
      pgTransaction(pool, async (q) => {
        const asked = num((await q.query('SELECT count(*) AS n FROM run_requests WHERE run_id = $1', [id])).rows[0]?.['n'] ?? 0);
        if (asked > 0) await q.query("UPDATE runs SET state = 'interrupted', lease_owner = NULL, lease_at = NULL WHERE id = $1", [id]);
        else await q.query('DELETE FROM runs WHERE id = $1', [id]);
      }),
  };
}
