/**
 * A member's role that must sign in with its password (PASSWORD_LOGIN in postgres.ts) and a database it owns, as a
 * team's admin would set one up. No vitest import: Playwright specs use it too.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PASSWORD_LOGIN } from './postgres.ts';

/** On the server at `serverUrl` (a superuser's URL); the URL returned holds no password. */
export async function passwordDatabase(serverUrl: string): Promise<{ url: string; user: string; password: string }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const id = randomUUID().replaceAll('-', '').slice(0, 12);
  const user = `member_${id}`;
  const password = `pw-${randomUUID()}`;
  try {
    await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}' IN ROLE ${PASSWORD_LOGIN}`);
    await admin.query(`CREATE DATABASE team_${id} OWNER ${user}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.username = user;
  url.pathname = `/team_${id}`;
  return { url: url.toString(), user, password };
}
