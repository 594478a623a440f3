/**
 * Runs live here, in main: they keep going when the window reloads. One run per profile at a time; several
 * profiles at once. Each run has two lanes (bulk ≤10 and single) pulling from one queue, each paced by its
 * endpoint's sliding window, so normal operation reaches Clerk's ceiling without a 429.
 */
import { lanesFor, nextSlot, type Endpoint, type Lane, type RunOp } from '../../../shared/domain/send/limits.ts';
import { explain } from '../../../shared/domain/send/messages.ts';
import { planRun } from '../../../shared/domain/send/plan.ts';
import type { RunProgress } from '../../../shared/domain/send/types.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../clerk/errors.ts';
import { systemClock, waitUntil, type Clock } from '../lifecycle/clock.ts';
import type { QuotaStore } from './quotaStore.ts';
import { classify, type RowFailure } from './classify.ts';
import { CLOCK_SKEW_MS, lookUpPending } from './reconcile.ts';
import type { QueuedRow, RunsRepo } from './runsRepo.ts';
import { sendBatch } from './send.ts';

export type EngineDeps = {
  repo: RunsRepo;
  quota: QuotaStore;
  /** `signal` is read before each request: the engine aborts it to abandon requests (quit deadline, resume). */
  clientFor: (profileId: string, opts?: { signal?: () => AbortSignal | undefined }) => Promise<ClerkClient>;
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
};

export type NetworkSource = { isOnline(): boolean; onChange(listener: (online: boolean) => void): () => void };
export type EngineLog = { info(message: string): void; warn(message: string): void };

type Ctx = {
  runId: string;
  profileId: string;
  instanceId: string;
  kind: 'app' | 'org';
  op: RunOp;
  windowMs: number;
  client: ClerkClient;
  queue: QueuedRow[];
  inflight: number;
  stop: 'pause' | 'cancel' | 'shutdown' | null;
  stopReason: string | null;
  sleepers: Set<() => void>;
  /** Whether the run's first request was answered (until then the other lane waits). */
  probed: boolean;
  waitUntil: number | null;
  waitReason: string | null;
  /** Since when Clerk cannot be reached (no network, DNS, refused): nothing is sent, no attempt spent. */
  offlineSince: number | null;
  online: Promise<void> | null;
  /** Clerk answered while the OS said offline (the Sandbox, a local proxy): ignore the OS's view. */
  reachableOffline: boolean;
  abort: AbortController;
  done: Promise<void>;
};

