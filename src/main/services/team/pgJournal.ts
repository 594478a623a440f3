/**
 * The journal and the quota ledger in the team database. A claim journals the request and takes its slot in the
 * instance's ledger in one transaction under a per-(instance, endpoint) advisory lock, so all the team's computers
 * together stay under Clerk's limits.
 */
import { nextSlot, type Endpoint, type Ledger } from '../../../shared/domain/send/limits.ts';
import type { Row } from '../db/decode.ts';
import { LeaseLostError, NoSlotError, type QueuedRow } from '../runs/journalTypes.ts';
import { queuedRow as decodeQueued } from '../runs/runsTable.ts';
import type { JournalPort, QuotaPort } from '../runs/engine/ports.ts';
import { leaseStamp, num, pgTransaction, teamClock, type PgPool, type PgQuery } from './pgTypes.ts';

/** A queued row, read by the decoder this computer's journal uses (a request that is not JSON is told as such). */
const queuedRow = (r: Record<string, unknown>): QueuedRow => decodeQueued(r as Row);

/**
 * The ledger as the caller sees it, in its own clock. With the server's clock (`dbClock`), times are stored as the
 * server's and handed back moved by the difference between the two clocks: every member's requests and Retry-After
 * blocks keep their age, whatever each laptop's clock says (a laptop 90 s ahead saw a teammate's requests of a moment
 * ago as out of a 60 s window).
 */
async function ledgerOf(
  q: PgQuery,
  instanceId: string,
  endpoint: Endpoint,
  windowMs: number,
  now: number,
  dbClock: boolean,
): Promise<Ledger> {
  const { toCaller, toServer } = teamClock(dbClock);
  const sent = (
    await q.query(
      `SELECT ${toCaller('at', 4)} AS at FROM quota_events WHERE instance_id = $1 AND endpoint = $2 AND at > ${toServer('$3::float8', 4)} ORDER BY at`,
      [instanceId, endpoint, now - windowMs, now],
    )
  ).rows.map((r) => num(r['at']));
  const until = (
    await q.query(`SELECT ${toCaller('until', 3)} AS until FROM quota_blocks WHERE instance_id = $1 AND endpoint = $2`, [
      instanceId,
      endpoint,
      now,
    ])
  ).rows[0];
  // Never past one window (as on this computer): a bad block must not stall the instance for the whole team.
  return { sent, blockedUntil: until ? Math.min(num(until['until']), now + windowMs) : 0 };
}

/**
 * `clock` as for the runs (pgRuns.ts): the lease a claim renews is stamped with the server's time by default, and one
 * member's clock set back or forward does not move the team's shared times (see pgQuotaPort).
 */
