/**
 * The team database stops answering mid-run: nothing more is sent (a journal the others cannot see would break
 * "never twice"), the app knows since when it waits, and the run goes on by itself when the database is back.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { isTeamDbUnreachable, waitForTeamDb } from '../../../src/main/services/team/waitForTeam.ts';
import { appRun, makeComputer } from '../../helpers/computer.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { appRequest, invitationsPerEmail } from '../../helpers/runFixture.ts';
import { startTcpProxy } from '../../helpers/tcpProxy.ts';

const WINDOW = 600;
const LIMITS = { 'app.bulk': 3, 'app.single': 3 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the team database unreachable', () => {
  it(
    'mid-run: no request goes out while it is gone, the wait is told with its start, the run finishes after; 0 duplicates',
    { timeout: 60_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 3, 'invitations.create': 3 } },
        instances: [{ monthlyEmailCap: null }],
      });
      cleanups.push(() => emulator.close());
      emulator.faults.inject({ kind: 'slow', delayMs: 30, method: 'POST' });
      const url = new URL(await freshPgUrl());
      await migratePg(new pg.Pool({ connectionString: url.toString(), max: 1 }));
      const proxy = await startTcpProxy(Number(url.port));
      cleanups.push(() => proxy.close());
      url.port = String(proxy.port);
      const pool = new pg.Pool({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 1000 });
      pool.on('error', () => {}); // idle clients cut with the proxy: the next query reconnects
      cleanups.push(() => pool.end());

      const waits: (number | null)[] = [];
      let retries = 0;
      const team = waitForTeamDb(pgRunStore(pool), {
        clock: systemClock,
        retryMs: 50,
        onWaiting: (since) => waits.push(since),
        onRetry: () => retries++,
      });
      cleanups.push(() => team.close());
      const a = makeComputer({ name: 'laptop-a', store: team.store, emulator, limits: LIMITS, engine: { leaseMs: 5_000 } });
      cleanups.push(() => a.engine.shutdown(0));
      const run = appRun(
        emulator.instance.id,
        Array.from({ length: 150 }, (_, i) => appRequest(`u${i}@gone.test`)),
        WINDOW,
      );
      await a.engine.launch(run);
      const posts = () => emulator.requests.filter((r) => r.method === 'POST').length;
      await expect.poll(posts, { interval: 10 }).toBeGreaterThan(5);

      await proxy.cut();
      await expect.poll(() => team.waitingSince(), { interval: 10 }).not.toBeNull();
      const atWait = posts();
      // Many tries later (the lanes, the heartbeat): the requests already on their way were all that went.
      await expect.poll(() => retries, { interval: 20, timeout: 20_000 }).toBeGreaterThan(40);
      expect(posts() - atWait).toBeLessThanOrEqual(2);
      expect(waits).toEqual([expect.any(Number)]);

      await proxy.restore();
      await a.engine.settled(run.id);
      expect(waits).toEqual([expect.any(Number), null]);
      const done = (await team.store.runs.get(run.id))!;
      expect(done.state).toBe('finished');
      expect(done.counts).toMatchObject({ sent: 150, failed: 0 });
      const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
      expect([...per.values()].filter((n) => n !== 1)).toEqual([]);
      expect(per.size).toBe(150);
    },
  );

  it('tells a connection failure from a statement the database refused', () => {
    expect(isTeamDbUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTeamDbUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTeamDbUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isTeamDbUnreachable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isTeamDbUnreachable('nope')).toBe(false);
  });
});
