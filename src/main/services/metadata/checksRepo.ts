/** What a metadata check found per accepted row of a run, kept locally (migration 13's metadata_checks). */
import {
  summaryLine,
  type CheckStatus,
  type CheckSummary,
  type RowCheck,
  type RowCheckView,
} from '../../../shared/domain/metadata/landed.ts';
import { transaction, type Db } from '../db/types.ts';
import { CHECK_STATUSES as STATUSES, checkRow, statusCount } from './checksTable.ts';

export function createChecksRepo(db: Db) {
  return {
    /** Saves (or replaces) the checks of some rows, in one transaction. */
    save(runId: string, checks: { idx: number; check: RowCheck }[], at: number): void {
      const put = db.prepare(
        `INSERT INTO metadata_checks (run_id, idx, user_id, status, result, checked_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, idx) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, result = excluded.result,
           checked_at = excluded.checked_at`,
      );
      transaction(db, () => {
        for (const { idx, check: c } of checks)
          put.run(runId, idx, c.userId, c.status, JSON.stringify({ missing: c.missing, differs: c.differs, now: c.now }), at);
      });
    },
    /** Every checked row of a run, or only these indexes. */
    rows(runId: string, idxs?: number[]): RowCheckView[] {
      const only = idxs === undefined ? '' : ' AND idx IN (SELECT value FROM json_each(?))';
      return db
        .prepare(`SELECT * FROM metadata_checks WHERE run_id = ?${only} ORDER BY idx`)
        .all(...(idxs === undefined ? [runId] : [runId, JSON.stringify(idxs)]))
        .map(checkRow);
    },
    summary(runId: string): CheckSummary {
      const n = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
      let checkedAt: number | null = null;
      for (const r of db
        .prepare('SELECT status, COUNT(*) AS n, MAX(checked_at) AS at FROM metadata_checks WHERE run_id = ? GROUP BY status')
        .all(runId)) {
        const c = statusCount(r);
        n[c.status] = c.n;
        checkedAt = Math.max(checkedAt ?? 0, c.at);
      }
      const s = {
        accepted: STATUSES.reduce((a, k) => a + n[k], 0),
        landed: n.landed,
        missing: n.missing,
        differs: n.differs,
        noAccount: n.no_account,
      };
      return { runId, ...s, checkedAt, line: summaryLine(s) };
    },
  };
}
export type ChecksRepo = ReturnType<typeof createChecksRepo>;
