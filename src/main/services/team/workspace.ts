/**
 * The workspace setting: "This computer" (SQLite, the default) or "Team workspace" (a team's PostgreSQL 14+). The
 * URL is kept without its password; the password goes to the OS keychain like the keys (account `team-database`) and
 * is never shown, logged or put in a message. Opening a workspace checks the server, migrates it and says, when it
 * cannot, how to reach it: host, port, database, user and TLS, never the password.
 */
import { Failure } from '../failure.ts';
import type { SecretStore } from '../secrets/secretStore.ts';
import { migratePg } from './pgMigrations.ts';
import type { PgPool } from './pgTypes.ts';
import { isTeamDbUnreachable } from './waitForTeam.ts';

export const TEAM_PASSWORD_ACCOUNT = 'team-database';

export type Workspace = { kind: 'local' } | { kind: 'team'; url: string; tls: boolean };
export type TeamTarget = { host: string; port: number; database: string; user: string; tls: boolean };

/**
 * A URL as typed: `postgres://user[:password]@host[:port]/database`. The password is taken out (for the keychain);
 * what stays is safe to store and show. TLS is on unless the user turned it off.
 */
export function parseTeamUrl(input: string, tls = true): { url: string; password: string | null; target: TeamTarget } {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new Failure('invalid_url', 'The team database URL should look like postgres://user@host:5432/database.');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new Failure('invalid_url', `The team database URL should start with postgres:// (it starts with ${u.protocol}//).`);
  if (!u.hostname) throw new Failure('invalid_url', 'The team database URL has no host: postgres://user@host:5432/database.');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Failure('invalid_url', 'The team database URL names no database: add /database after the host.');
  if (!u.username) throw new Failure('invalid_url', 'The team database URL names no user: postgres://user@host:5432/database.');
  if ([...u.searchParams.keys()].some((k) => k !== 'application_name'))
    throw new Failure('invalid_url', 'Leave options out of the URL: TLS is its own setting, the password goes in its own field.');
  const password = u.password ? decodeURIComponent(u.password) : null;
  u.password = '';
  const target = { host: u.hostname, port: Number(u.port || 5432), database, user: decodeURIComponent(u.username), tls };
  return { url: u.toString(), password, target };
}

/** How the app names the workspace it cannot reach: everything needed to check it, nothing secret. */
export const describeTarget = (t: TeamTarget) => `${t.user}@${t.host}:${t.port}/${t.database} (TLS ${t.tls ? 'on' : 'off'})`;

/** Why the team database did not open, as the user can act on it. */
export function teamDbProblem(e: unknown, t: TeamTarget): Failure {
  const where = describeTarget(t);
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (/does not support SSL/i.test(msg))
    return new Failure(
      'team_tls',
      `The team database at ${where} does not offer TLS. Ask your admin to turn it on, or turn TLS off only for a server on your own network.`,
    );
  if (
    code === '28P01' ||
    code === '28000' ||
    /password authentication failed|no password supplied|client password must be a string/i.test(msg)
  )
    return new Failure(
      'team_auth',
      `The team database at ${where} refused the user or password. Enter the password again (it is kept in your keychain).`,
    );
  if (code === '3D000')
    return new Failure('team_no_database', `There is no database “${t.database}” on ${t.host}:${t.port}. Check the URL's last part.`);
  if (/self[- ]signed|certificate|unable to verify/i.test(msg))
    return new Failure(
      'team_tls',
      `The team database at ${where} showed a certificate this computer does not trust. Ask your admin for the server's CA.`,
    );
  if (isTeamDbUnreachable(e))
    return new Failure(
      'team_unreachable',
      `The team database at ${where} does not answer. Check the host and port, your network or VPN, and that the server runs.`,
    );
  return new Failure('team_error', `The team database at ${where} answered with an error: ${msg}`);
}

export type OpenPool = (o: { url: string; password: string | null; tls: boolean }) => PgPool & { end(): Promise<void> };

/** Opens a team workspace: the password from the keychain, PostgreSQL 14+ checked, the schema migrated. */
export async function openTeamWorkspace(ws: { url: string; tls: boolean }, secrets: SecretStore, openPool: OpenPool) {
  const { target } = parseTeamUrl(ws.url, ws.tls);
  const password = await secrets.get(TEAM_PASSWORD_ACCOUNT);
  const pool = openPool({ url: ws.url, password, tls: ws.tls });
  try {
    const v = Number((await pool.query('SHOW server_version_num')).rows[0]?.['server_version_num']);
    if (v < 140000)
      throw new Failure(
        'team_old_server',
        `The team database at ${describeTarget(target)} runs PostgreSQL ${Math.floor(v / 10000)}; Invite Desk needs 14 or newer.`,
      );
    await migratePg(pool);
    return { pool, target };
  } catch (e) {
    await pool.end().catch(() => {});
    throw e instanceof Failure ? e : teamDbProblem(e, target);
  }
}
