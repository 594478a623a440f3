/**
 * Issue 26's "done when": two app processes on one team database, each sending its sheet (TEAM_SOAK_ROWS rows,
 * 3,000 under `npm run soak`, 10% of people on both sheets, Send anyway) into one emulator instance at once: both
 * finish at the shared ceiling with 0 × 429 and every person invited once.
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

const ROWS = Number(process.env['TEAM_SOAK_ROWS'] ?? process.env['SOAK_ROWS'] ?? 400);
const WINDOW = 500;
const LIMITS = { 'app.bulk': 5, 'app.single': 10 };
const CEILING_PER_WINDOW = LIMITS['app.bulk'] * 10 + LIMITS['app.single'];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function member(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../helpers/teamChild.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('exit', (code) =>
      code === 0 && out.includes('done') ? resolve(Date.now()) : reject(new Error(`member exited ${code}: ${out}`)),
    );
  });
}

describe('a team of two sending at once', () => {
  it(
    `two app processes × ${ROWS} rows on one team database: at the shared ceiling, 0 × 429, everyone invited once`,
    { timeout: 600_000 },
    async () => {
      const emulator = await startClerkEmulator({
        rateLimits: {
          hourlyWindowMs: WINDOW,
          limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': LIMITS['app.single'] },
        },
        instances: [{ monthlyEmailCap: null }],
      });
      cleanups.push(() => emulator.close());
      const url = await freshPgUrl();
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      cleanups.push(() => pool.end());
      await migratePg(pool);
      const store = pgRunStore(pool);
      const overlap = Math.floor(ROWS / 10);
      const req = (i: number) => appRequest(`s${i}@soak.team.test`, { ignoreExisting: true });
      const runA = appRun(
        emulator.instance.id,
        Array.from({ length: ROWS }, (_, i) => req(i)),
        WINDOW,
        'A',
      );
      const runB = appRun(
        emulator.instance.id,
        Array.from({ length: ROWS }, (_, i) => req(ROWS - overlap + i)),
        WINDOW,
        'B',
      );
      // Reviewed and ready on each member's screen (paused until Send is pressed).
      for (const [run, owner] of [
        [runA, 'laptop-a'],
        [runB, 'laptop-b'],
      ] as const) {
        await store.runs.create(run, Date.now(), owner);
        await store.runs.setState(run.id, 'paused', Date.now(), null);
      }
      const args = (owner: string, id: string) => [
        url,
        emulator.apiUrl,
        emulator.instance.secretKey,
        JSON.stringify({ limits: LIMITS, leaseMs: 2000, owner, only: [id] }),
      ];
      const t0 = Date.now();
      const [endA, endB] = await Promise.all([member(args('laptop-a', runA.id)), member(args('laptop-b', runB.id))]);

      const unique = 2 * ROWS - overlap;
      const tooMany = emulator.requests.filter((r) => r.status === 429).length;
      const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
      const twice = [...per.values()].filter((n) => n > 1).length;
      const took = Math.max(endA, endB) - t0;
      const ideal = (unique / CEILING_PER_WINDOW) * WINDOW;
      console.log(
        `team soak: 2 processes × ${ROWS} rows (${overlap} on both sheets), ${unique} people: ${tooMany} × 429 (goal 0), ` +
          `${twice} invited twice (goal 0), done in ${(took / 1000).toFixed(1)} s vs ${(ideal / 1000).toFixed(1)} s at the shared ceiling ` +
          `(${Math.round((ideal / took) * 100)}%), finished ${Math.abs(endA - endB)} ms apart`,
      );
      expect({ tooMany, twice, people: per.size }).toEqual({ tooMany: 0, twice: 0, people: unique });
      const runs = [await store.runs.get(runA.id), await store.runs.get(runB.id)];
      expect(runs.map((r) => r?.state)).toEqual(['finished', 'finished']);
      expect(runs.reduce((n, r) => n + r!.counts.sent, 0)).toBe(unique);
      // Whatever the machine's load, two processes sharing one ledger do not go over it, nor idle far below it.
      expect(took).toBeGreaterThan(ideal * 0.9);
    },
  );
});
