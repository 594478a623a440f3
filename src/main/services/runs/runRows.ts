/**
 * Reading a run's rows in pieces: a page for the detail (with the position of a row, for a history hit), the
 * follow-up tally and the per-outcome counts in SQL, and the whole run page by page for an export. A 20,000-row run
 * read in one statement blocked main for ~100 ms (its export ~200 ms); each piece here is a few milliseconds.
 */
import { MEMBER_STATUS } from '../../../shared/domain/send/outcome.ts';
import type { FollowUpTally, RowFilter, RunRowView } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { Db, SqlValue } from '../db/types.ts';
import { exportRow, runRowView } from './runsTable.ts';
import { OUTCOME_UNKNOWN } from './journalTypes.ts';
import { REVOKED_ELSEWHERE, TAKEN_LATER } from './takenLater.ts';

/** 1 when another run sent this row's email later, or is sending it: no follow-up offers it again (takenLater.ts). */
const SENT_LATER = TAKEN_LATER;

/** The row's run created invitations (a revoke run's rows offer no revoke or resend of their own). */
const CREATE_RUN = `r.op = 'create'`;

/** The columns `rowView` reads, of `run_rows rr`: the one reader of run rows for the window (and the journal's `rows`). */
export const COLS = `rr.idx, rr.sheet_row, rr.email, rr.state, rr.invitation_id, rr.invitation_status, rr.url, rr.error_code, rr.message,
  rr.attempts, rr.expires_at`;

/** One row as the window shows it: the one reader of `run_rows`, its decoder (runsTable.ts). */
export const rowView = runRowView;

/** `AND …` for a filter and a selection (a JSON array of row indexes), with its parameters. */
function where(state: RowFilter | undefined, rows: number[] | undefined): { sql: string; params: SqlValue[] } {
  let sql = '';
  const params: SqlValue[] = [];
  if (state === 'member') {
    sql += ` AND rr.state = 'sent' AND rr.invitation_status = ?`;
    params.push(MEMBER_STATUS);
  } else if (state !== undefined && state !== 'all') {
    sql += ' AND rr.state = ?';
    params.push(state);
  }
  if (rows !== undefined) {
    sql += ' AND rr.idx IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(rows));
  }
  return { sql, params };
}

