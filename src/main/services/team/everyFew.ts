/** A bounded poll: `tick` again `everyMs` after the last one ended (never two at once), until stopped. */
import type { Clock, TimerHandle } from '../lifecycle/clock.ts';

export function everyFew(o: {
  clock: Clock;
  everyMs: number;
  tick: () => Promise<void>;
  /** What the log says when a look failed (the next look tries again). */
  failed: string;
  log?: { warn(message: string): void } | undefined;
}) {
  let timer: TimerHandle | null = null;
  let stopped = false;
  let ticking: Promise<void> = Promise.resolve();
  function schedule() {
    if (stopped) return;
    timer = o.clock.setTimeout(() => {
      ticking = o
        .tick()
        .catch((e: unknown) => o.log?.warn(`${o.failed}: ${e instanceof Error ? e.message : String(e)}`))
        .finally(schedule);
    }, o.everyMs);
  }
  schedule();
  return {
    /** Looks once now (tests; the app after waking). */
    tick: o.tick,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) o.clock.clearTimeout(timer);
      await ticking;
    },
  };
}
