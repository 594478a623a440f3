/**
 * A full disk, as SQLite meets it: while `disk.full`, a write fails with SQLITE_FULL and SQLite has already rolled
 * the open transaction back (so a later ROLLBACK finds none). Reads still work. test/main/db/diskFull.test.ts checks
 * this model against the real thing (`PRAGMA max_page_count`).
 */
import type { Db } from '../../src/main/services/db/types.ts';

/** node:sqlite's error for SQLITE_FULL, as a 2 MB tmpfs (or max_page_count) gives it. */
export const fullError = () =>
  Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13, errstr: 'database or disk is full' });

const WRITES = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|COMMIT)/i;

export function fillable(db: Db) {
  const disk = { full: false };
  const refuse = (sql: string) => {
    if (!disk.full || !WRITES.test(sql)) return;
    if ((db as unknown as { isTransaction?: boolean }).isTransaction) db.exec('ROLLBACK'); // SQLite's automatic rollback
    throw fullError();
  };
  const wrapped: Db = {
    exec: (sql) => {
      refuse(sql);
      db.exec(sql);
    },
    prepare: (sql) => {
      const st = db.prepare(sql);
      return {
        run: (...p) => {
          refuse(sql);
          return st.run(...p);
        },
        get: (...p) => (refuse(sql), st.get(...p)),
        all: (...p) => (refuse(sql), st.all(...p)),
      };
    },
    close: () => db.close(),
  };
  return { db: wrapped, disk };
}