export function pgJournalPort(pool: PgPool, o: { clock?: 'database' | 'caller' } = {}): JournalPort {
  const dbClock = (o.clock ?? 'database') === 'database';
  const { toCaller, toServer } = teamClock(dbClock);
  // A queued row's columns, its times in the caller's clock ($2); a wait of 0 is none.
  const ROW = `rr.idx, rr.email, rr.request, rr.attempts, rr.split,
    CASE WHEN rr.not_before > 0 THEN ${toCaller('rr.not_before', 2)} ELSE 0 END AS not_before, ${toCaller('rr.unknown_since', 2)} AS unknown_since`;
  return {
    queued: async (id, now) =>
      (await pool.query(`SELECT ${ROW} FROM run_rows rr WHERE rr.run_id = $1 AND rr.state = 'queued' ORDER BY rr.idx`, [id, now])).rows.map(
        queuedRow,
      ),
    inflight: async (id, now) =>
      (
        await pool.query(
          `SELECT ${ROW}, rr.request_id, ${toCaller('q.started_at', 2)} AS started_at FROM run_rows rr LEFT JOIN run_requests q ON q.id = rr.request_id
           WHERE rr.run_id = $1 AND rr.state = 'inflight' ORDER BY rr.idx`,
          [id, now],
        )
      ).rows.map((r) => ({ ...queuedRow(r), requestId: num(r['request_id']), requestStartedAt: num(r['started_at'] ?? 0) })),
    claim: (id, instanceId, endpoint, idxs, now, owner, pace) =>
      pgTransaction(pool, async (q) => {
        if (
          owner !== null &&
          ((await q.query(`UPDATE runs SET lease_at = ${leaseStamp(dbClock, 3)} WHERE id = $1 AND lease_owner = $2`, [id, owner, now]))
            .rowCount ?? 0) === 0
        )
          throw new LeaseLostError('Another Invite Desk process took over this run');
        if (pace) {
          // The team's computers queue here for this endpoint's ledger: read, decide and record as one step.
          await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`invite-desk quota ${instanceId} ${endpoint}`]);
          const slot = nextSlot(await ledgerOf(q, instanceId, endpoint, pace.windowMs, now, dbClock), pace.limit, pace.windowMs, now);
          if (slot > now) throw new NoSlotError(slot);
        }
        const requestId = num(
          (
            await q.query(
              `INSERT INTO run_requests (run_id, endpoint, rows, started_at) VALUES ($1, $2, $3, ${leaseStamp(dbClock, 4)}) RETURNING id`,
              [id, endpoint, idxs.length, now],
            )
          ).rows[0]!['id'],
        );
        await q.query(
          `UPDATE run_rows SET state = 'inflight', request_id = $2, attempts = attempts + 1, updated_at = $3
           WHERE run_id = $1 AND idx = ANY($4::int[]) AND state = 'queued'`,
          [id, requestId, now, idxs],
        );
        await q.query(`INSERT INTO quota_events (instance_id, endpoint, at, request_id) VALUES ($1, $2, ${leaseStamp(dbClock, 3)}, $4)`, [
          instanceId,
          endpoint,
          now,
          requestId,
        ]);
        return requestId;
      }),
    finishRequest: (requestId, outcome, now) =>
      pgTransaction(pool, async (q) => {
        await q.query('UPDATE run_requests SET finished_at = $2, outcome = $3 WHERE id = $1', [requestId, now, outcome]);
        // Counted from the answer: Clerk counted it between claim and answer, so the window never opens early.
        await q.query(`UPDATE quota_events SET at = ${leaseStamp(dbClock, 2)} WHERE request_id = $1`, [requestId, now]);
      }),
    async markSent(id, rows, now) {
      if (rows.length === 0) return;
      await pool.query(
        `UPDATE run_rows rr SET state = 'sent', invitation_id = t.inv, invitation_status = t.status, url = COALESCE(t.url, rr.url),
           expires_at = COALESCE(t.expires, rr.expires_at), error_code = NULL, message = t.note, updated_at = $2
         FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[]) AS t(idx, inv, status, url, expires, note)
         WHERE rr.run_id = $1 AND rr.idx = t.idx`,
        [
          id,
          now,
          rows.map((r) => r.idx),
          rows.map((r) => r.invitationId),
          rows.map((r) => r.status),
          rows.map((r) => r.url),
          rows.map((r) => r.expiresAt ?? null),
          rows.map((r) => r.note ?? null),
        ],
      );
    },
    async markFailed(id, rows, now) {
      if (rows.length === 0) return;
      await pool.query(
        `UPDATE run_rows rr SET state = 'failed', error_code = t.code, message = t.message, updated_at = $2
         FROM unnest($3::int[], $4::text[], $5::text[]) AS t(idx, code, message) WHERE rr.run_id = $1 AND rr.idx = t.idx`,
        [id, now, rows.map((r) => r.idx), rows.map((r) => r.code), rows.map((r) => r.message)],
      );
    },
    async markUnknown(id, idxs, since, now) {
      await pool.query(
        `UPDATE run_rows SET unknown_since = COALESCE(unknown_since, ${toServer('$2::float8', 4)}) WHERE run_id = $1 AND idx = ANY($3::int[])`,
        [id, since, idxs, now],
      );
    },
    async requeue(id, idxs, now, opts = {}) {
      await pool.query(
        `UPDATE run_rows SET state = 'queued', request_id = NULL,
           not_before = CASE WHEN $3::float8 > 0 THEN ${toServer('$3::float8', 2)} ELSE 0 END, split = COALESCE($4, split),
           attempts = attempts - $5, message = COALESCE($6, message), updated_at = $2 WHERE run_id = $1 AND idx = ANY($7::int[])`,
        [id, now, opts.notBefore ?? 0, opts.split ?? null, opts.refund ? 1 : 0, opts.message ?? null, idxs],
      );
    },
    cancelQueued: async (id, now) =>
      (
        await pool.query(
          "UPDATE run_rows SET state = 'cancelled', message = 'Cancelled before it was sent', updated_at = $2 WHERE run_id = $1 AND state = 'queued'",
          [id, now],
        )
      ).rowCount ?? 0,
    emailsSince: async (instanceId, since) =>
      num(
        (
          await pool.query(
            `SELECT count(*) AS n FROM run_rows rr JOIN runs r ON r.id = rr.run_id
             WHERE r.instance_id = $1 AND rr.state = 'sent' AND rr.updated_at >= $2 AND r.op <> 'revoke'
               AND (rr.request::jsonb ->> 'notify') = 'true' AND position('+clerk_test@' IN lower(rr.email)) = 0`,
            [instanceId, since],
          )
        ).rows[0]?.['n'] ?? 0,
      ),
    shiftTimes: async (deltaMs) => {
      if (dbClock) return; // teammates' rows are not moved by this computer's clock (see pgQuotaPort)
      await pgTransaction(pool, async (q) => {
        await q.query("UPDATE run_rows SET not_before = not_before + $1 WHERE state = 'queued' AND not_before > 0", [deltaMs]);
        await q.query(
          "UPDATE run_rows SET unknown_since = unknown_since + $1 WHERE unknown_since IS NOT NULL AND state IN ('queued', 'inflight')",
          [deltaMs],
        );
        await q.query('UPDATE run_requests SET started_at = started_at + $1 WHERE finished_at IS NULL', [deltaMs]);
      });
    },
  };
}

