/**
 * The slice of node-postgres (`pg`) that the team-workspace services use: a pool that answers queries and lends a
 * client for a transaction. The adapter (adapters/teamPool.ts) supplies the real pool; services never import `pg`.
 */
export type PgResult = { rows: Record<string, unknown>[]; rowCount: number | null };
export interface PgQuery {
  query(text: string, params?: unknown[]): Promise<PgResult>;
}
export interface PgClient extends PgQuery {
  release(err?: Error | boolean): void;
  /** node-postgres's client is an EventEmitter: a connection lost while lent out is an 'error' event. */
  on?(event: 'error', listener: (e: Error) => void): unknown;
  off?(event: 'error', listener: (e: Error) => void): unknown;
}
export interface PgPool extends PgQuery {
  connect(): Promise<PgClient>;
}

/** Runs `fn` in one transaction on one pooled connection; rolls back on any error (and rethrows it). */
export async function pgTransaction<T>(pool: PgPool, fn: (q: PgQuery) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  // The connection lost while lent out (between two queries of the transaction): an 'error' event nobody else
  // listens to would end the app. Kept as the reason not to pool it again; the next query fails with it anyway.
  const lost = (e: Error) => void (broken = e);
  c.on?.('error', lost);
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    try {
      await c.query('ROLLBACK');
    } catch (r) {
      broken = r instanceof Error ? r : new Error(String(r)); // the connection is gone: do not pool it again
    }
    throw e;
  } finally {
    c.off?.('error', lost);
    c.release(broken);
  }
}

/** A BIGINT or COUNT(*) as a number (node-postgres hands int8 over as text), null kept. */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The database server's time in ms: one clock for every member of a team (their laptops' clocks may differ). */
export const DB_NOW = `(extract(epoch from clock_timestamp()) * 1000)::float8`;

/**
 * A lease's or the quota ledger's time as SQL, for a call whose own time is parameter $n: the server's clock (the app), or the caller's
 * (tests with fixed times). The parameter is referenced either way, so one statement serves both.
 */
export const leaseStamp = (dbClock: boolean, n: number): string => (dbClock ? `(${DB_NOW} + 0 * $${n}::float8)` : `$${n}::float8`);

/**
 * A stored time said in the caller's clock (its `now` is parameter $n), and a caller's time as stored: with the server's
 * clock (`dbClock`) the two differ by the clocks' difference, so a time keeps its distance from now whoever reads it.
 * The parameter is referenced either way, so one statement serves both clocks.
 */
export const teamClock = (dbClock: boolean) => ({
  toCaller: (sql: string, n: number) => (dbClock ? `(${sql} + $${n}::float8 - ${DB_NOW})` : `(${sql} + 0 * $${n}::float8)`),
  toServer: (sql: string, n: number) => (dbClock ? `(${sql} + ${DB_NOW} - $${n}::float8)` : `(${sql} + 0 * $${n}::float8)`),
});