/** Lets other work (IPC, the engine's timers) run between two pages. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createRunRows(db: Db) {
  return {
    /** `limit` rows of the filter from `offset`, in row order, each marked when a later run sent its email. */
    page(runId: string, opts: { state?: RowFilter; offset: number; limit: number }): RunRowView[] {
      const w = where(opts.state, undefined);
      return db
        .prepare(
          `SELECT ${COLS}, ${SENT_LATER} AS sent_later FROM run_rows rr JOIN runs r ON r.id = rr.run_id
           WHERE rr.run_id = ?${w.sql} ORDER BY rr.idx LIMIT ? OFFSET ?`,
        )
        .all(runId, ...w.params, opts.limit, opts.offset)
        .map(rowView);
    },
    /** Rows changed at or after `since` (a running run's live view), any filter. */
    changed(runId: string, since: number): RunRowView[] {
      return db
        .prepare(
          `SELECT ${COLS}, ${SENT_LATER} AS sent_later FROM run_rows rr JOIN runs r ON r.id = rr.run_id
           WHERE rr.run_id = ? AND rr.updated_at >= ? ORDER BY rr.idx`,
        )
        .all(runId, since)
        .map(rowView);
    },
    /** How many rows the filter shows. */
    count(runId: string, state?: RowFilter): number {
      const w = where(state, undefined);
      return Number(db.prepare(`SELECT COUNT(*) AS n FROM run_rows rr WHERE rr.run_id = ?${w.sql}`).get(runId, ...w.params)?.['n'] ?? 0);
    },
    /** Where row `idx` stands among the filter's rows (how many come before it), or null when it is not among them. */
    positionOf(runId: string, idx: number, state?: RowFilter): number | null {
      const w = where(state, undefined);
      const there = db.prepare(`SELECT 1 FROM run_rows rr WHERE rr.run_id = ? AND rr.idx = ?${w.sql}`).get(runId, idx, ...w.params);
      if (!there) return null;
      return Number(
        db.prepare(`SELECT COUNT(*) AS n FROM run_rows rr WHERE rr.run_id = ? AND rr.idx < ?${w.sql}`).get(runId, idx, ...w.params)?.[
          'n'
        ] ?? 0,
      );
    },
    /** What each follow-up would take, over the run or the selected rows (see RunDetail's buttons). */
    tally(runId: string, rows?: number[]): FollowUpTally {
      const w = where(undefined, rows);
      const r = db
        .prepare(
          `SELECT
             COALESCE(SUM(CASE WHEN rr.state = 'failed' AND COALESCE(rr.error_code, '') != '${OUTCOME_UNKNOWN}' THEN NOT ${SENT_LATER} ELSE 0 END), 0) AS failed,
             COALESCE(SUM(CASE WHEN rr.state = 'cancelled' THEN NOT ${SENT_LATER} ELSE 0 END), 0) AS unsent,
             COALESCE(SUM(rr.url IS NOT NULL), 0) AS links,
             COALESCE(SUM(CASE WHEN rr.state = 'sent' AND rr.invitation_id IS NOT NULL AND COALESCE(rr.invitation_status, 'pending') = 'pending' AND ${CREATE_RUN} THEN NOT ${REVOKED_ELSEWHERE} ELSE 0 END), 0) AS pending,
             COALESCE(SUM(CASE WHEN rr.state = 'sent' AND rr.invitation_status IN ('expired', 'revoked') AND ${CREATE_RUN} THEN NOT ${SENT_LATER} ELSE 0 END), 0) AS expired_or_revoked,
             COALESCE(SUM(rr.state = 'sent' AND rr.invitation_status = '${MEMBER_STATUS}'), 0) AS members
           FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE rr.run_id = ?${w.sql}`,
        )
        .get(runId, ...w.params);
      return {
        failed: Number(r?.['failed'] ?? 0),
        unsent: Number(r?.['unsent'] ?? 0),
        links: Number(r?.['links'] ?? 0),
        pending: Number(r?.['pending'] ?? 0),
        expiredOrRevoked: Number(r?.['expired_or_revoked'] ?? 0),
        members: Number(r?.['members'] ?? 0),
      };
    },
    /** Accept links, in row order (one JSON text from SQLite: 20,000 row objects would cost main ~25 ms). */
    links(runId: string, rows?: number[]): string[] {
      const w = where(undefined, rows);
      const r = db
        .prepare(
          `SELECT json_group_array(url) AS v FROM (SELECT rr.url FROM run_rows rr WHERE rr.run_id = ? AND rr.url IS NOT NULL${w.sql} ORDER BY rr.idx)`,
        )
        .get(runId, ...w.params);
      return JSON.parse(String(r?.['v'] ?? '[]')) as string[];
    },
    /** Indexes of the filter's rows, in order. */
    ids(runId: string, state?: RowFilter): number[] {
      const w = where(state, undefined);
      const r = db
        .prepare(`SELECT json_group_array(idx) AS v FROM (SELECT rr.idx FROM run_rows rr WHERE rr.run_id = ?${w.sql} ORDER BY rr.idx)`)
        .get(runId, ...w.params);
      return JSON.parse(String(r?.['v'] ?? '[]')) as number[];
    },
    /**
     * Every row with the request it carried, `size` rows per statement, the event loop free between two pages:
     * an export of a huge run never holds main for long.
     */
    async *pages(runId: string, size = 1000): AsyncGenerator<(RunRowView & { request: RowRequest | null })[]> {
      const st = db.prepare(`SELECT ${COLS}, rr.request FROM run_rows rr WHERE rr.run_id = ? AND rr.idx > ? ORDER BY rr.idx LIMIT ?`);
      let after = -1;
      for (;;) {
        const page = st.all(runId, after, size).map(exportRow);
        if (page.length === 0) return;
        after = page.at(-1)!.idx;
        yield page;
        if (page.length < size) return;
        await turn();
      }
    },
  };
}
export type RunRows = ReturnType<typeof createRunRows>;
