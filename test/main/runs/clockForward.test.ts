/**
 * The laptop's clock set forward during a run (issue 20, item 8): an hour forward made the hour's ledger look spent
 * and drew 429s. A forward jump looks like a sleep to the laptop (its monotonic clock stops in both), so the engine
 * asks Clerk's clock before sending again: if Clerk's time did not move with ours, the clock was changed and the
 * ledger moves with it (0 × 429); if it did (a sleep), the ledger keeps its moments and sending goes on at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { HOUR } from '../../../src/shared/domain/send/limits.ts';
import { appRequest, invitationsPerEmail, makeRunFixture, tempDbPath } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const LIMITS = { 'app.bulk': 2, 'app.single': 0 }; // two bulk calls (20 rows) per window
const ROWS = 60;

async function setUp(windowMs: number) {
  const clocks = { laptop: 0, clerk: 0 }; // each one's offset from real time
  const emulator = await startClerkEmulator({
    now: () => Date.now() + clocks.clerk,
    rateLimits: { hourlyWindowMs: windowMs, limits: { 'invitations.bulk': LIMITS['app.bulk'], 'invitations.create': 1 } },
    instances: [{ monthlyEmailCap: null }],
  });
  const answers: number[] = [];
  const bulkCalls: number[] = [];
  const counting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    answers.push(res.status);
    if (String(input instanceof Request ? input.url : input).endsWith('/invitations/bulk')) bulkCalls.push(Date.now());
    return res;
  };
  const dir = makeTempDir();
  const fx = makeRunFixture({
    emulator,
    secretKey: emulator.instance.secretKey,
    dbPath: tempDbPath(dir.path),
    limits: LIMITS,
    fetch: counting,
    engine: { clock: { ...systemClock, now: () => Date.now() + clocks.laptop } },
  });
  const id = fx.createRun(
    Array.from({ length: ROWS }, (_, i) => appRequest(`fwd${i}@clock.test`)),
    { windowMs, instanceId: emulator.instance.id },
  );
  await fx.engine.start(id);
  // The window's two calls are spent: the run waits for the next window.
  await vi.waitFor(async () => expect((await fx.engine.progress(id))?.waitReason).toBe('Hourly limit of bulk invitations'), {
    timeout: 10_000,
    interval: 10,
  });
  return {
    id,
    fx,
    emulator,
    clocks,
    answers,
    bulkCalls,
    async close() {
      await fx.engine.shutdown(0);
      fx.close();
      dir.remove();
      await emulator.close();
    },
  };
}

describe('the clock set forward during a run', () => {
  it(
    'an hour forward (Clerk still at its time): the ledger moves with the clock, 0 × 429, everyone invited once',
    { timeout: 60_000 },
    async () => {
      const s = await setUp(3_000);
      try {
        s.clocks.laptop += HOUR;
        s.fx.engine.wake('clock-jump', HOUR);
        await s.fx.engine.settled(s.id);
        expect(s.answers.filter((st) => st === 429)).toHaveLength(0);
        expect(s.fx.repo.rows(s.id).filter((r) => r.state !== 'sent')).toEqual([]);
        expect([...invitationsPerEmail(s.emulator, s.emulator.instance.secretKey).values()].every((n) => n === 1)).toBe(true);
        expect(s.emulator.instance.invitations).toHaveLength(ROWS);
      } finally {
        await s.close();
      }
    },
  );

  it('an hour asleep (Clerk an hour on too): the ledger keeps its moments and sending goes on at once', { timeout: 60_000 }, async () => {
    const WINDOW = 120_000; // were the ledger moved, the next call would wait two minutes
    const s = await setUp(WINDOW);
    try {
      const before = s.bulkCalls.length;
      s.clocks.laptop += HOUR;
      s.clocks.clerk += HOUR;
      s.fx.engine.wake('clock-jump', HOUR);
      await vi.waitFor(() => expect(s.bulkCalls.length).toBeGreaterThan(before), { timeout: 20_000, interval: 20 });
      expect(s.answers.filter((st) => st === 429)).toHaveLength(0);
    } finally {
      await s.close();
    }
  });
});
