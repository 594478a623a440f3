/**
 * A clock whose wall time and timers the test moves. `advance` is time passing while awake (timers fire in
 * order); `jump` moves only the wall clock, as a laptop's sleep or a clock change does to monotonic timers.
 */
import type { Clock, TimerHandle } from '../../src/main/services/lifecycle/clock.ts';

type Timer = { id: number; at: number; fn: () => void; ms: number };

export function makeFakeClock(start = Date.UTC(2026, 11, 2, 14, 0, 0)) {
  let wall = start;
  let mono = 0;
  let nextId = 1;
  let timers: Timer[] = [];
  const clock: Clock & {
    advance(ms: number): Promise<void>;
    jump(ms: number): void;
    pending(): { ms: number }[];
    monotonic(): number;
  } = {
    now: () => wall,
    monotonic: () => mono,
    setTimeout(fn, ms): TimerHandle {
      const t = { id: nextId++, at: mono + Math.max(0, ms), fn, ms };
      timers.push(t);
      return { id: t.id };
    },
    clearTimeout(h) {
      timers = timers.filter((t) => t.id !== h.id);
    },
    /** Time passes (awake): each due timer fires at its moment, with microtasks flushed in between. */
    async advance(ms: number) {
      const end = mono + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        wall += due.at - mono;
        mono = due.at;
        timers = timers.filter((t) => t !== due);
        due.fn();
        await new Promise<void>((r) => setImmediate(r));
      }
      wall += end - mono;
      mono = end;
    },
    jump(ms: number) {
      wall += ms;
    },
    pending: () => timers.map((t) => ({ ms: t.ms })),
  };
  return clock;
}
export type FakeClock = ReturnType<typeof makeFakeClock>;
