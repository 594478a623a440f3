/**
 * Never twice across computers: a run is sent only by the computer holding its lease; when that computer is killed
 * mid-run (SIGKILL), a teammate's app takes the run over once the lease is stale, looks up what was in flight, and
 * finishes it: every person invited once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { watchTeamRuns } from '../../../src/main/services/team/takeover.ts';
import { appRun, makeComputer } from '../../helpers/computer.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { appRequest, invitationsPerEmail } from '../../helpers/runFixture.ts';

const WINDOW = 800;
const LIMITS = { 'app.bulk': 4, 'app.single': 6 };
const LEASE_MS = 600;
const ROWS = 300;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a teammate takes over a run whose computer died', () => {
  it(
    'SIGKILL the computer sending a run: the other takes it over after the lease and finishes it, 0 duplicates',
    { timeout: 90_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: {
          hourlyWindowMs: WINDOW,
          limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] },
        },
        instances: [{ monthlyEmailCap: null }],
      });
      cleanups.push(() => emulator.close());
      // Requests take a while and some are applied with the answer lost, so the kill lands with requests in flight.
      emulator.faults.inject({ kind: 'slow', delayMs: 60, method: 'POST' });
      emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', probability: 0.1 });
      const url = await freshPgUrl();
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      cleanups.push(() => pool.end());
      await migratePg(pool);
      const store = pgRunStore(pool);
      const run = appRun(
        emulator.instance.id,
        Array.from({ length: ROWS }, (_, i) => appRequest(`t${i}@takeover.test`)),
        WINDOW,
      );
      // In the team's journal, running and free: the member's process below picks it up as at its start.
      await store.runs.create(run, Date.now(), null);

      const child = spawn(
        process.execPath,
        [
          join(import.meta.dirname, '../../helpers/teamChild.ts'),
          url,
          emulator.apiUrl,
          emulator.instance.secretKey,
          JSON.stringify({ limits: LIMITS, leaseMs: LEASE_MS, owner: 'laptop-a' }),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      cleanups.push(() => void child.kill('SIGKILL'));
      await expect.poll(async () => (await store.runs.leaseOf(run.id)).owner, { timeout: 20_000 }).toBe('laptop-a');
      await expect.poll(async () => (await store.runs.get(run.id))!.counts.sent, { timeout: 20_000, interval: 20 }).toBeGreaterThan(60);

      // Laptop B is open on the same workspace and watches the team's runs.
      const b = makeComputer({ name: 'laptop-b', store, emulator, limits: LIMITS, engine: { leaseMs: LEASE_MS } });
      let tookOver: (from: string | null) => void = () => {};
      const taken = new Promise<string | null>((resolve) => (tookOver = resolve));
      const watch = watchTeamRuns({
        engine: b.engine,
        store,
        clock: systemClock,
        leaseMs: LEASE_MS,
        onTakeover: (_id, from) => tookOver(from),
      });
      cleanups.push(
        () => watch.stop(),
        () => b.engine.shutdown(0),
      );
      // While A renews its lease, B leaves the run alone.
      await watch.tick();
      expect(b.engine.isActive(run.id)).toBe(false);

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const sentAtKill = (await store.runs.get(run.id))!.counts.sent;
      expect(await taken).toBe('laptop-a');
      await b.engine.settled(run.id);

      const done = (await store.runs.get(run.id))!;
      expect(done.state).toBe('finished');
      expect(done.counts).toMatchObject({ total: ROWS, sent: ROWS, failed: 0, inflight: 0, queued: 0 });
      const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
      expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(per.size).toBe(ROWS);
      console.log(`takeover: killed laptop A after ${sentAtKill} of ${ROWS} sent; laptop B finished the run; 0 duplicates`);
    },
  );
});
