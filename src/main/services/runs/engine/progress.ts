/**
 * Where a run stands, as the run page shows it: the journal's counts and state, the drive's status (wait, offline,
 * retry) and an ETA planned from the instance's ledgers. Reports go out one at a time per run, in order, and a
 * report not yet started is not asked for twice (it reads the latest state when it runs).
 */
import { isWaitlistOp } from '../../../../shared/domain/send/limits.ts';
import { planRun } from '../../../../shared/domain/send/plan.ts';
import { planWaitlist } from '../../../../shared/domain/waitlist/plan.ts';
import type { RunProgress } from '../../../../shared/domain/send/types.ts';
import type { Core } from './core.ts';
import { operationFor } from './operations/index.ts';

export function createProgress(core: Core) {
  const { store, deps } = core;

  async function progress(runId: string): Promise<RunProgress | null> {
    const run = await store.runs.get(runId);
    if (!run) return null;
    const ctx = core.active.get(runId);
    const stuck = !ctx && run.state === 'running' ? core.halted.get(runId) : undefined;
    if (stuck)
      return {
        ...run,
        state: stuck.state,
        pauseReason: stuck.reason,
        waitUntil: null,
        waitReason: null,
        offlineSince: null,
        etaAt: null,
        retry: null,
      };
    const windowMs = await store.runs.windowOf(runId);
    const left = run.counts.queued + run.counts.inflight;
    const shown = ctx?.status.visible;
    let etaAt: number | null = null;
    const retry = run.state === 'running' ? (shown?.retry ?? null) : null;
    // While Clerk fails, the plan's “about 1 s left” would be a claim nobody can make: no ETA until it answers.
    if (left > 0 && run.state === 'running' && !retry) {
      const t = core.now();
      const lanes = (ctx?.operation ?? operationFor(run.kind, run.op)).lanes;
      const ledgers = Object.fromEntries(
        await Promise.all(
          lanes.map(async (l) => [l.endpoint, await store.quota.ledger(run.instanceId, l.endpoint, l.windowMs ?? windowMs, t)] as const),
        ),
      );
      // Rows added as members go on their own lane (general limit): planned beside the invitations.
      const members = ctx ? ctx.queue.filter((r) => r.request.memberUserId).length : 0;
      const operation = ctx?.operation ?? operationFor(run.kind, run.op);
      if (isWaitlistOp(run.op)) {
        // One lane carries a waitlist run's rows: the one its queue is for (the pace the run assumes).
        const first = ctx?.queue[0]?.request;
        const lane = operation.lanes.find((l) => !first || !operation.accepts || operation.accepts(l, first)) ?? operation.lanes[0]!;
        etaAt = planWaitlist({
          endpoint: lane.endpoint,
          rows: left,
          itemsPerCall: lane.itemsPerCall,
          limit: core.limitOf(lane),
          windowMs: lane.windowMs ?? windowMs,
          ledger: ledgers[lane.endpoint],
          now: t,
        }).etaAt;
      } else
        etaAt = planRun({
          kind: run.kind,
          op: run.op === 'revoke' ? 'revoke' : 'create',
          rows: left - members,
          members,
          ledgers,
          windowMs,
          now: t,
          ...(deps.limits ? { limits: deps.limits } : {}),
        }).etaAt;
    }
    return {
      ...run,
      waitUntil: shown?.waitUntil ?? null,
      waitReason: shown?.waitReason ?? null,
      offlineSince: shown?.offlineSince ?? null,
      etaAt,
      retry,
    };
  }

  const tails = new Map<string, Promise<void>>();
  const waiting = new Set<string>();
  /** Reports the run's progress to the window; resolves once this report (or a later one) went out. */
  function report(runId: string): Promise<void> {
    if (waiting.has(runId)) return tails.get(runId) ?? Promise.resolve();
    waiting.add(runId);
    const tail = (tails.get(runId) ?? Promise.resolve()).then(async () => {
      waiting.delete(runId);
      try {
        const p = await progress(runId);
        if (p) deps.emit(p);
      } catch {
        // Reading progress failed (the database is gone or broken): the next report will tell.
      }
    });
    tails.set(runId, tail);
    void tail.then(() => {
      if (tails.get(runId) === tail) tails.delete(runId);
    });
    return tail;
  }

  return { progress, report };
}
export type Progress = ReturnType<typeof createProgress>;
