/**
 * The run core's shared parts: the engine's settings, its clock, the runs being driven (one `RunCtx` each) and what
 * every concept file does to a run: sleep and wake it, put rows back in its queue, halt it on a journal error.
 */
import { randomUUID } from 'node:crypto';
import type { Endpoint, Lane } from '../../../../shared/domain/send/limits.ts';
import type { RunProgress } from '../../../../shared/domain/send/types.ts';
import type { ClerkClient, ClientHooks } from '../../clerk/client.ts';
import { systemClock, waitUntil, type Clock } from '../../lifecycle/clock.ts';
import { Failure } from '../../failure.ts';
import { isDiskFull, isJournalError, journalProblem } from '../journalProblem.ts';
import { LeaseLostError, type QueuedRow } from '../journalTypes.ts';
import type { ClerkClock } from './clerkClock.ts';
import type { Operation } from './operation.ts';
import type { RequeueOptions, RunStore } from './ports.ts';
import type { RunStatus } from './status.ts';

export type NetworkSource = { isOnline(): boolean; onChange(listener: (online: boolean) => void): () => void };
export type EngineLog = { info(message: string): void; warn(message: string): void };

export type EngineDeps = {
  store: RunStore;
  /** `signal` is read before each request: the engine aborts it to abandon requests (quit deadline, resume). */
  clientFor: (profileId: string, opts?: ClientHooks) => Promise<ClerkClient>;
  emit: (progress: RunProgress) => void;
  onFinished?: (progress: RunProgress) => void;
  now?: () => number;
  /** Wall clock and timers (tests pass a fake one to simulate sleep); `now` above is used when absent. */
  clock?: Clock;
  /** The OS's view of the network (Electron's net.isOnline()); changes wake waiting runs. */
  network?: NetworkSource;
  /** How often a run that cannot reach Clerk checks again (it is also woken by network changes). */
  offlineProbeMs?: number;
  log?: EngineLog;
  random?: () => number;
  /** First retry delay after a failure of unknown outcome; doubles up to 60× this. */
  backoffBaseMs?: number;
  /** Per-window request limits overriding Clerk's (tests, benchmarks against a compressed emulator). */
  limits?: Partial<Record<Endpoint, number>>;
  /** This process's id in run leases (the app passes the owner of its database lock). */
  owner?: string;
  /** A lease not renewed for this long is stale: another process may take the run over. */
  leaseMs?: number;
  /**
   * How long after a request started Clerk may still commit it (a late commit after a timeout or a dropped
   * connection). Rows of unknown outcome are looked up only after this. At least the client's timeout.
   */
  unknownGraceMs?: number;
  /** Requests per row (unknown outcomes included); a row still unknown after that ends “unknown: check in Clerk”. */
  maxAttempts?: number;
};

/** One run being driven by this process. */
export type RunCtx = {
  runId: string;
  profileId: string;
  instanceId: string;
  operation: Operation;
  windowMs: number;
  client: ClerkClient;
  queue: QueuedRow[];
  inflight: number;
  status: RunStatus;
  sleepers: Set<() => void>;
  /** Whether the run's first request was answered (until then the other lane waits). */
  probed: boolean;
  background: Set<Promise<void>>;
  online: Promise<void> | null;
  /** Clerk answered while the OS said offline (the Sandbox, a local proxy): ignore the OS's view. */
  reachableOffline: boolean;
  abort: AbortController;
  /** Clerk's clock as learned from this drive's answers: what “ours” is decided by. */
  clerkClock: ClerkClock;
  /** The key is being confirmed again (after a sleep): nothing is sent until it is. */
  confirming: Promise<void> | null;
  done: Promise<void>;
};

/** The profile's key now opens another instance (profiles/instanceGuard.ts): a stop, never an unknown outcome. */
export const isInstanceMismatch = (e: unknown): e is Failure => e instanceof Failure && e.code === 'instance_mismatch';

/** How long a run's lease holds without a heartbeat before another process may take the run over. */
export const DEFAULT_LEASE_MS = 30_000;

export function createCore(deps: EngineDeps) {
  const clock: Clock = deps.clock ?? { ...systemClock, now: deps.now ?? Date.now };
  const now = () => clock.now();
  const random = deps.random ?? Math.random;
  const base = deps.backoffBaseMs ?? 1000;
  const active = new Map<string, RunCtx>();

  const wakeAll = (ctx: RunCtx) => {
    for (const w of [...ctx.sleepers]) w();
    ctx.sleepers.clear();
  };

  return {
    deps,
    store: deps.store,
    clock,
    now,
    log: deps.log ?? { info: () => {}, warn: () => {} },
    owner: deps.owner ?? randomUUID(),
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
    graceMs: deps.unknownGraceMs ?? 60_000,
    maxAttempts: deps.maxAttempts ?? 5,
    probeMs: deps.offlineProbeMs ?? 15_000,
    active,
    /** Runs that left `active` and are writing their final state: settled() and start() wait for these. */
    ending: new Map<string, Promise<void>>(),
    /** Runs whose final state could not be journaled (disk full): what the user is told until it can be. */
    halted: new Map<string, { state: 'paused'; reason: string }>(),
    /** Bumped by every network change and wake, so a probe running when one came is retried at once. */
    wakes: { count: 0 },
    limitOf: (lane: Lane) => deps.limits?.[lane.endpoint] ?? lane.requests,
    backoff: (attempts: number) => Math.min(60 * base, base * 2 ** Math.max(0, attempts - 1)) * (0.5 + random()),
    wakeAll,
    /**
     * Sleeps until `ms` of wall time passed or the run is woken (pause, cancel, a row back in the queue, power
     * resume, network change). Re-reads the clock at least every minute: time asleep counts.
     */
    sleep: (ctx: RunCtx, ms: number) =>
      waitUntil(clock, now() + Math.max(0, ms), (wake) => {
        ctx.sleepers.add(wake);
        return () => ctx.sleepers.delete(wake);
      }),
    /** Rows back to the queue, in the journal and in memory (kept in row order). */
    async requeue(ctx: RunCtx, rows: QueuedRow[], t: number, opts: RequeueOptions = {}): Promise<void> {
      await deps.store.journal.requeue(
        ctx.runId,
        rows.map((r) => r.idx),
        t,
        opts,
      );
      ctx.queue.push(
        ...rows.map((r) => ({
          ...r,
          attempts: r.attempts - (opts.refund ? 1 : 0),
          notBefore: opts.notBefore ?? 0,
          split: opts.split ?? r.split,
        })),
      );
      ctx.queue.sort((a, b) => a.idx - b.idx);
    },
    /** A journal write failed (disk full, lease lost): stop at once, send nothing more, say what to do. */
    halt(ctx: RunCtx, e: unknown): void {
      if (e instanceof LeaseLostError) ctx.status.halt('lost', e.message);
      else if (isJournalError(e) || isDiskFull(e)) ctx.status.halt('pause', journalProblem(e), { journalBroken: true });
      else ctx.status.halt('pause', `Stopped by an unexpected error: ${e instanceof Error ? e.message : String(e)}`);
      wakeAll(ctx);
    },
  };
}
export type Core = ReturnType<typeof createCore>;
