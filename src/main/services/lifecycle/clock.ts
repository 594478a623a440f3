/**
 * The wall clock and timers, injected so waits can be tested across a simulated sleep or clock change.
 * Timers run on a monotonic clock that stops while the computer sleeps; `now()` is wall time and does not.
 * That is why no wait trusts one long timer: see `MAX_TIMER_MS`.
 */
export type TimerHandle = { readonly id: unknown };

export type Clock = {
  /** Wall time, ms since the epoch (what Clerk's hourly windows and our journal use). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

/** No single wait sleeps longer than this without looking at the clock again. */
export const MAX_TIMER_MS = 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => ({ id: setTimeout(fn, ms) }),
  clearTimeout: (h) => clearTimeout(h.id as ReturnType<typeof setTimeout>),
};

/**
 * Resolves when the wall clock reaches `until`, or earlier when `wake` is called. Re-reads the clock at
 * least every `MAX_TIMER_MS`, so after a sleep or a clock jump it is at most a minute late, and at once
 * when someone calls wake (power resume, network back).
 */
export function waitUntil(clock: Clock, until: number, register: (wake: () => void) => () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: TimerHandle | null = null;
    let settled = false;
    const unregister = register(() => finish());
    function finish() {
      if (settled) return;
      settled = true;
      if (timer) clock.clearTimeout(timer);
      unregister();
      resolve();
    }
    function tick() {
      const left = until - clock.now();
      if (left <= 0) return finish();
      timer = clock.setTimeout(tick, Math.min(left, MAX_TIMER_MS));
    }
    tick();
  });
}
