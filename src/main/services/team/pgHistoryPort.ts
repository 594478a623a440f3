/**
 * Past runs in the team database as the history, the review and the follow-ups read them, and what status sync and
 * retention write: the same answers as this computer's journal (runsRepo, runHistory.ts, historySearch.ts,
 * takenLater.ts), for every member's runs.
 */
import type { HistoryPort } from '../runs/engine/ports.ts';
import type { Row } from '../db/decode.ts';
import { OUTCOME_UNKNOWN } from '../runs/journalTypes.ts';
import { decodeRunOptions } from '../runs/runOptions.ts';
import { invitationIdRow, rowRequest, runRowView } from '../runs/runsTable.ts';
import { SENT_PAGE, SENT_REQUEST, SENT_SINCE, sentByRow } from '../runs/sentBy.ts';
import { pgHistoryOf } from './pgHistory.ts';
import { pgSearchEmail } from './pgHistorySearch.ts';
import { PG_COLS, PG_REQUEST } from './pgRows.ts';
import { SUMMARY, summaryOf } from './pgRuns.ts';
import { pgTakenLater } from './pgTakenLater.ts';
import { pgTransaction, strOrNull, type PgPool } from './pgTypes.ts';

/** Runs retention may delete: ended, with no row in flight, to send, or of unknown outcome (the only trace of it). */
const ENDED = `state IN ('finished', 'cancelled', 'interrupted')
  AND NOT EXISTS (SELECT 1 FROM run_rows u WHERE u.run_id = runs.id
    AND (u.state IN ('inflight', 'queued') OR (u.state = 'failed' AND u.error_code = '${OUTCOME_UNKNOWN}')))`;

export function pgHistoryPort(pool: PgPool): HistoryPort {
  return {
    list: async () => (await pool.query(`${SUMMARY} ORDER BY r.created_at DESC, r.id`)).rows.map(summaryOf),
    optionsOf: async (id) =>
      decodeRunOptions(strOrNull((await pool.query('SELECT options FROM runs WHERE id = $1', [id])).rows[0]?.['options'])),
    async rows(id, since) {
      const sql = `SELECT ${PG_COLS} FROM run_rows rr WHERE rr.run_id = $1${since === undefined ? '' : ' AND rr.updated_at >= $2'} ORDER BY rr.idx`;
      return (await pool.query(sql, since === undefined ? [id] : [id, since])).rows.map((r) => runRowView(r as Row));
    },
    requests: async (id) =>
      new Map(
        (await pool.query(`SELECT rr.idx, ${PG_REQUEST} FROM run_rows rr WHERE rr.run_id = $1`, [id])).rows.map((r) =>
          rowRequest(r as Row),
        ),
      ),
    takenLater: (id, op) => pgTakenLater(pool, id, op),
    historyOf: (instanceId, organizationId, keys) => pgHistoryOf(pool)(instanceId, organizationId, keys),
    searchEmail: (query, limit) => pgSearchEmail(pool, query, limit),
    applyStatuses: (runId, statuses, now) =>
      pgTransaction(pool, async (q) => {
        const ids = (
          await q.query('SELECT DISTINCT invitation_id FROM run_rows WHERE run_id = $1 AND invitation_id IS NOT NULL', [runId])
        ).rows
          .map((r) => invitationIdRow(r as Row))
          .filter((id) => statuses.has(id));
        const given = ids.map((id) => statuses.get(id)!);
        const args = [runId, ids, given.map((s) => s.status), given.map((s) => s.url), given.map((s) => s.expiresAt ?? null), now];
        const set = `unnest($2::text[], $3::text[], $4::text[], $5::float8[]) AS s(id, status, url, expires_at)`;
        // List answers carry no accept link: a stored link is never overwritten with null.
        const changed =
          (
            await q.query(
              `UPDATE run_rows rr SET invitation_status = s.status, url = COALESCE(s.url, rr.url),
                 expires_at = COALESCE(s.expires_at, rr.expires_at), updated_at = $6
               FROM ${set} WHERE rr.run_id = $1 AND rr.invitation_id = s.id
                 AND (rr.invitation_status IS DISTINCT FROM s.status OR (s.url IS NOT NULL AND rr.url IS DISTINCT FROM s.url))`,
              args,
            )
          ).rowCount ?? 0;
        await q.query(
          `UPDATE run_rows rr SET expires_at = s.expires_at FROM ${set}
           WHERE rr.run_id = $1 AND rr.invitation_id = s.id AND s.expires_at IS NOT NULL AND rr.expires_at IS DISTINCT FROM s.expires_at`,
          args.slice(0, 5),
        );
        await q.query('UPDATE runs SET synced_at = $2 WHERE id = $1', [runId, now]);
        return changed;
      }),
    async purge(opts) {
      const params: unknown[] = [];
      let sql = `DELETE FROM runs WHERE ${ENDED}`;
      if (opts.before !== undefined) {
        params.push(opts.before);
        sql += ` AND created_at < $${params.length}`;
      }
      if (opts.profileId !== undefined) {
        params.push(opts.profileId);
        sql += ` AND profile_id = $${params.length}`;
      }
      // Rows and requests go with their run (ON DELETE CASCADE).
      return (await pool.query(sql, params)).rowCount ?? 0;
    },
    sentSince: async (instanceId, since, after, limit) =>
      (
        await pool.query(
          SENT_SINCE.replace('$instance', () => '$1')
            .replace('$since', () => '$2')
            .replace('$after', () => '$3')
            .replace('$limit', () => '$4'),
          [instanceId, since, after ?? '', limit ?? SENT_PAGE],
        )
      ).rows.map((r) => sentByRow(r as Row)),
    async sentRequest(invitationId) {
      const r = (
        await pool.query(
          SENT_REQUEST.replace('$id', () => '$1'),
          [invitationId],
        )
      ).rows[0];
      return r ? rowRequest(r as Row)[1] : null;
    },
  };
}
