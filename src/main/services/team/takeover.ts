/**
 * On a team workspace, runs another computer was driving are taken over when its lease goes stale (that computer
 * asleep, crashed or gone): a bounded poll of the team's running runs. A run whose holder still renews its lease is
 * left alone, and one this computer cannot start now (it is sending another run of the profile) is tried next time.
 */
import type { Clock } from '../lifecycle/clock.ts';
import { everyFew } from './everyFew.ts';
import type { RunEngine } from '../runs/engine.ts';
import type { RunStore } from '../runs/engine/ports.ts';
import { Failure } from '../failure.ts';

export type TakeoverOptions = {
  engine: Pick<RunEngine, 'isActive' | 'start'>;
  store: Pick<RunStore, 'runs'>;
  clock: Clock;
  /** The engine's lease: a lease not renewed for this long is stale. */
  leaseMs: number;
  /** How often the team's running runs are looked at (default: half the lease). */
  everyMs?: number;
  log?: { warn(message: string): void };
  /** Told when this computer took a run over (the app shows it). */
  onTakeover?: (runId: string, from: string | null) => void;
};

export function watchTeamRuns(o: TakeoverOptions) {
  async function tick(): Promise<void> {
    const now = o.clock.now();
    for (const run of await o.store.runs.withState('running')) {
      if (o.engine.isActive(run.id)) continue;
      const lease = await o.store.runs.leaseOf(run.id, now);
      if (lease.owner !== null && (lease.at ?? 0) > now - o.leaseMs) continue; // its holder is alive
      try {
        await o.engine.start(run.id);
        o.onTakeover?.(run.id, lease.owner);
      } catch (e) {
        // Taken by a teammate first, or this computer is busy with the profile: the next look decides again.
        if (e instanceof Failure && (e.code === 'run_leased' || e.code === 'profile_busy' || e.code === 'run_not_found')) continue;
        o.log?.warn(`team: could not take over run ${run.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  return everyFew({
    clock: o.clock,
    everyMs: o.everyMs ?? Math.max(50, Math.floor(o.leaseMs / 2)),
    tick,
    failed: `team: looking for stale runs failed`,
    log: o.log,
  });
}
