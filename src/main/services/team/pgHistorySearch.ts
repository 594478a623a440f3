/**
 * History search in the team database: rows of every run whose email key, or whose domain, starts with the query
 * (searchTerms, as on this computer), newest runs first. Compared in "C" (byte order) whatever the database's
 * collation, so each prefix is a range on its expression index (team migration 2).
 */
import type { HistoryHit } from '../../../shared/domain/send/types.ts';
import type { Row } from '../db/decode.ts';
import { searchTerms } from '../runs/historySearch.ts';
import { historyHitRow } from '../runs/runsTable.ts';
import type { PgPool } from './pgTypes.ts';

/** The domain of the email key, exactly as the index spells it (any other spelling would not use it). */
const DOMAIN = `substr(rr.email_key, strpos(rr.email_key, '@') + 1) COLLATE "C"`;
const KEY = `rr.email_key COLLATE "C"`;
/** U+10FFFF sorts after every character in byte order: `[q, q + END)` is every text starting with q. */
const END = '\u{10ffff}';

export async function pgSearchEmail(pool: PgPool, query: string, limit = 200): Promise<HistoryHit[]> {
  const terms = searchTerms(query);
  const params: unknown[] = [];
  const ranges: string[] = [];
  const range = (expr: string, prefix: string) => {
    params.push(prefix, prefix + END);
    ranges.push(`(${expr} >= $${params.length - 1} AND ${expr} < $${params.length})`);
  };
  if (terms.email !== null) range(KEY, terms.email);
  if (terms.domain !== null) range(DOMAIN, terms.domain);
  if (ranges.length === 0) return [];
  params.push(limit);
  const rows = (
    await pool.query(
      `SELECT rr.run_id, rr.idx, rr.email, rr.state, rr.invitation_id, rr.invitation_status, rr.error_code, rr.message,
              r.sheet_name, r.profile_name, r.environment, r.created_at
       FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE ${ranges.join(' OR ')}
       ORDER BY r.created_at DESC, r.id, rr.idx LIMIT $${params.length}`,
      params,
    )
  ).rows;
  return rows.map((r) => historyHitRow(r as Row));
}
