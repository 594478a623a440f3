/**
 * A journal that cannot be written (a full disk, as SQLite meets it: the transaction already rolled back): the run
 * pauses at once, sends nothing more, and answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { createRunEngine } from '../../../src/main/services/runs/engine.ts';
import { sqliteRunStore } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';
import { fillable } from '../../helpers/fullDisk.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('disk full', () => {
  it('pauses the run at once (“Disk full: free space, then Resume”), sends nothing more, pause and cancel answer within 1 s', async () => {
    const WINDOW = 400;
    const emulator = await startClerkEmulator({
      rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 2, 'invitations.create': 2 } },
      instances: [{ monthlyEmailCap: null }],
    });
    const dir = makeTempDir();
    cleanups.push(
      () => emulator.close(),
      () => dir.remove(),
    );
    const path = tempDbPath(dir.path);
    const setup = makeRunFixture({ emulator, secretKey: emulator.instance.secretKey, dbPath: path });
    const runId = setup.createRun(
      Array.from({ length: 200 }, (_, i) => appRequest(`full${i}@disk.test`)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    setup.close();

    const { db, disk } = fillable(openDatabase(path));
    cleanups.push(() => db.close());
    const events: RunProgress[] = [];
    const engine = createRunEngine({
      store: sqliteRunStore(createRunsRepo(db), createQuotaStore(db)),
      clientFor: async () => createClerkClient({ baseUrl: emulator.apiUrl, secretKey: emulator.instance.secretKey, timeoutMs: 2000 }),
      emit: (p) => events.push(p),
      limits: { 'app.bulk': 2, 'app.single': 2 },
      backoffBaseMs: 20,
      unknownGraceMs: 300,
    });
    cleanups.push(() => engine.shutdown(0));
    await engine.start(runId);
    await expect.poll(() => createRunsRepo(db).get(runId)!.counts.sent).toBeGreaterThan(0);
    disk.full = true;
    const postsAtFull = emulator.requests.filter((r) => r.method === 'POST').length;
    // The next claim cannot be journaled: the run stops by itself, without being asked.
    await engine.settled(runId);
    expect(engine.isActive(runId)).toBe(false);
    const shown = (await engine.progress(runId))!;
    expect(shown.state).toBe('paused');
    expect(shown.pauseReason).toMatch(/^Disk full: free space, then Resume/);
    expect(events.at(-1)).toMatchObject({ state: 'paused', pauseReason: expect.stringMatching(/^Disk full/) });
    // At most the requests already in flight went out; nothing after the failed write, and no polling loop.
    const posts = emulator.requests.filter((r) => r.method === 'POST').length;
    expect(posts - postsAtFull).toBeLessThanOrEqual(2);
    const requestsAfter = emulator.requests.length;

    let t = Date.now();
    await engine.pause(runId);
    expect(Date.now() - t).toBeLessThan(1000);
    t = Date.now();
    // It answers at once: here with what to do first (rows whose answer the full disk could not record).
    await expect(engine.cancel(runId)).rejects.toThrow(/in flight|full/);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(emulator.requests.length).toBe(requestsAfter);

    // Space freed: Resume goes on from the journal, every row once.
    disk.full = false;
    await engine.start(runId);
    await engine.settled(runId);
    const run = createRunsRepo(db).get(runId)!;
    expect(run.state).toBe('finished');
    expect(run.counts).toMatchObject({ sent: 200, failed: 0 });
    expect(new Set(emulator.instance.invitations.map((i) => i.emailAddress)).size).toBe(emulator.instance.invitations.length);
  });
});
