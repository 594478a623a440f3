/**
 * On a team workspace, a teammate's run is watched live: a bounded poll of the team's running runs reports each one
 * whose rows moved (and once more when it ends), so this computer's Runs page follows runs it does not drive.
 */
import type { RunProgress } from '../../../shared/domain/send/types.ts';
import type { Clock } from '../lifecycle/clock.ts';
import { everyFew } from './everyFew.ts';
import type { RunEngine } from '../runs/engine.ts';
import type { RunStore } from '../runs/engine/ports.ts';
import type { EventName, Events } from '../../../shared/ipc/contract.ts';
import { watchTeamRuns } from './takeover.ts';

export type TeamWatchOptions = {
  engine: Pick<RunEngine, 'isActive' | 'progress'>;
  store: Pick<RunStore, 'runs'>;
  clock: Clock;
  /** How often the team's running runs are read (a bounded poll: one query a few seconds). */
  everyMs?: number;
  emit: (p: RunProgress) => void;
  log?: { warn(message: string): void };
};

/** What the Runs page shows of a run, in one string: a change of any part is worth a report. */
const seenAs = (p: RunProgress) =>
  `${p.state} ${p.counts.sent} ${p.counts.failed} ${p.counts.queued} ${p.counts.inflight} ${p.counts.cancelled}`;

export function watchTeammates(o: TeamWatchOptions) {
  /** Teammates' runs last seen running, as they were shown. */
  const shown = new Map<string, string>();

  async function report(runId: string): Promise<void> {
    const p = await o.engine.progress(runId);
    if (!p) return void shown.delete(runId);
    const now = seenAs(p);
    if (shown.get(runId) === now) return;
    o.emit(p);
    if (p.state === 'running') shown.set(runId, now);
    else shown.delete(runId); // ended (or paused): reported once, then left alone
  }

  async function tick(): Promise<void> {
    const running = (await o.store.runs.withState('running')).filter((r) => !o.engine.isActive(r.id)).map((r) => r.id);
    // Those that were running and no longer are: one last report says how they ended.
    for (const id of new Set([...running, ...shown.keys()])) if (!o.engine.isActive(id)) await report(id);
  }

  return everyFew({ clock: o.clock, everyMs: o.everyMs ?? 3_000, tick, failed: `team: reading teammates' runs failed`, log: o.log });
}

/** On a team workspace: teammates' runs followed live, and taken over when their computer stops renewing the lease. */
export function startTeamWatch(o: {
  engine: Pick<RunEngine, 'isActive' | 'progress' | 'start'>;
  store: Pick<RunStore, 'runs'>;
  clock: Clock;
  leaseMs: number;
  everyMs?: number;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  log?: { warn(message: string): void };
}) {
  const takeover = watchTeamRuns({
    engine: o.engine,
    store: o.store,
    clock: o.clock,
    leaseMs: o.leaseMs,
    ...(o.log ? { log: o.log } : {}),
    onTakeover: () =>
      o.emit('app:notice', {
        kind: 'info',
        text: 'This computer took over a run another computer was sending (it stopped renewing its lease): it goes on from here; nobody is invited twice.',
      }),
  });
  const watch = watchTeammates({
    engine: o.engine,
    store: o.store,
    clock: o.clock,
    ...(o.everyMs ? { everyMs: o.everyMs } : {}),
    emit: (p) => o.emit('runs:progress', p),
    ...(o.log ? { log: o.log } : {}),
  });
  return { stop: () => Promise.all([takeover.stop(), watch.stop()]) };
}
