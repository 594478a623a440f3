/** The team workspace setting: the URL kept without its password, TLS on by default, and problems told without it. */
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openTeamPool } from '../../../src/main/adapters/teamPool.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { openTeamWorkspace, parseTeamUrl, TEAM_PASSWORD_ACCOUNT, type OpenPool } from '../../../src/main/services/team/workspace.ts';
import { pgMigrations } from '../../../src/main/services/team/pgMigrations.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { passwordDatabase } from '../../helpers/pgRoles.ts';

describe('team workspace setting', () => {
  it('takes the password out of a typed URL (for the keychain) and keeps TLS on unless turned off', () => {
    const p = parseTeamUrl('  postgres://ops%40acme:s3cr%3At@db.acme.example:6543/invites ');
    expect(p).toEqual({
      url: 'postgres://ops%40acme@db.acme.example:6543/invites',
      password: 's3cr:t',
      target: { host: 'db.acme.example', port: 6543, database: 'invites', user: 'ops@acme', tls: true },
    });
    expect(parseTeamUrl('postgresql://u@h/d', false).target).toMatchObject({ port: 5432, tls: false });
  });

  it.each([
    ['https://db.example/x', /should start with postgres:\/\/ \(it starts with https:\/\/\)/],
    ['postgres://u@h', /names no database/],
    ['postgres://h:5432/d', /names no user/],
    ['postgres://u@h/d?sslmode=disable', /Leave options out of the URL: TLS is its own setting/],
    ['not a url', /should look like postgres:\/\/user@host:5432\/database/],
  ])('refuses %s, saying what to fix', (url, message) => {
    expect(() => parseTeamUrl(url)).toThrow(message);
  });

  it('opens a PostgreSQL 14+ workspace with the keychain’s password and migrates it', async () => {
    const url = await freshPgUrl();
    const secrets = createMemorySecretStore();
    await secrets.set(TEAM_PASSWORD_ACCOUNT, 'from-the-keychain');
    const given: (string | null)[] = [];
    const spy: OpenPool = (o) => {
      given.push(o.password);
      return openTeamPool(o);
    };
    const { pool, target } = await openTeamWorkspace({ url, tls: false }, secrets, spy);
    try {
      expect(given).toEqual(['from-the-keychain']);
      expect(target).toMatchObject({ host: '127.0.0.1', user: 'app', tls: false });
      expect((await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]).toEqual({ n: pgMigrations.length });
      // Its connections never JIT-compile a query and price index reads as on SSDs (see teamPool.ts for the figures).
      expect((await pool.query('SHOW jit')).rows[0]).toEqual({ jit: 'off' });
      expect((await pool.query('SHOW random_page_cost')).rows[0]).toEqual({ random_page_cost: '1.1' });
    } finally {
      await pool.end();
    }
  });

  it('says how to reach it when it cannot, never showing the password', async () => {
    const secrets = createMemorySecretStore();
    await secrets.set(TEAM_PASSWORD_ACCOUNT, 'hunter2-secret');
    const base = new URL(inject('pgUrl'));
    // TLS on (the default) against a server without it.
    await expect(
      openTeamWorkspace({ url: `postgres://app@127.0.0.1:${base.port}/postgres`, tls: true }, secrets, openTeamPool),
    ).rejects.toMatchObject({
      code: 'team_tls',
      message: expect.stringMatching(/^The team database at app@127\.0\.0\.1:\d+\/postgres \(TLS on\) does not offer TLS\. Ask your admin/),
    });
    await expect(
      openTeamWorkspace({ url: `postgres://app@127.0.0.1:${base.port}/nope`, tls: false }, secrets, openTeamPool),
    ).rejects.toMatchObject({
      code: 'team_no_database',
      message: `There is no database “nope” on 127.0.0.1:${base.port}. Check the URL's last part.`,
    });
    const gone = openTeamWorkspace({ url: 'postgres://app@127.0.0.1:9/team', tls: false }, secrets, openTeamPool);
    await expect(gone).rejects.toMatchObject({
      code: 'team_unreachable',
      message:
        'The team database at app@127.0.0.1:9/team (TLS off) does not answer. Check the host and port, your network or VPN, and that the server runs.',
    });
    const told = (await gone.catch((e: unknown) => e)) as Error & { detail?: unknown };
    expect(`${told.message} ${JSON.stringify(told.detail ?? null)} ${told.stack ?? ''}`).not.toContain('hunter2');
  });

  it('signs in with the keychain’s password against a server that asks for one; a wrong or missing one is team_auth', async () => {
    const team = await passwordDatabase(inject('pgUrl'));
    const secrets = createMemorySecretStore();
    await secrets.set(TEAM_PASSWORD_ACCOUNT, team.password);
    const { pool } = await openTeamWorkspace({ url: team.url, tls: false }, secrets, openTeamPool);
    expect((await pool.query('SELECT current_user AS u')).rows[0]).toEqual({ u: team.user });
    await pool.end();
    const where = `${team.user}@127.0.0.1:${new URL(team.url).port}${new URL(team.url).pathname} (TLS off)`;
    await secrets.set(TEAM_PASSWORD_ACCOUNT, 'wrong-one');
    await expect(openTeamWorkspace({ url: team.url, tls: false }, secrets, openTeamPool)).rejects.toMatchObject({
      code: 'team_auth',
      message: `The team database at ${where} refused the user or password. Enter the password again (it is kept in your keychain).`,
    });
    await secrets.delete(TEAM_PASSWORD_ACCOUNT);
    await expect(openTeamWorkspace({ url: team.url, tls: false }, secrets, openTeamPool)).rejects.toMatchObject({ code: 'team_auth' });
  });
});
