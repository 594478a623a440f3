/**
 * The wall clock moving apart from time passing: set back or forward (by hand, NTP, a dual-boot OS), or a sleep.
 * Everything the engine keeps in wall time (the ledger, Retry-After blocks, waits, unknown-outcome times) must keep
 * meaning what it meant in Clerk's time, or an hourly window lasts two hours (set back) or none (set forward: 429s).
 *
 * Back: a sleep only ever moves the wall clock forward, so it was set: everything moves with it at once.
 * Forward: a sleep looks the same to the laptop (its monotonic clock stops in both), so Clerk's clock decides. The
 * lanes hold while one request is asked (its `Date` re-anchors Clerk's clock, clerkClock.ts): if Clerk's time stayed
 * where it was, the clock was changed and everything moves with it; if Clerk's moved too, it was a sleep and the
 * ledger keeps its moments (its hour has really passed). The same hold reads the key again after a sleep.
 */
import { Failure } from '../../failure.ts';
import type { Core, RunCtx } from './core.ts';

/** Clerk's clock moved with ours by no more than this: the jump was time passing (Date headers have whole seconds). */
const SAME_MS = 2_000;

export function createClockJumps(core: Core) {
  const { store, now, log, active, deps } = core;

  /** Everything kept in wall time moves by `deltaMs`, with Clerk's offset unless an answer has re-anchored it. */
  async function moveWallTimes(deltaMs: number, offsetKnownAfter: boolean): Promise<void> {
    try {
      await store.quota.shift(deltaMs);
      await store.journal.shiftTimes(deltaMs);
    } catch (e) {
      log.warn(`could not move the ledger with the clock: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const ctx of active.values()) {
      for (const r of ctx.queue) {
        if (r.notBefore > 0) r.notBefore += deltaMs;
        if (r.unknownSince !== null) r.unknownSince += deltaMs;
      }
      if (!offsetKnownAfter) ctx.clerkClock.ourClockMoved(deltaMs);
      core.wakeAll(ctx);
    }
  }

  /**
   * Holds the run's lanes while `work` runs (they wait on `ctx.confirming`): a new client reads the key again and
   * confirms the instance before its first request (profiles/instanceGuard.ts).
   */
  function hold(ctx: RunCtx, work: () => Promise<void>): void {
    const before = ctx.confirming;
    ctx.confirming = (async () => {
      try {
        await before;
        await work();
      } finally {
        ctx.confirming = null;
        core.wakeAll(ctx);
      }
    })();
  }

  /** After a sleep the key may have been replaced in the keychain: read again, instance confirmed, before sending. */
  async function readKeyAgain(ctx: RunCtx): Promise<void> {
    try {
      ctx.client = await deps.clientFor(ctx.profileId, {
        signal: () => ctx.abort.signal,
        now,
        onAnswer: (a) => ctx.clerkClock.answered(a),
      });
    } catch (e) {
      if (e instanceof Failure) ctx.status.halt('pause', e.message);
      else
        log.warn(
          `run ${ctx.runId}: could not read the key again after a sleep (${e instanceof Error ? e.message : String(e)}); the one read at start stays`,
        );
    }
  }

  /** Asks Clerk once (its answer's Date re-anchors Clerk's clock); true when Clerk's time did not move with ours. */
  async function clockWasSet(ctx: RunCtx, deltaMs: number, offsetBefore: number | null): Promise<boolean> {
    try {
      await ctx.client.getInstance();
    } catch (e) {
      log.warn(`run ${ctx.runId}: could not ask Clerk's time after the clock moved (${e instanceof Error ? e.message : String(e)})`);
    }
    const after = ctx.clerkClock.offset;
    if (offsetBefore === null || after === null) return false; // nothing to compare: taken for a sleep, as before
    return Math.abs(offsetBefore - deltaMs - after) < Math.abs(offsetBefore - after) && Math.abs(offsetBefore - after) > SAME_MS;
  }

  return {
    confirmKey: (ctx: RunCtx): void => {
      if (!ctx.confirming) hold(ctx, () => readKeyAgain(ctx));
    },

    /** The wall clock moved by `deltaMs` more than time passed (clockJumps.ts in lifecycle noticed). */
    moved(deltaMs: number): void {
      if (deltaMs < 0) {
        log.info(`clock set back by ${Math.round(-deltaMs / 1000)} s: the ledger and waits move with it`);
        void moveWallTimes(deltaMs, false);
        return;
      }
      // Forward: each run holds until Clerk's clock tells a changed clock from a sleep; the first to know decides.
      let decided: Promise<void> | null = null;
      for (const ctx of active.values()) {
        const offsetBefore = ctx.clerkClock.offset;
        hold(ctx, async () => {
          decided ??= (async () => {
            if (await clockWasSet(ctx, deltaMs, offsetBefore)) {
              log.info(`clock set forward by ${Math.round(deltaMs / 1000)} s (Clerk's did not move): the ledger and waits move with it`);
              await moveWallTimes(deltaMs, true);
            } else log.info(`wall clock ${Math.round(deltaMs / 1000)} s on, and Clerk's with it: time passed (a sleep)`);
          })();
          await decided;
        });
      }
    },
  };
}
