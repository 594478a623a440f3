/**
 * The kill/resume suite on the team database: the sending process is SIGKILLed at random points again and again, and
 * each time another process of the team resumes the run from PostgreSQL. Every row ends exactly once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { appRun } from '../../helpers/computer.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { appRequest, invitationsPerEmail } from '../../helpers/runFixture.ts';

const LIMITS = { 'app.bulk': 4, 'app.single': 6 };
const WINDOW = 800;
const ROWS = 300;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function member(args: string[], killAfterMs: number | null): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../helpers/teamChild.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`member exited with ${code ?? signal}: ${out}`));
    });
  });
}

describe('kill and resume on the team database', () => {
  it(
    'after repeated kills at random points, each resumed by another member, nobody is invited twice and no row is lost',
    { timeout: 120_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: {
          hourlyWindowMs: WINDOW,
          limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] },
        },
        instances: [{ monthlyEmailCap: null }],
      });
      cleanups.push(() => emulator.close());
      emulator.faults.inject({ kind: 'slow', delayMs: 40, method: 'POST' });
      const url = await freshPgUrl();
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      cleanups.push(() => pool.end());
      await migratePg(pool);
      const store = pgRunStore(pool);
      const run = appRun(
        emulator.instance.id,
        Array.from({ length: ROWS }, (_, i) => appRequest(`k${i}@kill.team.test`)),
        WINDOW,
      );
      await store.runs.create(run, Date.now(), null);
      const args = (i: number) => [
        url,
        emulator.apiUrl,
        emulator.instance.secretKey,
        JSON.stringify({ limits: LIMITS, leaseMs: 400, owner: `member-${i}` }),
      ];
      let kills = 0;
      for (let i = 0; i < 8; i++) {
        if (i === 3) emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', probability: 0.2 });
        if ((await member(args(i), 600 + Math.floor(Math.random() * 600))) === 'killed') kills++;
      }
      emulator.faults.clear();
      expect(await member(args(99), null)).toBe('done');
      expect(kills).toBeGreaterThanOrEqual(4);

      const done = (await store.runs.get(run.id))!;
      expect(done.state).toBe('finished');
      expect(done.counts).toMatchObject({ total: ROWS, sent: ROWS, inflight: 0, queued: 0, failed: 0 });
      const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
      expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(per.size).toBe(ROWS);
      const cut = Number((await pool.query('SELECT count(*) AS n FROM run_requests WHERE finished_at IS NULL')).rows[0]?.['n']);
      console.log(`kill/resume on PostgreSQL: ${kills} kills, ${cut} requests cut off mid-flight and reconciled`);
    },
  );
});
