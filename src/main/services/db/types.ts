/** The slice of node:sqlite's DatabaseSync that services use (the adapter supplies the real one). */
export type SqlValue = null | number | bigint | string | Uint8Array;
export interface Statement {
  run(...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): Record<string, SqlValue> | undefined;
  all(...params: SqlValue[]): Record<string, SqlValue>[];
}
export interface Db {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}

/**
 * Runs `fn` in one transaction. On SQLITE_FULL (and IOERR, NOMEM, some BUSY) SQLite has already rolled the
 * transaction back, so the ROLLBACK here then fails ("cannot rollback - no transaction is active"): the error that
 * stopped the transaction is the one to tell ("database or disk is full"), never the ROLLBACK's.
 */
export function transaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // already rolled back by SQLite itself
    }
    throw e;
  }
}
