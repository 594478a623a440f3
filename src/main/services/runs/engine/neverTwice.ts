/**
 * Every rule that keeps a row from being sent twice, in one place. A row whose request had an unknown outcome (a
 * timeout, a dropped connection, a 5xx, a crash) is remembered as such; after a grace period (Clerk may commit
 * late) it is looked up in Clerk: found and ours → sent; not there → back to the queue, and looked up again right
 * before the resend. A duplicate Clerk reports may be ours (a bulk call that committed part of its rows). After the
 * attempt cap a row ends “unknown: check in Clerk”, never resent blindly.
 */
import { explain } from '../../../../shared/domain/send/messages.ts';
import { ClerkApiError } from '../../clerk/errors.ts';
import type { RowFailure } from '../classify.ts';
import { OUTCOME_UNKNOWN, type QueuedRow } from '../journalTypes.ts';
import { isInstanceMismatch, type Core, type RunCtx } from './core.ts';
import { isUnreachable, type NetworkWaits } from './network.ts';
import type { Found } from './operation.ts';

/** Clerk's clock and ours may differ; an invitation this much older than our request is not ours. */
export const CLOCK_SKEW_MS = 60_000;

const GRACE_WAIT = 'Waiting before checking with Clerk whether the last requests went through';

export function createNeverTwice(core: Core, net: NetworkWaits, report: (runId: string) => Promise<void>) {
  const { store } = core;
  /**
   * An invitation found in Clerk for a row: created by this run, since its first request of unknown outcome?
   * Decided in Clerk's time (see clerkClock.ts); only while no answer told Clerk's clock, with the old allowance.
   */
  const ours = (ctx: RunCtx, row: QueuedRow, found: NonNullable<Found>) => {
    if (row.unknownSince === null) return false;
    const since = ctx.clerkClock.earliestClerkTime(row.unknownSince) ?? row.unknownSince - CLOCK_SKEW_MS;
    return found.createdAt >= since;
  };
  const sent = (ctx: RunCtx, row: QueuedRow, found: NonNullable<Found>, t: number, note = found.note) =>
    store.journal.markSent(
      ctx.runId,
      [{ idx: row.idx, invitationId: found.id, status: found.status, url: found.url, note: note ?? null }],
      t,
    );
  /** Found, not made by this run, but the row's goal all the same (a membership): done, with the operation's note. */
  const doneBefore = (ctx: RunCtx, row: QueuedRow, found: NonNullable<Found> & { already: string }, t: number) =>
    sent(ctx, row, found, t, found.already);

  /** What a lookup says about a row of unknown outcome, journaled. */
  async function settle(ctx: RunCtx, row: QueuedRow, found: Found): Promise<void> {
    const t = core.now();
    if (found && ours(ctx, row, found)) {
      ctx.status.show({ retry: null }); // it went through after all, and Clerk answers again
      await sent(ctx, row, found, t);
    } else if (found?.already !== undefined) {
      await doneBefore(ctx, row, { ...found, already: found.already }, t);
    } else if (found && !row.request.ignoreExisting) {
      // Pending since before this run first tried: the request could only have been refused as a duplicate.
      await store.journal.markFailed(
        ctx.runId,
        [{ idx: row.idx, code: 'duplicate_record', message: explain('duplicate_record', 'Already had a pending invitation') }],
        t,
      );
    } else if (row.attempts >= core.maxAttempts) {
      await store.journal.markFailed(
        ctx.runId,
        [
          {
            idx: row.idx,
            code: OUTCOME_UNKNOWN,
            message: `Unknown: check in Clerk. ${row.attempts} requests got no answer and Clerk shows no invitation yet; it is not resent, so it cannot be sent twice.`,
          },
        ],
        t,
      );
    } else {
      await core.requeue(ctx, [row], t, { notBefore: t + core.backoff(row.attempts) });
    }
  }

  /**
   * Rows whose outcome is unknown (Clerk may have created them, now or a little later). Remembered as such; after
   * the grace period (counted from `since`, the request's start) looked up: found → sent; not there → back to the
   * queue, looked up again before the resend. `grace: false` when Clerk said it exists (a duplicate).
   */
  async function reconcile(ctx: RunCtx, rows: QueuedRow[], since: number, grace: boolean): Promise<void> {
    await store.journal.markUnknown(
      ctx.runId,
      rows.map((r) => r.idx),
      since,
      core.now(),
    );
    for (const r of rows) r.unknownSince ??= since;
    const lookUp = ctx.operation.lookUp;
    if (!lookUp) {
      // Repeating it is harmless (revoking twice answers “already revoked”): just try again later.
      const t = core.now();
      for (const row of rows) await core.requeue(ctx, [row], t, { notBefore: t + core.backoff(row.attempts) });
      core.wakeAll(ctx);
      return;
    }
    const until = since + (grace ? core.graceMs : 0);
    if (ctx.status.going && core.now() < until) ctx.status.show({ retryNextAt: until, waitUntil: until, waitReason: GRACE_WAIT });
    while (ctx.status.going && core.now() < until) {
      ctx.status.show({ waitReason: GRACE_WAIT });
      await core.sleep(ctx, until - core.now());
    }
    // Stopped while waiting: the rows stay in flight in the journal; the next start looks them up.
    if (ctx.status.stop !== null && ctx.status.stop !== 'cancel') return;
    let pending = rows;
    let failures = 0;
    const open = () => (ctx.status.going || ctx.status.stop === 'cancel') && !ctx.status.journalBroken;
    while (pending.length > 0 && open()) {
      const unresolved: QueuedRow[] = [];
      let unreachable = false;
      let retryAfterMs = 0;
      let mismatch = false;
      for (const row of pending) {
        let found: Found;
        try {
          found = await lookUp(ctx.client, row.request);
        } catch (e) {
          unresolved.push(row); // still inflight in the journal: never resend what might have been sent
          if (isInstanceMismatch(e)) {
            mismatch = true;
            ctx.status.pauseWith(e.message);
          }
          if (isUnreachable(e)) unreachable = true;
          if (e instanceof ClerkApiError && e.status === 429) retryAfterMs = Math.max(retryAfterMs, (e.retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        await settle(ctx, row, found);
      }
      pending = unresolved;
      if (pending.length === 0 || mismatch) break;
      if (retryAfterMs > 0) {
        // Clerk's general limit: its answer is “later”, not “I don't know”; wait as asked, without spending the cap.
        ctx.status.show({ waitReason: 'Clerk asked to wait (Retry-After) before checking the last requests' });
        await core.sleep(ctx, retryAfterMs);
        continue;
      }
      if (unreachable) {
        // No network is not Clerk failing to answer: wait for it, without spending the lookup cap.
        net.goOffline(ctx, 'looking up requests of unknown outcome');
        await net.waitForNetwork(ctx);
        continue;
      }
      if (++failures >= core.maxAttempts) {
        ctx.status.pauseWith(
          `Could not check with Clerk whether ${pending.length} rows went through: Resume to check again (nothing is resent before).`,
        );
        break;
      }
      const pause = core.backoff(failures + 1);
      ctx.status.show({ waitReason: 'Checking with Clerk whether the last requests went through', retryNextAt: core.now() + pause });
      await core.sleep(ctx, pause);
    }
    core.wakeAll(ctx);
  }

  /** Runs `reconcile` beside the lanes (its grace wait must not hold a lane); the run ends after it. */
  function reconcileLater(ctx: RunCtx, rows: QueuedRow[], since: number, grace: boolean): void {
    ctx.inflight++;
    const p = reconcile(ctx, rows, since, grace)
      .catch((e: unknown) => core.halt(ctx, e))
      .finally(() => {
        ctx.inflight--;
        ctx.background.delete(p);
        core.wakeAll(ctx);
        void report(ctx.runId);
      });
    ctx.background.add(p);
  }

  /** Right before a resend: rows that had an unknown outcome are looked up again; found → sent, not resent. */
  async function recheck(ctx: RunCtx, batch: QueuedRow[]): Promise<QueuedRow[]> {
    const keep: QueuedRow[] = [];
    const lookUp = ctx.operation.lookUp;
    for (const row of batch) {
      if (row.unknownSince === null || !lookUp) {
        keep.push(row);
        continue;
      }
      let found: Found;
      try {
        found = await lookUp(ctx.client, row.request);
      } catch {
        const t = core.now();
        await core.requeue(ctx, [row], t, { notBefore: t + core.backoff(row.attempts + 1) });
        continue;
      }
      if (found && ours(ctx, row, found)) await sent(ctx, row, found, core.now());
      else if (found?.already !== undefined) await doneBefore(ctx, row, { ...found, already: found.already }, core.now());
      else keep.push(row);
    }
    return keep;
  }

  /**
   * Clerk says these rows already have a pending invitation. If it was created since this run started it is ours
   * (a bulk call that committed part of its rows before failing): the row is sent. Otherwise it is a real duplicate.
   */
  async function settleDuplicates(ctx: RunCtx, dups: RowFailure[]): Promise<void> {
    const lookUp = ctx.operation.lookUp;
    if (dups.length === 0) return;
    if (!lookUp)
      return store.journal.markFailed(
        ctx.runId,
        dups.map(({ row, code, message }) => ({ idx: row.idx, code, message })),
        core.now(),
      );
    const created = (await store.runs.get(ctx.runId))?.createdAt ?? 0;
    for (const { row: r, code, message } of dups) {
      try {
        const found = await lookUp(ctx.client, r.request);
        const t = core.now();
        // Made since the run started, in Clerk's time as well as it is known (no allowance: one would take a real
        // duplicate for ours; neither way sends anything). A row this run asked before without hearing back:
        // created since that request, it is ours too.
        const runStart = ctx.clerkClock.clerkTime(created) ?? created;
        if (found && (found.createdAt >= runStart || ours(ctx, r, found))) await sent(ctx, r, found, t);
        else if (found?.already !== undefined) await doneBefore(ctx, r, { ...found, already: found.already }, t);
        else await store.journal.markFailed(ctx.runId, [{ idx: r.idx, code, message }], t);
      } catch {
        await core.requeue(ctx, [r], core.now(), { notBefore: core.now() + core.backoff(r.attempts) });
      }
    }
  }

  return { reconcile, reconcileLater, recheck, settleDuplicates };
}
export type NeverTwice = ReturnType<typeof createNeverTwice>;