/**
 * The team's quota ledger. With the 'database' clock (the app) its times are the server's: every member sees a
 * teammate's requests and Retry-After blocks at their true age, whatever its laptop's clock says, and one member's
 * clock set back or forward moves nothing of the team's (that member's own waits move in memory only). 'caller':
 * stamped with and moved by the caller's clock, as on this computer (the contract's fixed times).
 */
export function pgQuotaPort(pool: PgPool, o: { clock?: 'database' | 'caller' } = {}): QuotaPort {
  const dbClock = (o.clock ?? 'database') === 'database';
  return {
    ledger: (instanceId, endpoint, windowMs, now) => ledgerOf(pool, instanceId, endpoint, windowMs, now, dbClock),
    async block(instanceId, endpoint, until, now) {
      // Stored as the server's time: as long from the server's now as `until` is from the caller's.
      await pool.query(
        `INSERT INTO quota_blocks (instance_id, endpoint, until) VALUES ($1, $2, ${teamClock(dbClock).toServer('$3::float8', 4)})
         ON CONFLICT (instance_id, endpoint) DO UPDATE SET until = GREATEST(quota_blocks.until, excluded.until)`,
        [instanceId, endpoint, until, now],
      );
    },
    take: (instanceId, endpoint, pace, now) =>
      pgTransaction(pool, async (q) => {
        // The same queue as a run's claim: the team's computers read, decide and record one at a time.
        await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`invite-desk quota ${instanceId} ${endpoint}`]);
        const slot = nextSlot(await ledgerOf(q, instanceId, endpoint, pace.windowMs, now, dbClock), pace.limit, pace.windowMs, now);
        if (slot > now) return slot;
        await q.query(`INSERT INTO quota_events (instance_id, endpoint, at) VALUES ($1, $2, ${leaseStamp(dbClock, 3)})`, [
          instanceId,
          endpoint,
          now,
        ]);
        return 0;
      }),
    shift: async (deltaMs) => {
      if (dbClock) return;
      await pgTransaction(pool, async (q) => {
        await q.query('UPDATE quota_events SET at = at + $1', [deltaMs]);
        await q.query('UPDATE quota_blocks SET until = until + $1', [deltaMs]);
      });
    },
  };
}
