/**
 * The team database's connection pool (node-postgres): TLS on by default with the system's trusted CAs, the password
 * handed over from the keychain, bounded waits so an unreachable server is told within seconds.
 */
import pg from 'pg';
import type { OpenPool } from '../services/team/workspace.ts';

export const openTeamPool: OpenPool = ({ url, password, tls }) => {
  const pool = new pg.Pool({
    connectionString: url,
    ...(password === null ? {} : { password }),
    ssl: tls ? { rejectUnauthorized: true } : false,
    max: 6,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
    application_name: 'Invite Desk',
  });
  // No JIT: the history's queries (a run's follow-up tally, what later runs took) are estimated costly enough to be
  // compiled, and compiling took 250–390 ms of a 10,000-row run's 620–730 ms. A SET, not a startup option, which
  // poolers such as PgBouncer refuse.
  pool.on('connect', (client) => void client.query('SET jit = off').catch(() => {}));
  // An idle connection dropped by the server or the network: the next query opens another.
  pool.on('error', () => {});
  return pool;
};
