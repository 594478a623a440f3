/**
 * The team database's connection pool (node-postgres): TLS on by default with the system's trusted CAs, the password
 * handed over from the keychain, bounded waits so an unreachable server is told within seconds.
 */
import pg from 'pg';
import { parseTeamUrl, type OpenPool } from '../services/team/workspace.ts';

export const openTeamPool: OpenPool = ({ url, password, tls }) => {
  // Not `connectionString`: node-postgres lets the URL's empty password override the one given (it was never sent).
  const { target } = parseTeamUrl(url, tls);
  const pool = new pg.Pool({
    host: target.host.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    database: target.database,
    user: target.user,
    ...(password === null ? {} : { password }),
    ssl: tls ? { rejectUnauthorized: true } : false,
    max: 6,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
    application_name: 'Invite Desk',
  });
  // An idle connection dropped by the server or the network: the next query opens another.
  pool.on('error', () => {});
  return pool;
};
