/** The lease heartbeat: renews a run's lease every third of its life; a lease taken over stops this drive. */
import type { Clock } from '../../lifecycle/clock.ts';
import { LeaseLostError } from '../journalTypes.ts';
import type { Core, RunCtx } from './core.ts';

export function heartbeat(core: Core, ctx: RunCtx): () => void {
  let stopped = false;
  let timer: ReturnType<Clock['setTimeout']> | null = null;
  const every = Math.max(10, Math.floor(core.leaseMs / 3));
  const beat = async () => {
    if (stopped) return;
    try {
      if (!(await core.store.runs.renewLease(ctx.runId, core.owner, core.now())))
        core.halt(ctx, new LeaseLostError('Another Invite Desk process took over this run'));
    } catch (e) {
      core.halt(ctx, e);
    }
    if (!stopped) timer = core.clock.setTimeout(() => void beat(), every);
  };
  timer = core.clock.setTimeout(() => void beat(), every);
  return () => {
    stopped = true;
    if (timer) core.clock.clearTimeout(timer);
  };
}
