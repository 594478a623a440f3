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

/** Runs `fn` in one transaction. */
export function transaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
