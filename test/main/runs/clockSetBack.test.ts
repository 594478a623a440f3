/**
 * The clock set back mid-run (issue 20, item 8): the next request waits for what is left of Clerk's hour (61 min),
 * not that plus the hour the clock went back (121 min), and nothing is sent early either.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRunEngine } from '../../../src/main/services/runs/engine.ts';
import { HOUR } from '../../../src/shared/domain/send/limits.ts';
import type { RunProgress } from '../../../src/shared/domain/send/types.ts';
import { fakeClerk } from '../../helpers/fakeClerk.ts';
import { makeFakeClock } from '../../helpers/fakeClock.ts';
import { memoryRunStore } from '../../helpers/memoryRunStore.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { newRun } from '../../helpers/newRun.ts';

const MIN = 60_000;

describe('the clock set back during a run', () => {
  it('an hour back: the next request is still about an hour after the last, and the ledger keeps its moments', async () => {
    const clock = makeFakeClock();
    const store = memoryRunStore();
    const clerk = fakeClerk(() => clock.now());
    const events: RunProgress[] = [];
    const engine = createRunEngine({
      store,
      clock,
      clientFor: async () => clerk.client,
      emit: (p) => events.push(p),
      limits: { 'app.bulk': 1, 'app.single': 0 },
    });
    const rows = Array.from({ length: 15 }, (_, i) => `back${i}@clock.test`);
    await engine.launch(
      newRun(
        'r1',
        rows.map((e) => appRequest(e)),
        { environment: 'production', windowMs: HOUR, createdAt: clock.now() },
      ),
    );
    await vi.waitFor(async () => expect((await engine.progress('r1'))?.waitReason).toBe('Hourly limit of bulk invitations'), {
      timeout: 5000,
      interval: 5,
    });
    const sentAt = clock.now();
    expect(clerk.creates).toHaveLength(1);

    await clock.advance(10 * MIN);
    clock.jump(-HOUR); // the user (or a dual-boot OS) sets the clock back an hour
    engine.wake('clock-jump', -HOUR);
    await vi.waitFor(
      async () => {
        const p = await engine.progress('r1');
        // Waiting until about an hour after the first request, on the clock as it now reads.
        expect(p!.waitUntil! - clock.now()).toBeLessThan(51 * MIN + MIN);
      },
      { timeout: 5000, interval: 5 },
    );
    await clock.advance(45 * MIN);
    expect(clerk.creates).toHaveLength(1); // nothing early
    await clock.advance(10 * MIN);
    await vi.waitFor(() => expect(clerk.creates).toHaveLength(2), { timeout: 5000, interval: 5 });
    expect(clock.now() - (sentAt - HOUR)).toBeLessThan(HOUR + 6 * MIN);
    await engine.shutdown(0);
  });
});
