/**
 * Notices when wall time moved differently from the monotonic clock (a sleep the OS did not report, the
 * user or NTP changing the clock) and says so, so waiting runs re-plan at once.
 */
import type { Clock, TimerHandle } from './clock.ts';

export function watchClockJumps(opts: {
  clock: Clock;
  monotonic: () => number;
  onJump: (deltaMs: number) => void;
  everyMs?: number;
  thresholdMs?: number;
}) {
  const every = opts.everyMs ?? 10_000;
  const threshold = opts.thresholdMs ?? 30_000;
  let wall = opts.clock.now();
  let mono = opts.monotonic();
  let timer: TimerHandle | null = null;
  const tick = () => {
    const w = opts.clock.now();
    const m = opts.monotonic();
    const drift = w - wall - (m - mono);
    wall = w;
    mono = m;
    if (Math.abs(drift) >= threshold) opts.onJump(drift);
    timer = opts.clock.setTimeout(tick, every);
  };
  timer = opts.clock.setTimeout(tick, every);
  return { stop: () => timer && opts.clock.clearTimeout(timer) };
}
