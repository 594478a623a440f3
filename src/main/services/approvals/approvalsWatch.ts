/**
 * The window's Approvals list follows the team's: a bounded poll of the latest approvals (one query every few
 * seconds) reports them when any was added or changed state, here or on a teammate's computer.
 */
import type { ApprovalSummary } from '../../../shared/domain/approvals.ts';
import type { Clock, TimerHandle } from '../lifecycle/clock.ts';

export type ApprovalsWatchOptions = {
  list: () => Promise<ApprovalSummary[]>;
  clock: Clock;
  everyMs?: number;
  emit: (list: ApprovalSummary[]) => void;
  log?: { warn(message: string): void };
};

const seenAs = (list: ApprovalSummary[]) => list.map((a) => `${a.id}:${a.state}:${a.runId ?? ''}`).join(',');

export function watchApprovals(o: ApprovalsWatchOptions) {
  let shown: string | null = null;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let ticking: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    const list = await o.list();
    const now = seenAs(list);
    if (now === shown) return;
    shown = now;
    o.emit(list);
  }
  function schedule() {
    if (stopped) return;
    timer = o.clock.setTimeout(() => {
      ticking = tick()
        .catch((e: unknown) => o.log?.warn(`approvals: reading the team's approvals failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(schedule);
    }, o.everyMs ?? 3_000);
  }
  schedule();
  return {
    /** Looks now (after this app changed one: the window hears at once, not at the next poll). */
    tick: () => (ticking = ticking.then(tick).catch(() => {})),
    async stop(): Promise<void> {
      stopped = true;
      if (timer) o.clock.clearTimeout(timer);
      await ticking;
    },
  };
}
