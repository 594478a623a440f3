/**
 * Issue 26's failure: two computers of one team send into the same Clerk instance at once, with overlapping sheets and
 * "Send anyway" (ignore_existing). Each paced against the whole hourly budget alone drew 429s, and both invited the
 * people on both sheets. Here both share the storage they are given; the team workspace must give 0 × 429 and
 * every person invited once.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { sqliteRunStore } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { appRun, makeComputer } from '../../helpers/computer.ts';
import { appRequest, invitationsPerEmail } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const WINDOW = 600;
const LIMITS = { 'app.bulk': 3, 'app.single': 3 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('two computers, one Clerk instance', () => {
  it('both sending at once with overlapping sheets and Send anyway: 0 × 429, everyone invited once', { timeout: 60_000 }, async () => {
    const emulator = await startClerkEmulator({
      rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 3, 'invitations.create': 3 } },
      instances: [{ monthlyEmailCap: null }],
    });
    const dir = makeTempDir();
    cleanups.push(
      () => emulator.close(),
      () => dir.remove(),
    );
    // Each computer its own local database (what "This computer" means today).
    const local = () => {
      const db = openDatabase(join(dir.path, `${randomUUID()}.sqlite`));
      cleanups.push(() => db.close());
      return sqliteRunStore(createRunsRepo(db), createQuotaStore(db));
    };
    const a = makeComputer({ name: 'laptop-a', store: local(), emulator, limits: LIMITS });
    const b = makeComputer({ name: 'laptop-b', store: local(), emulator, limits: LIMITS });
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
    await Promise.all([a.engine.launch(runA), b.engine.launch(runB)]);
    await Promise.all([a.engine.settled(runA.id), b.engine.settled(runB.id)]);

    const tooMany = emulator.requests.filter((r) => r.status === 429).length;
    const per = invitationsPerEmail(emulator, emulator.instance.secretKey);
    const twice = [...per.values()].filter((n) => n > 1).length;
    console.log(`two computers: ${tooMany} × 429, ${twice} people invited more than once, ${per.size} people invited`);
    expect(per.size).toBe(180);
    expect({ tooMany, twice }).toEqual({ tooMany: 0, twice: 0 });
  });
});
