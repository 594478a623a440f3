/**
 * The app opened on a team workspace whose server does not answer yet: it opens anyway, every call waits (nothing is
 * sent), the banner says since when and what to check (never the password), and once the server answers the schema
 * is migrated and the calls go on. A server that refuses the password is told once, and calls fail at once with it.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openTeamPool } from '../../../src/main/adapters/teamPool.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import type { Storage } from '../../../src/main/services/runs/engine/ports.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { PgPool } from '../../../src/main/services/team/pgTypes.ts';
import { openTeamSession } from '../../../src/main/services/team/teamSession.ts';
import type { OpenPool } from '../../../src/main/services/team/workspace.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { startTcpProxy } from '../../helpers/tcpProxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The engine's ports on the pool, and empty history/rows: what this test reads is the runs port. */
const storageOn = (pool: PgPool) => ({ ...pgRunStore(pool), history: {}, rows: {} }) as unknown as Storage;

describe('a team session', () => {
  it('opened while the server is down: calls wait, since when is told, and they answer once it is up', async () => {
    const url = new URL(await freshPgUrl());
    const proxy = await startTcpProxy(Number(url.port));
    cleanups.push(() => proxy.close());
    await proxy.cut();
    url.port = String(proxy.port);
    const waits: (number | null)[] = [];
    const refusals: string[] = [];
    const session = openTeamSession({
      ws: { url: url.toString(), tls: false },
      secrets: createMemorySecretStore(),
      openPool: openTeamPool,
      clock: systemClock,
      storageOn,
      onWaiting: (since) => waits.push(since),
      onRefused: (text) => refusals.push(text),
      retryMs: 20,
    });
    cleanups.push(() => session.close());
    let answered = false;
    const list = session.storage.runs.withState('running').then((r) => ((answered = true), r));
    await expect.poll(() => waits.length, { interval: 10 }).toBeGreaterThan(0);
    expect(waits).toEqual([expect.any(Number)]);
    // Where it waits for, as the window says it: user, host, port, database and TLS.
    expect(session.where).toMatch(new RegExp(`@127\\.0\\.0\\.1:${proxy.port}/\\w+ \\(TLS off\\)$`));
    expect(session.waitingSince()).not.toBeNull();
    expect(answered).toBe(false);

    await proxy.restore();
    expect(await list).toEqual([]);
    expect(waits).toEqual([expect.any(Number), null]);
    expect(refusals).toEqual([]);
    expect(session.waitingSince()).toBeNull();
    // Opened means migrated: the schema is there for every teammate.
    const direct = new pg.Pool({ connectionString: (await freshPgUrl()).replace(/\/[^/]*$/, url.pathname), max: 1 });
    cleanups.push(() => direct.end());
    expect((await direct.query('SELECT count(*) AS n FROM schema_migrations')).rows[0]!['n']).not.toBe('0');
  });

  it('a refused password is told once, with the next step and never the password; calls fail at once', async () => {
    const secrets = createMemorySecretStore();
    await secrets.set('team-database', 'Wrong-Pa55word');
    let connects = 0;
    // The server's answer to a wrong password (SQLSTATE 28P01), as node-postgres hands it over.
    const refusing: OpenPool = () => ({
      async query() {
        connects++;
        throw Object.assign(new Error('password authentication failed for user "teammate"'), { code: '28P01' });
      },
      connect: () => Promise.reject(new Error('unused')),
      end: async () => {},
    });
    const waits: (number | null)[] = [];
    const refusals: string[] = [];
    const session = openTeamSession({
      ws: { url: 'postgres://teammate@db.team.test:5432/invites', tls: true },
      secrets,
      openPool: refusing,
      clock: systemClock,
      storageOn,
      onWaiting: (since) => waits.push(since),
      onRefused: (text) => refusals.push(text),
      retryMs: 20,
    });
    cleanups.push(() => session.close());
    await expect(session.storage.runs.withState('running')).rejects.toMatchObject({ code: 'team_auth' });
    await expect(session.storage.runs.get('x')).rejects.toMatchObject({ code: 'team_auth' });
    expect(connects).toBe(2);
    expect(refusals).toEqual([
      'The team database at teammate@db.team.test:5432/invites (TLS on) refused the user or password. Enter the password again (it is kept in your keychain). Open Workspace settings to fix it; nothing is sent meanwhile.',
    ]);
    expect(waits).toEqual([]);
    expect(session.waitingSince()).toBeNull();
  });
});
