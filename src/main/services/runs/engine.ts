/**
 * Runs live here, in main: they keep going when the window reloads. This is the run registry and its public API
 * (launch, start, pause, resume, cancel, shutdown, wake); one run per profile at a time, several profiles at once.
 * A run is driven by the process holding its lease (engine/drive.ts) through its operation's lanes
 * (engine/lanes.ts, engine/operations/); every never-send-twice rule is in engine/neverTwice.ts.
 */
import type { Clock } from '../lifecycle/clock.ts';
import { Failure } from '../failure.ts';
import { ClerkClock } from './engine/clerkClock.ts';
import { createClockJumps } from './engine/clockJumps.ts';
import { createCore, type EngineDeps } from './engine/core.ts';
import { createDrive } from './engine/drive.ts';
import { createLanes } from './engine/lanes.ts';
import { createNetworkWaits } from './engine/network.ts';
import { createNeverTwice } from './engine/neverTwice.ts';
import { createOutcomes } from './engine/outcomes.ts';
import { createProgress } from './engine/progress.ts';
import { ProfileBusyError, RUN_GONE, type NewRun } from './journalTypes.ts';

export type { EngineDeps, EngineLog, NetworkSource } from './engine/core.ts';

export function createRunEngine(deps: EngineDeps) {
  const core = createCore(deps);
  const { store, clock, now, log, owner, leaseMs, active, halted, ending } = core;
  const progress = createProgress(core);
  const net = createNetworkWaits(core);
  const never = createNeverTwice(core, net, progress.report);
  const lanes = createLanes(core, net, never, createOutcomes(core, never), progress.report);
  const { begin } = createDrive(core, never, lanes, progress);
  const jumps = createClockJumps(core);
  /** Runs between “start” and their first drive (awaiting the key): they hold their profile too. */
  const starting = new Map<string, string>();

  const unsubscribeNetwork = deps.network?.onChange((online) => {
    core.wakes.count++;
    log.info(`network ${online ? 'up' : 'down'} (OS)`);
    for (const ctx of active.values()) core.wakeAll(ctx);
  });

  const busyFailure = (profileName: string, sheetName: string) =>
    new Failure('profile_busy', `“${profileName}” is already sending “${sheetName}”. Wait for it, or pause it first.`);
  const sheetOf = async (runId: string) => (await store.runs.get(runId))?.sheetName ?? 'another run';

  /** Another run of this profile is going (or starting) in this process. */
  function localBusy(profileId: string, except: string): string | null {
    for (const c of active.values()) if (c.profileId === profileId && c.runId !== except) return c.runId;
    for (const [id, p] of starting) if (p === profileId && id !== except) return id;
    return null;
  }

  const newClient = async (profileId: string) => {
    const holder: { abort: AbortController } = { abort: new AbortController() };
    const clerkClock = new ClerkClock();
    const client = await deps.clientFor(profileId, {
      signal: () => holder.abort.signal,
      now,
      onAnswer: (a) => clerkClock.answered(a),
    });
    return { client, holder, clerkClock };
  };

  const mustGet = async (runId: string) => {
    const run = await store.runs.get(runId);
    if (!run) throw new Failure('run_not_found', RUN_GONE);
    return run;
  };

  const engine = {
    progress: progress.progress,
    owner,
    activeFor: (profileId: string): string | null => [...active.values()].find((c) => c.profileId === profileId)?.runId ?? null,
    isActive: (runId: string) => active.has(runId),

    /**
     * Creates a run and starts it, atomically: the profile is claimed in the transaction that creates the run,
     * and a run that cannot start is removed again, so nothing is left to resume later.
     */
    async launch(run: NewRun): Promise<string> {
      const busy = localBusy(run.profileId, run.id);
      if (busy) throw busyFailure(run.profileName, await sheetOf(busy));
      starting.set(run.id, run.profileId);
      try {
        const { client, holder, clerkClock } = await newClient(run.profileId);
        try {
          await store.runs.create(run, now(), owner);
        } catch (e) {
          if (e instanceof ProfileBusyError) throw busyFailure(e.profileName ?? run.profileName, e.sheetName);
          throw e;
        }
        try {
          await begin(run.id, client, holder, clerkClock);
        } catch (e) {
          await store.runs.discard(run.id);
          throw e;
        }
        return run.id;
      } finally {
        starting.delete(run.id);
      }
    },

    /** Starts (or resumes) driving a run that is in the journal. */
    async start(runId: string): Promise<void> {
      await ending.get(runId);
      if (active.has(runId) || starting.has(runId)) return;
      const run = await mustGet(runId);
      if (active.has(runId) || starting.has(runId)) return;
      const busy = localBusy(run.profileId, runId);
      if (busy) throw busyFailure(run.profileName, await sheetOf(busy));
      starting.set(runId, run.profileId);
      try {
        const { client, holder, clerkClock } = await newClient(run.profileId);
        let held: { heldBy: string; renewedAt: number } | null;
        try {
          held = await store.runs.acquire(runId, owner, now(), leaseMs);
        } catch (e) {
          if (e instanceof ProfileBusyError) throw busyFailure(e.profileName ?? run.profileName, e.sheetName);
          throw e;
        }
        if (held)
          throw new Failure(
            'run_leased',
            `Another Invite Desk process is sending this run (last heard from ${Math.max(0, Math.round((now() - held.renewedAt) / 1000))} s ago). Close it, or wait ${Math.ceil(leaseMs / 1000)} s after it stopped.`,
            { detail: { renewedAt: held.renewedAt, staleAt: held.renewedAt + leaseMs } },
          );
        await begin(runId, client, holder, clerkClock);
      } finally {
        starting.delete(runId);
      }
    },
    /** Pauses a running run; answers at once for a run that is not going, refuses an unknown or ended one. */
    async pause(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (!ctx) {
        const run = await mustGet(runId);
        if (run.state === 'finished' || run.state === 'cancelled')
          throw new Failure('run_over', `This run is ${run.state}: there is nothing to pause.`);
        return;
      }
      ctx.status.pauseByUser();
      core.wakeAll(ctx);
      return ctx.done;
    },
    async cancel(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (ctx) {
        ctx.status.cancel();
        core.wakeAll(ctx);
        return ctx.done;
      }
      const run = await mustGet(runId);
      if (run.state === 'finished' || run.state === 'cancelled')
        throw new Failure('run_over', `This run is ${run.state} already: its history stays as it is.`);
      if (run.state === 'running' && !halted.has(runId)) {
        const lease = await store.runs.leaseOf(runId, now());
        if (lease.owner !== null && lease.owner !== owner && (lease.at ?? 0) > now() - leaseMs)
          throw new Failure('run_leased', 'Another Invite Desk process is sending this run: cancel it there.');
      }
      if ((await store.journal.inflight(runId, now())).length > 0)
        throw new Failure(
          'run_unsettled',
          'Some rows of this run were in flight when it stopped: Resume it so they are looked up in Clerk first, then cancel.',
        );
      const t = now();
      const n = await store.journal.cancelQueued(runId, t);
      await store.runs.setState(runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
      halted.delete(runId);
      await progress.report(runId);
    },
    /** Waits for a run to stop (finish, pause or cancel) and its final state to be written. */
    settled: (runId: string) => active.get(runId)?.done ?? ending.get(runId) ?? Promise.resolve(),
    /**
     * App quitting: requests in flight get `deadlineMs` to finish, then are abandoned (their rows stay
     * in flight in the journal and are looked up in Clerk at the next start). Runs stay 'running' so the
     * next start resumes them. Never hangs.
     */
    async shutdown(deadlineMs = 3000): Promise<void> {
      const all = [...active.values()];
      for (const ctx of all) {
        ctx.status.shutdown();
        core.wakeAll(ctx);
      }
      let timer: ReturnType<Clock['setTimeout']> | null = null;
      const deadline = new Promise<void>((resolve) => {
        const abandon = () => {
          for (const ctx of all) ctx.abort.abort();
          resolve();
        };
        if (deadlineMs <= 0) abandon();
        else timer = clock.setTimeout(abandon, deadlineMs);
      });
      await Promise.race([Promise.all(all.map((c) => c.done)), deadline]);
      if (timer) clock.clearTimeout(timer);
      await Promise.all(all.map((c) => c.done));
      unsubscribeNetwork?.();
    },
    /**
     * The computer woke up or the clock jumped: every waiting run re-plans from the clock now, and requests
     * that were in flight across the sleep are abandoned and looked up in Clerk before anything is resent.
     */
    wake(reason: 'resume' | 'clock-jump' | 'network', deltaMs = 0): void {
      core.wakes.count++;
      if (reason === 'clock-jump') {
        jumps.moved(deltaMs);
        if (deltaMs < 0) return;
      }
      if (active.size) log.info(`waking ${active.size} run(s): ${reason}`);
      for (const ctx of active.values()) {
        if (reason === 'resume' && ctx.inflight > 0) {
          ctx.abort.abort();
          ctx.abort = new AbortController();
        }
        if (reason === 'resume') jumps.confirmKey(ctx);
        core.wakeAll(ctx);
      }
    },
    /** Runs being driven now (the power blocker, tray and taskbar follow these). */
    activeCount: () => active.size,
    /**
     * On start: every run the journal says is running resumes (in-flight rows are looked up first). A run whose
     * lease another process renewed lately is waited for until the lease is stale (its holder died), then taken
     * over; while that process lives, it keeps the run.
     */
    async resumeAll(): Promise<void> {
      await Promise.all(
        (await store.runs.withState('running')).map(async (run) => {
          for (let tries = 0; tries < 2; tries++) {
            try {
              await engine.start(run.id);
              return;
            } catch (e) {
              if (e instanceof Failure && e.code === 'run_leased' && tries === 0) {
                const staleAt = Number(e.detail?.['staleAt'] ?? 0);
                await new Promise<void>((r) => clock.setTimeout(r, Math.max(0, staleAt - now()) + 5));
                continue;
              }
              if (e instanceof Failure && (e.code === 'run_leased' || e.code === 'profile_busy')) return;
              try {
                await store.runs.setState(run.id, 'interrupted', now(), `Could not resume: ${e instanceof Error ? e.message : String(e)}`);
              } catch {
                // the journal is unwritable: it stays 'running' and is tried again next start
              }
              return;
            }
          }
        }),
      );
    },
  };
  return engine;
}
export type RunEngine = ReturnType<typeof createRunEngine>;