export function createRunEngine(deps: EngineDeps) {
  const clock: Clock = deps.clock ?? { ...systemClock, now: deps.now ?? Date.now };
  const now = () => clock.now();
  const probeMs = deps.offlineProbeMs ?? 15_000;
  const log = deps.log ?? { info: () => {}, warn: () => {} };
  const random = deps.random ?? Math.random;
  const base = deps.backoffBaseMs ?? 1000;
  const active = new Map<string, Ctx>();
  const limitOf = (lane: Lane) => deps.limits?.[lane.endpoint] ?? lane.requests;

  const wakeAll = (ctx: Ctx) => {
    for (const w of [...ctx.sleepers]) w();
    ctx.sleepers.clear();
  };
  /**
   * Sleeps until `ms` of wall time passed or the run is woken (pause, cancel, a row back in the queue, power
   * resume, network change). Re-reads the clock at least every minute: time asleep counts.
   */
  const sleep = (ctx: Ctx, ms: number) =>
    waitUntil(clock, now() + Math.max(0, ms), (wake) => {
      ctx.sleepers.add(wake);
      return () => ctx.sleepers.delete(wake);
    });
  /** Bumped by every network change and wake, so a probe that was running when one came is retried at once. */
  let wakes = 0;
  const unsubscribeNetwork = deps.network?.onChange((online) => {
    wakes++;
    log.info(`network ${online ? 'up' : 'down'} (OS)`);
    for (const ctx of active.values()) wakeAll(ctx);
  });

  function goOffline(ctx: Ctx, why: string): void {
    if (ctx.offlineSince !== null) return;
    ctx.offlineSince = now();
    log.warn(`run ${ctx.runId}: cannot reach Clerk (${why}); waiting for the network`);
    emit(ctx.runId);
  }
  /** One probe loop per run, shared by its lanes: back when Clerk's host answers at all. */
  function waitForNetwork(ctx: Ctx): Promise<void> {
    ctx.online ??= (async () => {
      await Promise.resolve();
      ctx.waitUntil = null;
      ctx.waitReason = 'Waiting for the network';
      emit(ctx.runId);
      while (ctx.stop === null) {
        const osOnline = deps.network?.isOnline() ?? true;
        const seen = wakes;
        if (await ctx.client.reachable()) {
          if (!osOnline) ctx.reachableOffline = true;
          break;
        }
        if (seen === wakes) await sleep(ctx, probeMs);
      }
      if (ctx.stop === null)
        log.info(`run ${ctx.runId}: Clerk reachable again after ${Math.round((now() - (ctx.offlineSince ?? now())) / 1000)} s`);
      ctx.offlineSince = null;
      ctx.waitReason = null;
      ctx.online = null;
      emit(ctx.runId);
    })();
    return ctx.online;
  }
  const osOffline = (ctx: Ctx) => !ctx.reachableOffline && deps.network !== undefined && !deps.network.isOnline();
  const isUnreachable = (e: unknown) => e instanceof ClerkTransportError && e.unreachable;
  const backoff = (attempts: number) => Math.min(60 * base, base * 2 ** Math.max(0, attempts - 1)) * (0.5 + random());

  const opOf = (runId: string): RunOp => ((deps.repo.optionsOf(runId) as { op?: RunOp } | null)?.op === 'revoke' ? 'revoke' : 'create');

  function progress(runId: string): RunProgress | null {
    const run = deps.repo.get(runId);
    if (!run) return null;
    const ctx = active.get(runId);
    const windowMs = deps.repo.windowOf(runId);
    const left = run.counts.queued + run.counts.inflight;
    let etaAt: number | null = null;
    if (left > 0 && run.state === 'running') {
      const op = ctx?.op ?? opOf(runId);
      const ledgers = Object.fromEntries(
        lanesFor(run.kind, op).map((l) => [l.endpoint, deps.quota.ledger(run.instanceId, l.endpoint, windowMs, now())]),
      );
      etaAt = planRun({
        kind: run.kind,
        op,
        rows: left,
        ledgers,
        windowMs,
        now: now(),
        ...(deps.limits ? { limits: deps.limits } : {}),
      }).etaAt;
    }
    return {
      ...run,
      waitUntil: ctx?.waitUntil ?? null,
      waitReason: ctx?.waitReason ?? null,
      offlineSince: ctx?.offlineSince ?? null,
      etaAt,
    };
  }
  const emit = (runId: string) => {
    const p = progress(runId);
    if (p) deps.emit(p);
  };

  /** Rows back to the queue, in the journal and in memory (kept in row order). */
  function requeue(ctx: Ctx, rows: QueuedRow[], t: number, opts: Parameters<RunsRepo['requeue']>[3] = {}): void {
    deps.repo.requeue(
      ctx.runId,
      rows.map((r) => r.idx),
      t,
      opts,
    );
    ctx.queue.push(...rows.map((r) => ({ ...r, notBefore: opts.notBefore ?? 0, split: opts.split ?? r.split })));
    ctx.queue.sort((a, b) => a.idx - b.idx);
  }

  /** Rows whose outcome is unknown: found in Clerk → sent; not there → back to the queue, later. */
  async function reconcile(ctx: Ctx, rows: QueuedRow[], since: number): Promise<void> {
    if (ctx.op === 'revoke') {
      // Revoking twice is harmless (the second answers “already revoked”): just try again later.
      const t = now();
      for (const row of rows) requeue(ctx, [row], t, { notBefore: t + backoff(row.attempts) });
      wakeAll(ctx);
      return;
    }
    let pending = rows;
    while (pending.length > 0 && ctx.stop !== 'shutdown') {
      const unresolved: QueuedRow[] = [];
      let unreachable = false;
      for (const row of pending) {
        try {
          const found = await lookUpPending(ctx.client, ctx.kind, row.request);
          const t = now();
          if (found && found.createdAt >= since - CLOCK_SKEW_MS) {
            deps.repo.markSent(ctx.runId, [{ idx: row.idx, invitationId: found.id, status: found.status, url: found.url }], t);
          } else if (found) {
            deps.repo.markFailed(
              ctx.runId,
              [{ idx: row.idx, code: 'duplicate_record', message: explain('duplicate_record', 'Already had a pending invitation') }],
              t,
            );
          } else {
            requeue(ctx, [row], t, { notBefore: t + backoff(row.attempts) });
          }
        } catch (e) {
          unresolved.push(row); // still inflight in the journal: never resend what might have been sent
          if (isUnreachable(e)) unreachable = true;
        }
      }
      pending = unresolved;
      if (pending.length > 0 && unreachable) {
        goOffline(ctx, 'looking up requests of unknown outcome');
        await waitForNetwork(ctx);
      } else if (pending.length > 0) {
        ctx.waitReason = 'Checking with Clerk whether the last requests went through';
        await sleep(ctx, backoff(2));
      }
    }
    wakeAll(ctx);
  }

  /** Whether the single lane can send now (then halves of split batches and single-only rows go there). */
  function singleHasRoom(ctx: Ctx, t: number): boolean {
    const single = lanesFor(ctx.kind, ctx.op).find((l) => l.itemsPerCall === 1);
    if (!single || limitOf(single) <= 0) return false;
    return nextSlot(deps.quota.ledger(ctx.instanceId, single.endpoint, ctx.windowMs, t), limitOf(single), ctx.windowMs, t) <= t;
  }

  function takeBatch(ctx: Ctx, lane: Lane, t: number): QueuedRow[] {
    const bulk = lane.itemsPerCall > 1;
    const roomOnSingle = bulk && singleHasRoom(ctx, t);
    // split 0: only the single lane may send it; split 1: the single lane when it has room, else a bulk call of one.
    const eligible = ctx.queue.filter((r) => r.notBefore <= t && (!bulk || r.split > 1 || (r.split === 1 && !roomOnSingle)));
    const first = eligible[0];
    if (!first) return [];
    const max = lane.itemsPerCall === 1 ? 1 : Math.min(lane.itemsPerCall, first.split);
    // A bulk call goes to one organization: keep the batch to the first row's.
    const batch = eligible.filter((r) => r.request.organizationId === first.request.organizationId).slice(0, max);
    const taken = new Set(batch.map((r) => r.idx));
    ctx.queue = ctx.queue.filter((r) => !taken.has(r.idx));
    return batch;
  }

  async function handleError(ctx: Ctx, lane: Lane, batch: QueuedRow[], e: unknown, since: number): Promise<void> {
    const t = now();
    const back = (opts: Parameters<RunsRepo['requeue']>[3], rows = batch) => requeue(ctx, rows, t, opts);
    if (!(e instanceof ClerkApiError) || e.status >= 500) return reconcile(ctx, batch, since); // unknown outcome
    const d = classify(e, ctx.op, batch, lane.itemsPerCall > 1);
    const row = batch[0]!;
    const rest = (handled: QueuedRow[]) => {
      const others = batch.filter((r) => !handled.includes(r));
      if (others.length) back({ refund: true }, others);
    };
    switch (d.kind) {
      case 'rate_limited':
        deps.quota.block(ctx.instanceId, lane.endpoint, t + d.retryAfterSeconds * 1000);
        return back({ refund: true });
      case 'stop':
        back({ refund: true });
        ctx.stop = 'pause';
        ctx.stopReason = d.reason;
        return;
      case 'revoked_already':
        return deps.repo.markSent(
          ctx.runId,
          [{ idx: row.idx, invitationId: row.request.revokeInvitationId ?? '', status: 'revoked', url: null }],
          t,
        );
      case 'accepted_already':
        deps.repo.markSent(
          ctx.runId,
          [{ idx: row.idx, invitationId: row.request.revokeInvitationId ?? '', status: 'accepted', url: null }],
          t,
        );
        return deps.repo.note(ctx.runId, row.idx, 'Already accepted: nothing to revoke.', t);
      case 'not_pending': {
        // After an unknown outcome our own revoke may have gone through: look it up.
        const status = await orgInvitationStatus(ctx, row).catch(() => null);
        if (status === 'revoked')
          return deps.repo.markSent(
            ctx.runId,
            [{ idx: row.idx, invitationId: row.request.revokeInvitationId ?? '', status, url: null }],
            t,
          );
        return deps.repo.markFailed(
          ctx.runId,
          [
            {
              idx: row.idx,
              code: e.code,
              message: `No longer pending (${status ?? 'accepted, expired or revoked already'}): nothing to revoke.`,
            },
          ],
          t,
        );
      }
      case 'rows': {
        deps.repo.markFailed(
          ctx.runId,
          d.fail.map((f) => ({ idx: f.row.idx, code: f.code, message: f.message })),
          t,
        );
        await settleDuplicates(ctx, d.duplicates);
        return rest([...d.fail, ...d.duplicates].map((f) => f.row));
      }
      case 'single_lane': {
        const single = lanesFor(ctx.kind, ctx.op).find((l) => l.itemsPerCall === 1);
        if (!single || limitOf(single) <= 0) {
          deps.repo.markFailed(
            ctx.runId,
            d.rows.map((r) => ({ idx: r.idx, code: e.code, message: explain(e.code, e.longMessage) })),
            t,
          );
        } else back({ refund: true, split: 0 }, d.rows); // split 0: single lane only
        return rest(d.rows);
      }
      case 'split':
        // Nobody named: try the halves (on the single lane when it has room), down to single rows.
        return back({ refund: true, split: Math.ceil(batch.length / 2) });
    }
  }

  /**
   * Clerk says these rows already have a pending invitation. If it was created since this run started it is ours
   * (a bulk call that committed part of its rows before failing): the row is sent. Otherwise it is a real duplicate.
   */
  async function settleDuplicates(ctx: Ctx, dups: RowFailure[]): Promise<void> {
    if (dups.length === 0) return;
    const runStart = deps.repo.get(ctx.runId)?.createdAt ?? 0;
    for (const { row: r, code, message } of dups) {
      try {
        const found = await lookUpPending(ctx.client, ctx.kind, r.request);
        const t = now();
        // No clock-skew allowance here: a skewed clock can only make one of ours look older (the row then fails
        // as a duplicate, never sent twice), while an allowance would take a real duplicate for ours.
        if (found && found.createdAt >= runStart)
          deps.repo.markSent(ctx.runId, [{ idx: r.idx, invitationId: found.id, status: found.status, url: found.url }], t);
        else deps.repo.markFailed(ctx.runId, [{ idx: r.idx, code, message }], t);
      } catch {
        requeue(ctx, [r], now(), { notBefore: now() + backoff(r.attempts) });
      }
    }
  }

  async function orgInvitationStatus(ctx: Ctx, row: QueuedRow): Promise<string | null> {
    const { organizationId, revokeInvitationId } = row.request;
    if (!organizationId || !revokeInvitationId) return null;
    return (await ctx.client.getOrganizationInvitation(organizationId, revokeInvitationId)).status;
  }

  async function laneWorker(ctx: Ctx, lane: Lane): Promise<void> {
    if (limitOf(lane) <= 0) return; // this endpoint is switched off (tests, benchmarks)
    while (ctx.stop === null) {
      if (ctx.offlineSince === null && osOffline(ctx)) goOffline(ctx, 'the computer is offline');
      if (ctx.offlineSince !== null) {
        await waitForNetwork(ctx);
        continue;
      }
      const t = now();
      if (ctx.queue.length === 0) {
        if (ctx.inflight === 0) return;
        await sleep(ctx, 60_000); // another request may hand rows back
        continue;
      }
      const soonest = Math.min(...ctx.queue.map((r) => r.notBefore));
      if (soonest > t) {
        ctx.waitUntil = soonest;
        ctx.waitReason = 'Retrying after a temporary failure';
        emit(ctx.runId);
        await sleep(ctx, soonest - t);
        continue;
      }
      const ledger = deps.quota.ledger(ctx.instanceId, lane.endpoint, ctx.windowMs, t);
      const slot = nextSlot(ledger, limitOf(lane), ctx.windowMs, t);
      if (slot > t) {
        // The other lane may still have room; this one waits for its window.
        ctx.waitUntil = slot;
        ctx.waitReason =
          ledger.blockedUntil >= slot
            ? 'Clerk asked to wait (Retry-After)'
            : lane.endpoint === 'general'
              ? 'Clerk’s general rate limit'
              : `Hourly limit of ${lane.endpoint.endsWith('bulk') ? 'bulk' : 'single'} invitations`;
        emit(ctx.runId);
        await sleep(ctx, slot - t);
        continue;
      }
      if (!ctx.probed && ctx.inflight > 0) {
        // The run's first request goes alone: if the key, the inviter or the organization is wrong, one request
        // finds out, not one per lane.
        await sleep(ctx, 60_000);
        continue;
      }
      const batch = takeBatch(ctx, lane, t);
      if (batch.length === 0) {
        await sleep(ctx, Math.min(60_000, ctx.windowMs)); // the rows left are for the other lane; woken when that changes
        continue;
      }
      ctx.waitUntil = null;
      ctx.waitReason = null;
      const requestId = deps.repo.claim(
        ctx.runId,
        ctx.instanceId,
        lane.endpoint,
        batch.map((r) => r.idx),
        t,
      );
      ctx.inflight++;
      try {
        const created = await sendBatch(
          ctx.client,
          lane.endpoint,
          batch.map((r) => r.request),
        );
        const byEmail = new Map(created.map((c) => [c.email.toLowerCase(), c]));
        const sent = batch.flatMap((r, i) => {
          const c = byEmail.get(r.request.emailAddress.toLowerCase()) ?? created[i];
          return c ? [{ idx: r.idx, invitationId: c.id, status: c.status, url: c.url }] : [];
        });
        deps.repo.markSent(ctx.runId, sent, now());
        deps.repo.finishRequest(requestId, 'ok', now());
        const missing = batch.filter((r) => !sent.some((s) => s.idx === r.idx));
        if (missing.length) await reconcile(ctx, missing, t);
      } catch (e) {
        if (isUnreachable(e)) {
          // Never reached Clerk: nothing was created. Back to the queue as it was (no attempt, no backoff).
          deps.repo.finishRequest(requestId, 'unreachable', now());
          requeue(ctx, batch, now(), { refund: true });
          goOffline(ctx, e instanceof Error ? e.message : String(e));
        } else {
          deps.repo.finishRequest(requestId, e instanceof ClerkApiError ? `${e.status} ${e.code}` : 'unknown', now());
          log.warn(
            `run ${ctx.runId}: ${lane.endpoint} request for ${batch.length} rows failed: ${e instanceof Error ? e.message : String(e)}`,
          );
          await handleError(ctx, lane, batch, e, t);
        }
      } finally {
        ctx.probed = true;
        ctx.inflight--;
        wakeAll(ctx);
        emit(ctx.runId);
      }
    }
  }

  async function drive(ctx: Ctx): Promise<void> {
    try {
      const orphans = deps.repo.inflight(ctx.runId);
      if (orphans.length) await reconcile(ctx, orphans, Math.min(...orphans.map((o) => o.requestStartedAt || now())));
      await Promise.all(lanesFor(ctx.kind, ctx.op).map((lane) => laneWorker(ctx, lane)));
    } catch (e) {
      ctx.stop = 'pause';
      ctx.stopReason = `Stopped by an unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    }
    active.delete(ctx.runId);
    const t = now();
    log.info(`run ${ctx.runId}: stopped (${ctx.stop ?? 'finished'}${ctx.stopReason ? `: ${ctx.stopReason}` : ''})`);
    if (ctx.stop === 'shutdown') return; // stays 'running' in the journal: resumed on next start
    if (ctx.stop === 'cancel') {
      const n = deps.repo.cancelQueued(ctx.runId, t);
      deps.repo.setState(ctx.runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
    } else if (ctx.stop === 'pause') {
      deps.repo.setState(ctx.runId, 'paused', t, ctx.stopReason);
    } else {
      deps.repo.setState(ctx.runId, 'finished', t);
      const p = progress(ctx.runId);
      if (p) deps.onFinished?.(p);
    }
    emit(ctx.runId);
  }

  return {
    progress,
    activeFor: (profileId: string): string | null => [...active.values()].find((c) => c.profileId === profileId)?.runId ?? null,
    isActive: (runId: string) => active.has(runId),

    /** Starts (or resumes) driving a run that is in the journal. */
    async start(runId: string): Promise<void> {
      if (active.has(runId)) return;
      const run = deps.repo.get(runId);
      if (!run) throw new Error(`No run ${runId}`);
      const other = [...active.values()].find((c) => c.profileId === run.profileId);
      if (other) throw new Error(`Profile “${run.profileName}” is already running another run`);
      const holder: { abort: AbortController } = { abort: new AbortController() };
      const client = await deps.clientFor(run.profileId, { signal: () => holder.abort.signal });
      deps.repo.setState(runId, 'running', now());
      log.info(`run ${runId}: sending (${run.kind}, ${run.counts.queued + run.counts.inflight} rows left)`);
      const ctx: Ctx = {
        runId,
        profileId: run.profileId,
        instanceId: run.instanceId,
        kind: run.kind,
        op: opOf(runId),
        windowMs: deps.repo.windowOf(runId),
        client,
        queue: deps.repo.queued(runId),
        inflight: 0,
        stop: null,
        stopReason: null,
        sleepers: new Set(),
        probed: false,
        waitUntil: null,
        waitReason: null,
        offlineSince: null,
        online: null,
        reachableOffline: false,
        get abort() {
          return holder.abort;
        },
        set abort(a: AbortController) {
          holder.abort = a;
        },
        done: Promise.resolve(),
      };
      active.set(runId, ctx);
      ctx.done = drive(ctx);
      emit(runId);
    },
    pause(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (!ctx) return Promise.resolve();
      ctx.stop = 'pause';
      ctx.stopReason = 'Paused by you';
      wakeAll(ctx);
      return ctx.done;
    },
    async cancel(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (ctx) {
        ctx.stop = 'cancel';
        wakeAll(ctx);
        return ctx.done;
      }
      const t = now();
      const n = deps.repo.cancelQueued(runId, t);
      deps.repo.setState(runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
      emit(runId);
    },
    /** Waits for a run to stop (finish, pause or cancel). */
    settled: (runId: string) => active.get(runId)?.done ?? Promise.resolve(),
    /**
     * App quitting: requests in flight get `deadlineMs` to finish, then are abandoned (their rows stay
     * in flight in the journal and are looked up in Clerk at the next start). Runs stay 'running' so the
     * next start resumes them. Never hangs.
     */
    async shutdown(deadlineMs = 3000): Promise<void> {
      const all = [...active.values()];
      for (const ctx of all) {
        ctx.stop = 'shutdown';
        wakeAll(ctx);
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
    wake(reason: 'resume' | 'clock-jump' | 'network'): void {
      wakes++;
      if (active.size) log.info(`waking ${active.size} run(s): ${reason}`);
      for (const ctx of active.values()) {
        if (reason === 'resume' && ctx.inflight > 0) {
          ctx.abort.abort();
          ctx.abort = new AbortController();
        }
        wakeAll(ctx);
      }
    },
    /** Runs being driven now (the power blocker, tray and taskbar follow these). */
    activeCount: () => active.size,
    /** On start: every run the journal says is running resumes (in-flight rows are looked up first). */
    async resumeAll(): Promise<void> {
      for (const run of deps.repo.withState('running')) {
        try {
          await this.start(run.id);
        } catch (e) {
          deps.repo.setState(run.id, 'interrupted', now(), `Could not resume: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    },
  };
}
export type RunEngine = ReturnType<typeof createRunEngine>;
