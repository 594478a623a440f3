/**
 * Lanes and pacing: each lane of a run's operation pulls batches from the run's one queue, paced by its endpoint's
 * sliding window in the instance's ledger, so normal operation reaches Clerk's ceiling without a 429. No journal
 * entry, no request: each batch is claimed in the journal before it goes out.
 */
import { nextSlot, type Lane } from '../../../../shared/domain/send/limits.ts';

/** The journal's split of a row no answer has halved yet (run_rows.split DEFAULT 10). */
const UNSPLIT = 10;
import { ClerkApiError } from '../../clerk/errors.ts';
import { NoSlotError, type QueuedRow } from '../journalTypes.ts';
import type { Core, RunCtx } from './core.ts';
import { isUnreachable, type NetworkWaits } from './network.ts';
import type { NeverTwice } from './neverTwice.ts';
import type { BatchAnswer } from './operation.ts';
import { singleLaneOf, type Outcomes } from './outcomes.ts';

export function createLanes(
  core: Core,
  net: NetworkWaits,
  never: NeverTwice,
  outcomes: Outcomes,
  report: (runId: string) => Promise<void>,
) {
  const { store, log } = core;

  /** A lane's window: its own (memberships: the general limit's 10 s), else the run's. */
  const windowOf = (ctx: RunCtx, lane: Lane) => lane.windowMs ?? ctx.windowMs;
  /** The queued rows this lane may send (the operation's `accepts`). */
  const mine = (ctx: RunCtx, lane: Lane) => {
    const accepts = ctx.operation.accepts;
    return accepts ? ctx.queue.filter((r) => accepts(lane, r.request)) : ctx.queue;
  };

  /** Whether the single lane can send now (then halves of split batches and single-only rows go there). */
  async function singleHasRoom(ctx: RunCtx, t: number): Promise<boolean> {
    const single = singleLaneOf(ctx);
    if (!single || core.limitOf(single) <= 0) return false;
    const ledger = await store.quota.ledger(ctx.instanceId, single.endpoint, windowOf(ctx, single), t);
    return nextSlot(ledger, core.limitOf(single), windowOf(ctx, single), t) <= t;
  }

  async function takeBatch(ctx: RunCtx, lane: Lane, t: number): Promise<QueuedRow[]> {
    const bulk = lane.itemsPerCall > 1;
    const roomOnSingle = bulk && (await singleHasRoom(ctx, t));
    // split 0: only the single lane may send it; split 1: the single lane when it has room, else a bulk call of one.
    const eligible = mine(ctx, lane).filter((r) => r.notBefore <= t && (!bulk || r.split > 1 || (r.split === 1 && !roomOnSingle)));
    const first = eligible[0];
    if (!first) return [];
    // A row's split starts at the journal's default, 10 (the invitation bulk size): “not split yet”, so a lane that
    // carries more a call (waitlist adds: 50) fills its calls. Halving from 50 never lands on 10.
    const max = lane.itemsPerCall === 1 ? 1 : Math.min(lane.itemsPerCall, first.split === UNSPLIT ? lane.itemsPerCall : first.split);
    // A bulk call goes to one organization: keep the batch to the first row's.
    const batch = eligible.filter((r) => r.request.organizationId === first.request.organizationId).slice(0, max);
    const taken = new Set(batch.map((r) => r.idx));
    ctx.queue = ctx.queue.filter((r) => !taken.has(r.idx));
    return batch;
  }

  /** Why a lane waits for its slot, as the run page says it. */
  const slotReason = (lane: Lane, blocked: boolean) =>
    blocked
      ? 'Clerk asked to wait (Retry-After)'
      : lane.endpoint === 'general'
        ? 'Clerk’s general rate limit'
        : `Hourly limit of ${lane.endpoint.endsWith('bulk') ? 'bulk' : 'single'} invitations`;

  /** One batch: looked up again if it had an unknown outcome, claimed in the journal, sent, its answer applied. */
  async function sendOne(ctx: RunCtx, lane: Lane, taken: QueuedRow[]): Promise<void> {
    let batch = taken;
    if (batch.some((r) => r.unknownSince !== null)) {
      batch = await never.recheck(ctx, batch);
      if (batch.length === 0 || !ctx.status.going) {
        if (batch.length) await core.requeue(ctx, batch, core.now());
        return;
      }
    }
    const started = core.now();
    // No journal entry, no request: a failed write throws here and stops the run before anything is sent. The
    // request takes its slot in the instance's ledger in the same step (another computer may have taken it).
    let requestId: number;
    try {
      requestId = await store.journal.claim(
        ctx.runId,
        ctx.instanceId,
        lane.endpoint,
        batch.map((r) => r.idx),
        started,
        core.owner,
        { limit: core.limitOf(lane), windowMs: windowOf(ctx, lane) },
      );
    } catch (e) {
      if (!(e instanceof NoSlotError)) throw e;
      // Nothing was journaled: the rows go back to the queue as they were; the lane waits for the next slot.
      ctx.queue.push(...batch);
      ctx.queue.sort((a, b) => a.idx - b.idx);
      return;
    }
    for (const r of batch) r.attempts++;
    let answer: BatchAnswer | null = null;
    let error: unknown = null;
    try {
      answer = await ctx.operation.send(
        ctx.client,
        lane,
        batch.map((r) => r.request),
      );
    } catch (e) {
      error = e;
    }
    if (answer) return outcomes.created(ctx, batch, answer, requestId, started);
    if (isUnreachable(error)) {
      // Never reached Clerk: nothing was created. Back to the queue as it was (no attempt, no backoff).
      await store.journal.finishRequest(requestId, 'unreachable', core.now());
      await core.requeue(ctx, batch, core.now(), { refund: true });
      net.goOffline(ctx, error instanceof Error ? error.message : String(error));
      return;
    }
    await store.journal.finishRequest(requestId, error instanceof ClerkApiError ? `${error.status} ${error.code}` : 'unknown', core.now());
    log.warn(
      `run ${ctx.runId}: ${lane.endpoint} request for ${batch.length} rows failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    await outcomes.failed(ctx, lane, batch, error, started);
  }

  async function laneWorker(ctx: RunCtx, lane: Lane): Promise<void> {
    if (core.limitOf(lane) <= 0) return; // this endpoint is switched off (tests, benchmarks)
    while (ctx.status.going) {
      if (ctx.confirming) {
        await ctx.confirming;
        continue;
      }
      if (ctx.status.visible.offlineSince === null && net.osOffline(ctx)) net.goOffline(ctx, 'the computer is offline');
      if (ctx.status.visible.offlineSince !== null) {
        await net.waitForNetwork(ctx);
        continue;
      }
      const t = core.now();
      const queue = mine(ctx, lane);
      if (queue.length === 0) {
        if (ctx.inflight === 0) return;
        await core.sleep(ctx, 60_000); // another request may hand rows back
        continue;
      }
      const soonest = Math.min(...queue.map((r) => r.notBefore));
      if (soonest > t) {
        ctx.status.show({ waitUntil: soonest, waitReason: 'Retrying after a temporary failure', retryNextAt: soonest });
        await core.sleep(ctx, soonest - t);
        continue;
      }
      const ledger = await store.quota.ledger(ctx.instanceId, lane.endpoint, windowOf(ctx, lane), t);
      const slot = nextSlot(ledger, core.limitOf(lane), windowOf(ctx, lane), t);
      if (slot > t) {
        // The other lane may still have room; this one waits for its window. A retried row waits for this slot too.
        const retried = queue.some((r) => r.attempts > 0);
        ctx.status.show({
          waitUntil: slot,
          waitReason: slotReason(lane, ledger.blockedUntil >= slot),
          ...(retried ? { retryNextAt: slot } : {}),
        });
        await core.sleep(ctx, slot - t);
        continue;
      }
      if (!ctx.probed && ctx.inflight > 0) {
        // The run's first request goes alone: if the key, the inviter or the organization is wrong, one request
        // finds out, not one per lane.
        await core.sleep(ctx, 60_000);
        continue;
      }
      ctx.inflight++;
      try {
        const batch = await takeBatch(ctx, lane, t);
        if (batch.length === 0) {
          ctx.inflight--;
          core.wakeAll(ctx); // a lane may be waiting for this one (it counted as a request going)
          // Another lane took the last rows while this one read its ledger: back to the top, which ends the lane
          // (or waits for a request in flight) instead of sleeping a minute with nothing left to send.
          if (mine(ctx, lane).length === 0) continue;
          await core.sleep(ctx, Math.min(60_000, ctx.windowMs)); // the rows left are for the other lane; woken when that changes
          continue;
        }
        ctx.status.wait(null);
        try {
          await sendOne(ctx, lane, batch);
        } catch (e) {
          core.halt(ctx, e); // the journal refused a write: the rows stay as the journal last had them
        } finally {
          ctx.probed = true;
          ctx.inflight--;
          core.wakeAll(ctx);
          void report(ctx.runId);
        }
      } catch (e) {
        ctx.inflight--;
        core.halt(ctx, e);
      }
    }
  }

  return { laneWorker };
}
