/**
 * A run's rows in pieces for the Runs screen, from the team database: pages, counts, a row's position, the follow-up
 * tally, links, ids and the export, with the same filters and the same answers as this computer's runRows.ts (whose
 * row decoders read these rows too).
 */
import { MEMBER_STATUS } from '../../../shared/domain/send/outcome.ts';
import type { FollowUpTally, RowFilter } from '../../../shared/domain/send/types.ts';
import type { Row } from '../db/decode.ts';
import type { RowsPort } from '../runs/engine/ports.ts';
import { OUTCOME_UNKNOWN } from '../runs/journalTypes.ts';
import { exportRow, runRowView, urlRow } from '../runs/runsTable.ts';
import { PG_REVOKED_ELSEWHERE, PG_TAKEN_LATER } from './pgTakenLater.ts';
import { num, type PgPool } from './pgTypes.ts';

/** The columns the row decoder reads, of `run_rows rr` (runRows.COLS). */
export const PG_COLS = `rr.idx, rr.sheet_row, rr.email, rr.state, rr.invitation_id, rr.invitation_status, rr.url, rr.error_code, rr.message,
  rr.attempts, rr.expires_at`;
/** A skipped row's request is NULL here and the JSON text `null` on this computer: both read as null. */
export const PG_REQUEST = `COALESCE(rr.request, 'null') AS request`;

const SENT_LATER = `(${PG_TAKEN_LATER})::int AS sent_later`;
const CREATE_RUN = `r.op = 'create'`;

/** `AND …` for a filter and a selection of row indexes, its parameters numbered after `params`. */
function where(params: unknown[], state: RowFilter | undefined, rows: number[] | undefined): string {
  let sql = '';
  if (state === 'member') {
    params.push(MEMBER_STATUS);
    sql += ` AND rr.state = 'sent' AND rr.invitation_status = $${params.length}`;
  } else if (state !== undefined && state !== 'all') {
    params.push(state);
    sql += ` AND rr.state = $${params.length}`;
  }
  if (rows !== undefined) {
    params.push(rows);
    sql += ` AND rr.idx = ANY($${params.length}::int[])`;
  }
  return sql;
}

const view = (r: Record<string, unknown>) => runRowView(r as Row);

/** Lets other work run between two pages of an export. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function pgRowsPort(pool: PgPool): RowsPort {
  return {
    async page(runId, opts) {
      const params: unknown[] = [runId];
      const w = where(params, opts.state, undefined);
      params.push(opts.limit, opts.offset);
      // The page's rows first, then what each shows: PostgreSQL would work out `sent_later` for the rows skipped too.
      const sql = `SELECT ${PG_COLS}, ${SENT_LATER}
        FROM (SELECT rr.idx FROM run_rows rr WHERE rr.run_id = $1${w} ORDER BY rr.idx LIMIT $${params.length - 1} OFFSET $${params.length}) p
        JOIN run_rows rr ON rr.run_id = $1 AND rr.idx = p.idx JOIN runs r ON r.id = rr.run_id ORDER BY rr.idx`;
      return (await pool.query(sql, params)).rows.map(view);
    },
    async changed(runId, since) {
      const sql = `SELECT ${PG_COLS}, ${SENT_LATER} FROM run_rows rr JOIN runs r ON r.id = rr.run_id
        WHERE rr.run_id = $1 AND rr.updated_at >= $2 ORDER BY rr.idx`;
      return (await pool.query(sql, [runId, since])).rows.map(view);
    },
    async count(runId, state) {
      const params: unknown[] = [runId];
      const w = where(params, state, undefined);
      return num((await pool.query(`SELECT count(*) AS n FROM run_rows rr WHERE rr.run_id = $1${w}`, params)).rows[0]?.['n'] ?? 0);
    },
    async positionOf(runId, idx, state) {
      const params: unknown[] = [runId, idx];
      const w = where(params, state, undefined);
      const r = (
        await pool.query(
          `SELECT EXISTS (SELECT 1 FROM run_rows rr WHERE rr.run_id = $1 AND rr.idx = $2${w}) AS there,
             (SELECT count(*) FROM run_rows rr WHERE rr.run_id = $1 AND rr.idx < $2${w}) AS n`,
          params,
        )
      ).rows[0];
      return r?.['there'] === true ? num(r['n']) : null;
    },
    async tally(runId, rows): Promise<FollowUpTally> {
      const params: unknown[] = [runId];
      const w = where(params, undefined, rows);
      const r = (
        await pool.query(
          `SELECT
             count(*) FILTER (WHERE rr.state = 'failed' AND COALESCE(rr.error_code, '') <> '${OUTCOME_UNKNOWN}' AND NOT ${PG_TAKEN_LATER}) AS failed,
             count(*) FILTER (WHERE rr.state = 'cancelled' AND NOT ${PG_TAKEN_LATER}) AS unsent,
             count(*) FILTER (WHERE rr.url IS NOT NULL) AS links,
             count(*) FILTER (WHERE rr.state = 'sent' AND rr.invitation_id IS NOT NULL AND COALESCE(rr.invitation_status, 'pending') = 'pending'
               AND ${CREATE_RUN} AND NOT ${PG_REVOKED_ELSEWHERE}) AS pending,
             count(*) FILTER (WHERE rr.state = 'sent' AND rr.invitation_status IN ('expired', 'revoked') AND ${CREATE_RUN}
               AND NOT ${PG_TAKEN_LATER}) AS expired_or_revoked,
             count(*) FILTER (WHERE rr.state = 'sent' AND rr.invitation_status = '${MEMBER_STATUS}') AS members
           FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE rr.run_id = $1${w}`,
          params,
        )
      ).rows[0];
      return {
        failed: num(r?.['failed'] ?? 0),
        unsent: num(r?.['unsent'] ?? 0),
        links: num(r?.['links'] ?? 0),
        pending: num(r?.['pending'] ?? 0),
        expiredOrRevoked: num(r?.['expired_or_revoked'] ?? 0),
        members: num(r?.['members'] ?? 0),
      };
    },
    async links(runId, rows) {
      const params: unknown[] = [runId];
      const w = where(params, undefined, rows);
      const sql = `SELECT rr.url FROM run_rows rr WHERE rr.run_id = $1 AND rr.url IS NOT NULL${w} ORDER BY rr.idx`;
      return (await pool.query(sql, params)).rows.map((r) => urlRow(r as Row));
    },
    async ids(runId, state) {
      const params: unknown[] = [runId];
      const w = where(params, state, undefined);
      return (await pool.query(`SELECT rr.idx FROM run_rows rr WHERE rr.run_id = $1${w} ORDER BY rr.idx`, params)).rows.map((r) =>
        num(r['idx']),
      );
    },
    async *pages(runId, size = 1000) {
      let after = -1;
      for (;;) {
        const page = (
          await pool.query(
            `SELECT ${PG_COLS}, ${PG_REQUEST} FROM run_rows rr WHERE rr.run_id = $1 AND rr.idx > $2 ORDER BY rr.idx LIMIT $3`,
            [runId, after, size],
          )
        ).rows.map((r) => exportRow(r as Row));
        if (page.length === 0) return;
        after = page.at(-1)!.idx;
        yield page;
        if (page.length < size) return;
        await turn();
      }
    },
  };
}
