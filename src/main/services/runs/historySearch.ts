/** History search: every run's rows whose email or domain starts with a query, on the email-key and domain indexes. */
import { historyHitRow } from './runsTable.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import type { HistoryHit } from '../../../shared/domain/send/types.ts';
import type { Db, SqlValue } from '../db/types.ts';

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

export function createHistorySearch(db: Db) {
  return {
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
             ORDER BY r.created_at DESC, r.id, rr.idx LIMIT ?`,
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
      return found.map(historyHitRow);
    },
  };
}
