/**
 * Issue 26's failure: two computers of one team send into the same Clerk instance at once, with overlapping sheets and
 * "Send anyway" (ignore_existing). Each with its own database paced against the whole hourly budget alone: they drew
 * 429s and both invited the people on both sheets (measured before the team workspace: 25 × 429, 60 invited twice).
 * On one team database (two pools, as two computers): 0 × 429 and every person invited once.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { pgRunStore } from '../../../src/main/services/runs/engine/pgStore.ts';
import { sqliteRunStore } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { appRun, makeComputer } from '../../helpers/computer.ts';
import { appRequest, invitationsPerEmail } from '../../helpers/runFixture.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const WINDOW = 600;
const LIMITS = { 'app.bulk': 3, 'app.single': 3 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Storage = 'own databases (This computer)' | 'one team database (PostgreSQL)';

async function sendTogether(storage: Storage) {
  const emulator = await startClerkEmulator({
    rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 3, 'invitations.create': 3 } },
    instances: [{ monthlyEmailCap: null }],
  });
  const dir = makeTempDir();
  cleanups.push(
    () => emulator.close(),
    () => dir.remove(),
  );
  const teamUrl = storage === 'one team database (PostgreSQL)' ? await freshPgUrl() : null;
  const storeOfComputer = async () => {
    if (teamUrl) {
      const pool = new pg.Pool({ connectionString: teamUrl, max: 4 });
      cleanups.push(() => pool.end());
      await migratePg(pool);
      return pgRunStore(pool);
    }
    const db = openDatabase(join(dir.path, `${randomUUID()}.sqlite`));
    cleanups.push(() => db.close());
    return sqliteRunStore(createRunsRepo(db), createQuotaStore(db));
  };
  const a = makeComputer({ name: 'laptop-a', store: await storeOfComputer(), emulator, limits: LIMITS });
  const b = makeComputer({ name: 'laptop-b', store: await storeOfComputer(), emulator, limits: LIMITS });
  cleanups.push(
    () => a.engine.shutdown(0),
    () => b.engine.shutdown(0),
  );
  // Rows 0–119 on A's sheet, 60–179 on B's: 60 people on both, sent with "Send anyway".
  const req = (i: number) => appRequest(`p${i}@team.test`, { ignoreExisting: true });
  const runA = appRun(
    emulator.instance.id,
    Array.from({ length: 120 }, (_, i) => req(i)),
    WINDOW,
    'sheet of A',
  );
  const runB = appRun(
    emulator.instance.id,
    Array.from({ length: 120 }, (_, i) => req(60 + i)),
    WINDOW,
    'sheet of B',
  );
  const t0 = Date.now();
  await Promise.all([a.engine.launch(runA), b.engine.launch(runB)]);
  await Promise.all([a.engine.settled(runA.id), b.engine.settled(runB.id)]);
  const tooMany = emulator.requests.filter((r) => r.status === 429).length;
  const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
  const twice = [...per.values()].filter((n) => n > 1).length;
  console.log(
    `two computers, ${storage}: ${tooMany} × 429, ${twice} people invited more than once, ${per.size} people invited, ${Date.now() - t0} ms`,
  );
  return { tooMany, twice, people: per.size, runs: [await a.store.runs.get(runA.id), await b.store.runs.get(runB.id)] };
}

describe('two computers, one Clerk instance, both sending overlapping sheets with Send anyway', () => {
  it('with their own databases they cannot see each other: the figures that made the team workspace', { timeout: 60_000 }, async () => {
    const r = await sendTogether('own databases (This computer)');
    expect(r.people).toBe(180);
    expect(r.twice).toBe(60);
  });

  it('on one team database: 0 × 429, everyone invited once, the overlap skipped naming the other run', { timeout: 60_000 }, async () => {
    const r = await sendTogether('one team database (PostgreSQL)');
    expect(r.people).toBe(180);
    expect({ tooMany: r.tooMany, twice: r.twice }).toEqual({ tooMany: 0, twice: 0 });
    expect(r.runs.map((x) => x?.state)).toEqual(['finished', 'finished']);
    // Whichever started second skipped the 60 the other was sending; nothing failed.
    const counts = r.runs.map((x) => x!.counts);
    expect(counts.map((c) => c.sent).sort((x, y) => x - y)).toEqual([60, 120]);
    expect(counts.map((c) => c.skipped).sort((x, y) => x - y)).toEqual([0, 60]);
    expect(counts.map((c) => c.failed)).toEqual([0, 0]);
  });
});
