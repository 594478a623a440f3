/**
 * A teammate's run is watched live: while computer A sends, computer B (same team store, not driving the run) reports
 * it as its rows move and once when it ends, so B's Runs page follows it; B's own runs are left to B's engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { watchTeammates } from '../../../src/main/services/team/teamWatch.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';
import { appRun, makeComputer } from '../../helpers/computer.ts';
import { memoryRunStore } from '../../helpers/memoryRunStore.ts';
import { appRequest } from '../../helpers/runFixture.ts';

const WINDOW = 600;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('watching a teammate’s run', () => {
  it('B reports A’s run as it goes (sent rising) and once finished; nothing of B’s own', async () => {
    const emulator = await startClerkEmulator({
      rateLimits: { hourlyWindowMs: WINDOW, limits: { 'invitations.bulk': 2, 'invitations.create': 2 } },
      instances: [{ monthlyEmailCap: null }],
    });
    cleanups.push(() => emulator.close());
    emulator.faults.inject({ kind: 'slow', delayMs: 20, method: 'POST' });
    const team = memoryRunStore();
    const limits = { 'app.bulk': 2, 'app.single': 2 };
    const a = makeComputer({ name: 'laptop-a', store: team, emulator, limits });
    const b = makeComputer({ name: 'laptop-b', store: team, emulator, limits });
    cleanups.push(
      () => a.engine.shutdown(0),
      () => b.engine.shutdown(0),
    );
    const seen: RunProgress[] = [];
    const watch = watchTeammates({ engine: b.engine, store: team, clock: systemClock, everyMs: 20, emit: (p) => seen.push(p) });
    cleanups.push(() => watch.stop());

    const run = appRun(
      emulator.instance.id,
      Array.from({ length: 120 }, (_, i) => appRequest(`w${i}@watch.test`)),
      WINDOW,
    );
    await a.engine.launch(run);
    await a.engine.settled(run.id);
    await expect.poll(() => seen.at(-1)?.state, { interval: 20 }).toBe('finished');

    const ofRun = seen.filter((p) => p.id === run.id);
    expect(ofRun.length).toBe(seen.length);
    // Live: more than the first and last look, sent never going back, the last one the whole run.
    expect(new Set(ofRun.map((p) => p.counts.sent)).size).toBeGreaterThan(2);
    const sent = ofRun.map((p) => p.counts.sent);
    expect(sent).toEqual([...sent].sort((x, y) => x - y));
    expect(ofRun.at(-1)!.counts).toMatchObject({ sent: 120, queued: 0, inflight: 0 });
    // Ended: reported once, not again at every look (looked at by hand from here).
    await watch.stop();
    const reports = seen.length;
    await watch.tick();
    await watch.tick();
    expect(seen.length).toBe(reports);

    // B's own run is B's engine's to report: the watch leaves it alone.
    const own = appRun(emulator.instance.id, [appRequest('own@watch.test')], WINDOW);
    await b.engine.launch(own);
    await b.engine.settled(own.id);
    await watch.tick();
    expect(seen.filter((p) => p.id === own.id)).toEqual([]);
  });
});
