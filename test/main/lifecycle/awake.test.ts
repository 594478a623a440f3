import { afterEach, describe, expect, it } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import type { EmuInstance } from '../../../src/main/emulator/store.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { createAwakeKeeper } from '../../../src/main/services/lifecycle/awake.ts';
import { createRunsTracker, taskbarState } from '../../../src/main/services/lifecycle/progress.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';
import { appRequest, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('stay awake while sending', () => {
  it('the power blocker is held exactly while runs are active: from the first start to the last stop, released on pause', async () => {
    // Two instances: two runs at once need two (profiles of one instance share one claim).
    const emulator = await startClerkEmulator({ instances: [{ monthlyEmailCap: null }, { monthlyEmailCap: null }] });
    const [first, second] = [...emulator.instances.values()] as [EmuInstance, EmuInstance];
    const dir = makeTempDir();
    const calls: string[] = [];
    let nextId = 1;
    const keeper = createAwakeKeeper({
      start: () => (calls.push('start'), nextId++),
      stop: (id) => calls.push(`stop ${id}`),
    });
    const holdingWhile: { state: string; running: number; holding: boolean }[] = [];
    const tracker = createRunsTracker((running) => keeper.update(running.length));
    const fx = makeRunFixture({
      emulator,
      secretKey: emulator.instance.secretKey,
      dbPath: tempDbPath(dir.path),
      limits: { 'app.bulk': 5, 'app.single': 5 },
      engine: {
        clientFor: async (profileId, o = {}) =>
          createClerkClient({
            baseUrl: emulator.apiUrl,
            secretKey: (profileId === 'pb' ? second : first).secretKey,
            ...(o.signal ? { signal: o.signal } : {}),
          }),
        emit: (p: RunProgress) => {
          tracker.update(p);
          holdingWhile.push({ state: p.state, running: tracker.running().length, holding: keeper.holding });
        },
      },
    });
    cleanups.push(
      () => emulator.close(),
      () => dir.remove(),
      () => fx.close(),
    );
    const rows = (tag: string, n: number) => Array.from({ length: n }, (_, i) => appRequest(`${tag}${i}@awake.test`));
    const a = fx.createRun(rows('a', 3), { windowMs: 60_000, instanceId: emulator.instance.id, profileId: 'pa' });
    const b = fx.createRun(rows('b', 25), { windowMs: 60_000, instanceId: second.id, profileId: 'pb' });
    expect(keeper.holding).toBe(false);
    await fx.engine.start(a);
    await fx.engine.start(b);
    expect(keeper.holding).toBe(true);
    await fx.engine.settled(a);
    expect(fx.repo.get(a)!.state).toBe('finished');
    expect(keeper.holding).toBe(true); // b still sends
    await fx.engine.pause(b);
    expect(keeper.holding).toBe(false);
    expect(calls).toEqual(['start', 'stop 1']);
    // At every event: held if and only if a run was running.
    expect(holdingWhile.every((h) => h.holding === h.running > 0)).toBe(true);
    await fx.engine.start(b);
    expect(calls).toEqual(['start', 'stop 1', 'start']);
    await fx.engine.settled(b);
    expect(calls).toEqual(['start', 'stop 1', 'start', 'stop 2']);
  });
});

describe('taskbar and dock progress', () => {
  const run = (o: Omit<Partial<RunProgress>, 'counts'> & { counts: Partial<RunProgress['counts']> }): RunProgress =>
    ({
      id: 'r',
      state: 'running',
      waitUntil: null,
      waitReason: null,
      offlineSince: null,
      etaAt: null,
      ...o,
      counts: { queued: 0, inflight: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0, total: 0, ...o.counts },
    }) as RunProgress;
  const now = 1_000_000;

  it('normal while sending, paused while waiting for the hourly slot or the network, error after failures; badge = rows left', () => {
    expect(taskbarState([], now)).toMatchObject({ mode: 'none', fraction: -1, badge: 0 });
    const sending = taskbarState([run({ counts: { total: 100, sent: 25, queued: 75 } })], now);
    expect(sending).toMatchObject({ mode: 'normal', fraction: 0.25, badge: 75 });
    expect(sending.tooltip).toBe('Invite Desk: 1 run sending, 25 of 100 done');
    expect(taskbarState([run({ waitUntil: now + 60_000, counts: { total: 10, sent: 5, queued: 5 } })], now)).toMatchObject({
      mode: 'paused',
    });
    expect(taskbarState([run({ offlineSince: now - 5000, counts: { total: 10, queued: 10 } })], now).tooltip).toMatch(
      /waiting for the network/,
    );
    expect(taskbarState([run({ counts: { total: 10, sent: 5, failed: 1, queued: 4 } })], now)).toMatchObject({ mode: 'error', badge: 4 });
  });
});
