/**
 * The drive of one run: from its journal (queue, rows left in flight by a crash) through its operation's lanes to
 * its final state, with the lease heartbeat beside it. Rows left in flight are looked up before anything is sent.
 */
import type { ClerkClient } from '../../clerk/client.ts';
import { journalProblem } from '../journalProblem.ts';
import { OUTCOME_UNKNOWN } from '../journalTypes.ts';
import type { ClerkClock } from './clerkClock.ts';
import type { Core, RunCtx } from './core.ts';
import { heartbeat } from './heartbeat.ts';
import type { createLanes } from './lanes.ts';
import type { NeverTwice } from './neverTwice.ts';
import { operationFor } from './operations/index.ts';
import type { Progress } from './progress.ts';
import { RunStatus } from './status.ts';

export function createDrive(core: Core, never: NeverTwice, lanes: ReturnType<typeof createLanes>, progress: Progress) {
  const { store, log } = core;

  async function drive(ctx: RunCtx): Promise<void> {
    const stopBeat = heartbeat(core, ctx);
    const settleBackground = async () => {
      while (ctx.background.size > 0) await Promise.all([...ctx.background]);
    };
    try {
      const orphans = await store.journal.inflight(ctx.runId, core.now());
      if (orphans.length) {
        // Left in flight by a crash or a kill: Clerk may still commit them; wait out the grace, then look up.
        const since = Math.min(...orphans.map((o) => o.requestStartedAt || core.now()));
        const graceFrom = Math.max(...orphans.map((o) => o.requestStartedAt || core.now()));
        for (const o of orphans) o.unknownSince ??= since;
        await never.reconcile(ctx, orphans, graceFrom, true);
      }
      await Promise.all(ctx.operation.lanes.map((lane) => lanes.laneWorker(ctx, lane)));
      await settleBackground();
    } catch (e) {
      core.halt(ctx, e);
      await settleBackground();
    }
    stopBeat();
    core.ending.set(ctx.runId, ctx.done);
    core.active.delete(ctx.runId);
    const { stop, stopReason, journalBroken } = ctx.status;
    log.info(`run ${ctx.runId}: stopped (${stop ?? 'finished'}${stopReason ? `: ${stopReason}` : ''})`);
    try {
      await finish(ctx);
    } catch (e) {
      // Even the final state cannot be written (disk full): say so; the journal still says 'running', so
      // the next start resumes it and looks up whatever was in flight.
      core.halted.set(ctx.runId, { state: 'paused', reason: journalBroken ? (stopReason ?? journalProblem(e)) : journalProblem(e) });
    }
    await progress.report(ctx.runId);
    if (core.ending.get(ctx.runId) === ctx.done) core.ending.delete(ctx.runId);
  }

  async function finish(ctx: RunCtx): Promise<void> {
    const t = core.now();
    const { stop, stopReason, journalBroken } = ctx.status;
    if (stop === 'lost') return; // another process drives it now
    if (stop === 'shutdown') return store.runs.releaseLease(ctx.runId, core.owner); // stays 'running': resumed on next start
    if (stop === 'cancel' && !journalBroken) {
      const n = await store.journal.cancelQueued(ctx.runId, t);
      const unknown = (await store.journal.inflight(ctx.runId, t)).map((r) => r.idx);
      if (unknown.length)
        await store.journal.markFailed(
          ctx.runId,
          unknown.map((idx) => ({
            idx,
            code: OUTCOME_UNKNOWN,
            message: 'Unknown: check in Clerk. Cancelled before Clerk’s answer was known; it is not resent.',
          })),
          t,
        );
      await store.runs.setState(ctx.runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
    } else if (stop === 'pause') {
      await store.runs.setState(ctx.runId, 'paused', t, stopReason);
    } else {
      await store.runs.setState(ctx.runId, 'finished', t);
      const p = await progress.progress(ctx.runId);
      if (p) core.deps.onFinished?.(p);
    }
  }

  /** Starts driving a run this process holds (created or acquired): its queue from the journal. */
  async function begin(runId: string, client: ClerkClient, holder: { abort: AbortController }, clerkClock: ClerkClock): Promise<void> {
    const run = (await store.runs.get(runId))!;
    core.halted.delete(runId);
    log.info(`run ${runId}: sending (${run.kind}, ${run.counts.queued + run.counts.inflight} rows left)`);
    const ctx: RunCtx = {
      runId,
      profileId: run.profileId,
      instanceId: run.instanceId,
      operation: operationFor(run.kind, run.op),
      windowMs: await store.runs.windowOf(runId),
      client,
      queue: await store.journal.queued(runId, core.now()),
      inflight: 0,
      status: new RunStatus(() => void progress.report(runId)),
      sleepers: new Set(),
      probed: false,
      background: new Set(),
      online: null,
      reachableOffline: false,
      clerkClock,
      confirming: null,
      get abort() {
        return holder.abort;
      },
      set abort(a: AbortController) {
        holder.abort = a;
      },
      done: Promise.resolve(),
    };
    core.active.set(runId, ctx);
    ctx.done = drive(ctx);
    await progress.report(runId);
  }

  return { begin };
}
