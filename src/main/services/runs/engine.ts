/**
 * Runs live here, in main: they keep going when the window reloads. One run per profile at a time; several
 * profiles at once. Each run has two lanes (bulk ≤10 and single) pulling from one queue, each paced by its
 * endpoint's sliding window, so normal operation reaches Clerk's ceiling without a 429.
 *
 * Never twice: a run is sent only by the process holding its lease; every request is journaled before it goes
 * out (no journal entry, no request); a row whose outcome is unknown is looked up after a grace period (Clerk
 * may commit late) and again right before any resend, and gives up as "unknown: check in Clerk" after the cap.
 */
import { randomUUID } from 'node:crypto';
import { lanesFor, nextSlot, type Endpoint, type Lane, type RunOp } from '../../../shared/domain/send/limits.ts';
import { explain } from '../../../shared/domain/send/messages.ts';
import { planRun } from '../../../shared/domain/send/plan.ts';
import type { RunProgress, RunRetry } from '../../../shared/domain/send/types.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../clerk/errors.ts';
import { Failure } from '../failure.ts';
import { systemClock, waitUntil, type Clock } from '../lifecycle/clock.ts';
import { isDiskFull, isJournalError, journalProblem } from './journalProblem.ts';
import type { QuotaStore } from './quotaStore.ts';
import { DEV_MONTHLY_EMAILS } from '../../../shared/domain/send/preflight.ts';
import { classify, type RowFailure } from './classify.ts';
import { monthStart } from './preflight.ts';
import { CLOCK_SKEW_MS, lookUpPending, type Found } from './reconcile.ts';
import { LeaseLostError, OUTCOME_UNKNOWN, ProfileBusyError, type NewRun, type QueuedRow, type RunsRepo } from './runsRepo.ts';
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

export type NetworkSource = { isOnline(): boolean; onChange(listener: (online: boolean) => void): () => void };
export type EngineLog = { info(message: string): void; warn(message: string): void };

type Stop = 'pause' | 'cancel' | 'shutdown' | 'lost';

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
  stop: Stop | null;
  stopReason: string | null;
  /** The journal could not be written: nothing more may be sent or recorded by this drive. */
  journalBroken: boolean;
  sleepers: Set<() => void>;
  /** Whether the run's first request was answered (until then the other lane waits). */
  probed: boolean;
  background: Set<Promise<void>>;
  waitUntil: number | null;
  waitReason: string | null;
  /** Since when Clerk cannot be reached (no network, DNS, refused): nothing is sent, no attempt spent. */
  offlineSince: number | null;
  /** The last failed request that will be tried again (cleared by the next success): shown on the run page. */
  retry: RunRetry | null;
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
  const owner = deps.owner ?? randomUUID();
  const leaseMs = deps.leaseMs ?? 30_000;
  const graceMs = deps.unknownGraceMs ?? 60_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const active = new Map<string, Ctx>();
  /** Runs between “start” and their first drive (awaiting the key): they hold their profile too. */
  const starting = new Map<string, string>();
  /** Runs whose final state could not be journaled (disk full): what the user is told until it can be. */
  const halted = new Map<string, { state: 'paused'; reason: string }>();
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
  /** When the next request for rows being retried goes (a lookup or the resend), for the run page. */
  const retryAt = (ctx: Ctx, at: number) => {
    if (ctx.retry) ctx.retry = { ...ctx.retry, nextAt: at };
  };
  const backoff = (attempts: number) => Math.min(60 * base, base * 2 ** Math.max(0, attempts - 1)) * (0.5 + random());

  /** A journal write failed (disk full, lease lost): stop at once, send nothing more, say what to do. */
  function halt(ctx: Ctx, e: unknown): void {
    if (e instanceof LeaseLostError) {
      ctx.stop = 'lost';
      ctx.stopReason = e.message;
    } else if (isJournalError(e) || isDiskFull(e)) {
      ctx.stop = 'pause';
      ctx.journalBroken = true;
      ctx.stopReason = journalProblem(e);
    } else {
      ctx.stop = 'pause';
      ctx.stopReason = `Stopped by an unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    }
    wakeAll(ctx);
  }

  function progress(runId: string): RunProgress | null {
    const run = deps.repo.get(runId);
    if (!run) return null;
    const ctx = active.get(runId);
    const stuck = !ctx && run.state === 'running' ? halted.get(runId) : undefined;
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
    const windowMs = deps.repo.windowOf(runId);
    const left = run.counts.queued + run.counts.inflight;
    let etaAt: number | null = null;
    const retry = run.state === 'running' ? (ctx?.retry ?? null) : null;
    // While Clerk fails, the plan's “about 1 s left” would be a claim nobody can make: no ETA until it answers.
    if (left > 0 && run.state === 'running' && !retry) {
      const op = run.op;
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
      retry,
    };
  }
  const emit = (runId: string) => {
    try {
      const p = progress(runId);
      if (p) deps.emit(p);
    } catch {
      // Reading progress failed (the database is gone or broken): the next event will tell.
    }
  };

  /** Rows back to the queue, in the journal and in memory (kept in row order). */
  function requeue(ctx: Ctx, rows: QueuedRow[], t: number, opts: Parameters<RunsRepo['requeue']>[3] = {}): void {
    deps.repo.requeue(
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
  }

  /** An invitation found in Clerk for a row: created by this run (since its first unknown request)? */
  const ours = (row: QueuedRow, found: NonNullable<Found>) => found.createdAt >= (row.unknownSince ?? Infinity) - CLOCK_SKEW_MS;

  /** What a lookup says about a row of unknown outcome, journaled. */
  function settle(ctx: Ctx, row: QueuedRow, found: Found): void {
    const t = now();
    if (found && ours(row, found)) {
      ctx.retry = null; // it went through after all, and Clerk answers again
      deps.repo.markSent(ctx.runId, [{ idx: row.idx, invitationId: found.id, status: found.status, url: found.url }], t);
    } else if (found && !row.request.ignoreExisting) {
      // Pending since before this run first tried: the request could only have been refused as a duplicate.
      deps.repo.markFailed(
        ctx.runId,
        [{ idx: row.idx, code: 'duplicate_record', message: explain('duplicate_record', 'Already had a pending invitation') }],
        t,
      );
    } else if (row.attempts >= maxAttempts) {
      deps.repo.markFailed(
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
      requeue(ctx, [row], t, { notBefore: t + backoff(row.attempts) });
    }
  }

  /**
   * Rows whose outcome is unknown (Clerk may have created them, now or a little later). Remembered as such; after
   * the grace period (counted from `since`, the request's start) looked up: found → sent; not there → back to the
   * queue, looked up again before the resend. `grace: false` when Clerk said it exists (a duplicate).
   */
  async function reconcile(ctx: Ctx, rows: QueuedRow[], since: number, grace: boolean): Promise<void> {
    deps.repo.markUnknown(
      ctx.runId,
      rows.map((r) => r.idx),
      since,
    );
    for (const r of rows) r.unknownSince ??= since;
    if (ctx.op === 'revoke') {
      // Revoking twice is harmless (the second answers “already revoked”): just try again later.
      const t = now();
      for (const row of rows) requeue(ctx, [row], t, { notBefore: t + backoff(row.attempts) });
      wakeAll(ctx);
      return;
    }
    const until = since + (grace ? graceMs : 0);
    if (ctx.stop === null && now() < until) {
      retryAt(ctx, until);
      ctx.waitUntil = until;
      ctx.waitReason = 'Waiting before checking with Clerk whether the last requests went through';
      emit(ctx.runId);
    }
    while (ctx.stop === null && now() < until) {
      ctx.waitReason = 'Waiting before checking with Clerk whether the last requests went through';
      await sleep(ctx, until - now());
    }
    // Stopped while waiting: the rows stay in flight in the journal; the next start looks them up.
    if (ctx.stop !== null && ctx.stop !== 'cancel') return;
    let pending = rows;
    let failures = 0;
    while (pending.length > 0 && (ctx.stop === null || ctx.stop === 'cancel') && !ctx.journalBroken) {
      const unresolved: QueuedRow[] = [];
      let unreachable = false;
      let retryAfterMs = 0;
      for (const row of pending) {
        let found: Found;
        try {
          found = await lookUpPending(ctx.client, ctx.kind, row.request);
        } catch (e) {
          unresolved.push(row); // still inflight in the journal: never resend what might have been sent
          if (isUnreachable(e)) unreachable = true;
          if (e instanceof ClerkApiError && e.status === 429) retryAfterMs = Math.max(retryAfterMs, (e.retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        settle(ctx, row, found);
      }
      pending = unresolved;
      if (pending.length === 0) break;
      if (retryAfterMs > 0) {
        // Clerk's general limit: its answer is “later”, not “I don't know”; wait as asked, without spending the cap.
        ctx.waitReason = 'Clerk asked to wait (Retry-After) before checking the last requests';
        await sleep(ctx, retryAfterMs);
        continue;
      }
      if (unreachable) {
        // No network is not Clerk failing to answer: wait for it, without spending the lookup cap.
        goOffline(ctx, 'looking up requests of unknown outcome');
        await waitForNetwork(ctx);
        continue;
      }
      if (++failures >= maxAttempts) {
        ctx.stop = ctx.stop ?? 'pause';
        ctx.stopReason = `Could not check with Clerk whether ${pending.length} rows went through: Resume to check again (nothing is resent before).`;
        break;
      }
      const pause = backoff(failures + 1);
      ctx.waitReason = 'Checking with Clerk whether the last requests went through';
      retryAt(ctx, now() + pause);
      emit(ctx.runId);
      await sleep(ctx, pause);
    }
    wakeAll(ctx);
  }

  /** Runs `reconcile` beside the lanes (its grace wait must not hold a lane); the run ends after it. */
  function reconcileLater(ctx: Ctx, rows: QueuedRow[], since: number, grace: boolean): void {
    ctx.inflight++;
    const p = reconcile(ctx, rows, since, grace)
      .catch((e: unknown) => halt(ctx, e))
      .finally(() => {
        ctx.inflight--;
        ctx.background.delete(p);
        wakeAll(ctx);
        emit(ctx.runId);
      });
    ctx.background.add(p);
  }

  /** Right before a resend: rows that had an unknown outcome are looked up again; found → sent, not resent. */
  async function recheck(ctx: Ctx, batch: QueuedRow[]): Promise<QueuedRow[]> {
    const keep: QueuedRow[] = [];
    for (const row of batch) {
      if (row.unknownSince === null || ctx.op === 'revoke') {
        keep.push(row);
        continue;
      }
      let found: Found;
      try {
        found = await lookUpPending(ctx.client, ctx.kind, row.request);
      } catch {
        const t = now();
        requeue(ctx, [row], t, { notBefore: t + backoff(row.attempts + 1) });
        continue;
      }
      if (found && ours(row, found))
        deps.repo.markSent(ctx.runId, [{ idx: row.idx, invitationId: found.id, status: found.status, url: found.url }], now());
      else keep.push(row);
    }
    return keep;
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
    if (e instanceof ClerkTransportError && e.kind === 'bad_request')
      // Refused before sending (an id not of Clerk's shape): nothing reached Clerk, and retrying cannot help.
      return deps.repo.markFailed(
        ctx.runId,
        batch.map((r) => ({ idx: r.idx, code: 'invalid_id', message: e.message })),
        t,
      );
    const failedTry = (nextAt: number | null) => {
      ctx.retry = {
        status: e instanceof ClerkApiError ? e.status : null,
        code: e instanceof ClerkApiError ? e.code : null,
        attempt: Math.max(...batch.map((r) => r.attempts)),
        nextAt,
      };
    };
    if (!(e instanceof ClerkApiError) || e.status >= 500) {
      failedTry(since + graceMs); // unknown outcome: looked up after the grace period
      return reconcileLater(ctx, batch, since, true);
    }
    const d = classify(e, ctx.op, batch, lane.itemsPerCall > 1);
    const row = batch[0]!;
    const rest = (handled: QueuedRow[]) => {
      const others = batch.filter((r) => !handled.includes(r));
      if (others.length) back({ refund: true }, others);
    };
    switch (d.kind) {
      case 'rate_limited':
        deps.quota.block(ctx.instanceId, lane.endpoint, t + d.retryAfterSeconds * 1000);
        failedTry(t + d.retryAfterSeconds * 1000);
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
        // A row this run asked before without hearing back: created since that request, it is ours too.
        if (found && (found.createdAt >= runStart || ours(r, found)))
          deps.repo.markSent(ctx.runId, [{ idx: r.idx, invitationId: found.id, status: found.status, url: found.url }], t);
        else deps.repo.markFailed(ctx.runId, [{ idx: r.idx, code, message }], t);
      } catch {
        requeue(ctx, [r], now(), { notBefore: now() + backoff(r.attempts) });
      }
    }
  }

  /**
   * A development instance past 100 emails this month creates invitations without sending their email, and says
   * nothing. Counted here (as in the review's pre-flight): those rows say so, so nobody waits for an email.
   */
  function noteMissingEmails(ctx: Ctx, batch: QueuedRow[], sentIdx: number[]): void {
    if (deps.repo.get(ctx.runId)?.environment !== 'development') return;
    const emailing = batch.filter((r) => sentIdx.includes(r.idx) && r.request.notify && !/\+clerk_test@/i.test(r.email));
    if (emailing.length === 0) return;
    const over = deps.repo.emailsSince(ctx.instanceId, monthStart(now())) - DEV_MONTHLY_EMAILS;
    const t = now();
    for (const r of emailing.slice(Math.max(0, emailing.length - over)))
      deps.repo.note(
        ctx.runId,
        r.idx,
        `Invitation created, but Clerk sent no email: this development instance is past ${DEV_MONTHLY_EMAILS} emails this month. Copy the accept link and send it yourself.`,
        t,
      );
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
        retryAt(ctx, soonest);
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
        if (ctx.queue.some((r) => r.attempts > 0)) retryAt(ctx, slot); // a retried row waits for this slot too
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
      let batch = takeBatch(ctx, lane, t);
      if (batch.length === 0) {
        await sleep(ctx, Math.min(60_000, ctx.windowMs)); // the rows left are for the other lane; woken when that changes
        continue;
      }
      ctx.waitUntil = null;
      ctx.waitReason = null;
      ctx.inflight++;
      try {
        if (batch.some((r) => r.unknownSince !== null)) {
          batch = await recheck(ctx, batch);
          if (batch.length === 0 || ctx.stop !== null) {
            if (batch.length) requeue(ctx, batch, now());
            continue;
          }
        }
        const started = now();
        // No journal entry, no request: a failed write throws here and stops the run before anything is sent.
        const requestId = deps.repo.claim(
          ctx.runId,
          ctx.instanceId,
          lane.endpoint,
          batch.map((r) => r.idx),
          started,
          owner,
        );
        for (const r of batch) r.attempts++;
        let created: Awaited<ReturnType<typeof sendBatch>> | null = null;
        let error: unknown = null;
        try {
          created = await sendBatch(
            ctx.client,
            lane.endpoint,
            batch.map((r) => r.request),
          );
        } catch (e) {
          error = e;
        }
        if (created) {
          const byEmail = new Map(created.map((c) => [c.email.toLowerCase(), c]));
          const sent = batch.flatMap((r, i) => {
            const c = byEmail.get(r.request.emailAddress.toLowerCase()) ?? created[i];
            return c ? [{ idx: r.idx, invitationId: c.id, status: c.status, url: c.url, expiresAt: c.expiresAt }] : [];
          });
          deps.repo.markSent(ctx.runId, sent, now());
          ctx.retry = null; // Clerk answers again: the run page goes back to its plan and ETA
          noteMissingEmails(
            ctx,
            batch,
            sent.map((x) => x.idx),
          );
          deps.repo.finishRequest(requestId, 'ok', now());
          const missing = batch.filter((r) => !sent.some((s) => s.idx === r.idx));
          if (missing.length) reconcileLater(ctx, missing, started, false);
        } else if (isUnreachable(error)) {
          // Never reached Clerk: nothing was created. Back to the queue as it was (no attempt, no backoff).
          deps.repo.finishRequest(requestId, 'unreachable', now());
          requeue(ctx, batch, now(), { refund: true });
          goOffline(ctx, error instanceof Error ? error.message : String(error));
        } else {
          deps.repo.finishRequest(requestId, error instanceof ClerkApiError ? `${error.status} ${error.code}` : 'unknown', now());
          log.warn(
            `run ${ctx.runId}: ${lane.endpoint} request for ${batch.length} rows failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          await handleError(ctx, lane, batch, error, started);
        }
      } catch (e) {
        halt(ctx, e); // the journal refused a write: the rows stay as the journal last had them
      } finally {
        ctx.probed = true;
        ctx.inflight--;
        wakeAll(ctx);
        emit(ctx.runId);
      }
    }
  }

  /** Renews the run's lease every third of its life; a lease taken over by another process stops this drive. */
  function heartbeat(ctx: Ctx): () => void {
    let stopped = false;
    let timer: ReturnType<Clock['setTimeout']> | null = null;
    const every = Math.max(10, Math.floor(leaseMs / 3));
    const beat = () => {
      if (stopped) return;
      try {
        if (!deps.repo.renewLease(ctx.runId, owner, now())) halt(ctx, new LeaseLostError('Another Invite Desk process took over this run'));
      } catch (e) {
        halt(ctx, e);
      }
      timer = clock.setTimeout(beat, every);
    };
    timer = clock.setTimeout(beat, every);
    return () => {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
    };
  }

  async function drive(ctx: Ctx): Promise<void> {
    const stopBeat = heartbeat(ctx);
    try {
      const orphans = deps.repo.inflight(ctx.runId);
      if (orphans.length) {
        // Left in flight by a crash or a kill: Clerk may still commit them; wait out the grace, then look up.
        const since = Math.min(...orphans.map((o) => o.requestStartedAt || now()));
        const graceFrom = Math.max(...orphans.map((o) => o.requestStartedAt || now()));
        for (const o of orphans) o.unknownSince ??= since;
        await reconcile(ctx, orphans, graceFrom, true);
      }
      await Promise.all(lanesFor(ctx.kind, ctx.op).map((lane) => laneWorker(ctx, lane)));
      while (ctx.background.size > 0) await Promise.all([...ctx.background]);
    } catch (e) {
      halt(ctx, e);
      while (ctx.background.size > 0) await Promise.all([...ctx.background]);
    }
    stopBeat();
    active.delete(ctx.runId);
    log.info(`run ${ctx.runId}: stopped (${ctx.stop ?? 'finished'}${ctx.stopReason ? `: ${ctx.stopReason}` : ''})`);
    try {
      finish(ctx);
    } catch (e) {
      // Even the final state cannot be written (disk full): say so; the journal still says 'running', so
      // the next start resumes it and looks up whatever was in flight.
      halted.set(ctx.runId, { state: 'paused', reason: ctx.journalBroken ? (ctx.stopReason ?? journalProblem(e)) : journalProblem(e) });
    }
    emit(ctx.runId);
  }

  function finish(ctx: Ctx): void {
    const t = now();
    if (ctx.stop === 'lost') return; // another process drives it now
    if (ctx.stop === 'shutdown') return deps.repo.releaseLease(ctx.runId, owner); // stays 'running': resumed on next start
    if (ctx.stop === 'cancel' && !ctx.journalBroken) {
      const n = deps.repo.cancelQueued(ctx.runId, t);
      const unknown = deps.repo.inflight(ctx.runId).map((r) => r.idx);
      if (unknown.length)
        deps.repo.markFailed(
          ctx.runId,
          unknown.map((idx) => ({
            idx,
            code: OUTCOME_UNKNOWN,
            message: 'Unknown: check in Clerk. Cancelled before Clerk’s answer was known; it is not resent.',
          })),
          t,
        );
      deps.repo.setState(ctx.runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
    } else if (ctx.stop === 'pause') {
      deps.repo.setState(ctx.runId, 'paused', t, ctx.stopReason);
    } else {
      deps.repo.setState(ctx.runId, 'finished', t);
      const p = progress(ctx.runId);
      if (p) deps.onFinished?.(p);
    }
  }

  const busyFailure = (profileName: string, sheetName: string) =>
    new Failure('profile_busy', `“${profileName}” is already sending “${sheetName}”. Wait for it, or pause it first.`);

  /** Another run of this profile is going (or starting) in this process. */
  function localBusy(profileId: string, except: string): string | null {
    for (const c of active.values()) if (c.profileId === profileId && c.runId !== except) return c.runId;
    for (const [id, p] of starting) if (p === profileId && id !== except) return id;
    return null;
  }

  const newClient = async (profileId: string) => {
    const holder: { abort: AbortController } = { abort: new AbortController() };
    const client = await deps.clientFor(profileId, { signal: () => holder.abort.signal });
    return { client, holder };
  };

  function begin(runId: string, { client, holder }: Awaited<ReturnType<typeof newClient>>): void {
    const run = deps.repo.get(runId)!;
    halted.delete(runId);
    log.info(`run ${runId}: sending (${run.kind}, ${run.counts.queued + run.counts.inflight} rows left)`);
    const ctx: Ctx = {
      runId,
      profileId: run.profileId,
      instanceId: run.instanceId,
      kind: run.kind,
      op: run.op,
      windowMs: deps.repo.windowOf(runId),
      client,
      queue: deps.repo.queued(runId),
      inflight: 0,
      stop: null,
      stopReason: null,
      journalBroken: false,
      sleepers: new Set(),
      probed: false,
      background: new Set(),
      waitUntil: null,
      waitReason: null,
      offlineSince: null,
      retry: null,
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
  }

  const mustGet = (runId: string) => {
    const run = deps.repo.get(runId);
    if (!run) throw new Failure('run_not_found', 'That run no longer exists.');
    return run;
  };

  return {
    progress,
    owner,
    activeFor: (profileId: string): string | null => [...active.values()].find((c) => c.profileId === profileId)?.runId ?? null,
    isActive: (runId: string) => active.has(runId),

    /**
     * Creates a run and starts it, atomically: the profile is claimed in the transaction that creates the run,
     * and a run that cannot start is removed again, so nothing is left to resume later.
     */
    async launch(run: NewRun): Promise<string> {
      const busy = localBusy(run.profileId, run.id);
      if (busy) throw busyFailure(run.profileName, deps.repo.get(busy)?.sheetName ?? 'another run');
      starting.set(run.id, run.profileId);
      try {
        const client = await newClient(run.profileId);
        try {
          deps.repo.create(run, now(), owner);
        } catch (e) {
          if (e instanceof ProfileBusyError) throw busyFailure(run.profileName, e.sheetName);
          throw e;
        }
        try {
          begin(run.id, client);
        } catch (e) {
          deps.repo.discard(run.id);
          throw e;
        }
        return run.id;
      } finally {
        starting.delete(run.id);
      }
    },

    /** Starts (or resumes) driving a run that is in the journal. */
    async start(runId: string): Promise<void> {
      if (active.has(runId) || starting.has(runId)) return;
      const run = mustGet(runId);
      const busy = localBusy(run.profileId, runId);
      if (busy) throw busyFailure(run.profileName, deps.repo.get(busy)?.sheetName ?? 'another run');
      starting.set(runId, run.profileId);
      try {
        const client = await newClient(run.profileId);
        let held: ReturnType<RunsRepo['acquire']>;
        try {
          held = deps.repo.acquire(runId, owner, now(), leaseMs);
        } catch (e) {
          if (e instanceof ProfileBusyError) throw busyFailure(run.profileName, e.sheetName);
          throw e;
        }
        if (held)
          throw new Failure(
            'run_leased',
            `Another Invite Desk process is sending this run (last heard from ${Math.max(0, Math.round((now() - held.renewedAt) / 1000))} s ago). Close it, or wait ${Math.ceil(leaseMs / 1000)} s after it stopped.`,
            { detail: { renewedAt: held.renewedAt, staleAt: held.renewedAt + leaseMs } },
          );
        begin(runId, client);
      } finally {
        starting.delete(runId);
      }
    },
    /** Pauses a running run; answers at once for a run that is not going, refuses an unknown or ended one. */
    pause(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (!ctx) {
        const run = mustGet(runId);
        if (run.state === 'finished' || run.state === 'cancelled')
          throw new Failure('run_over', `This run is ${run.state}: there is nothing to pause.`);
        return Promise.resolve();
      }
      if (ctx.stop === null) {
        ctx.stop = 'pause';
        ctx.stopReason = 'Paused by you';
      }
      wakeAll(ctx);
      return ctx.done;
    },
    async cancel(runId: string): Promise<void> {
      const ctx = active.get(runId);
      if (ctx) {
        if (ctx.stop === null || ctx.stop === 'pause') ctx.stop = ctx.journalBroken ? ctx.stop : 'cancel';
        wakeAll(ctx);
        return ctx.done;
      }
      const run = mustGet(runId);
      if (run.state === 'finished' || run.state === 'cancelled')
        throw new Failure('run_over', `This run is ${run.state} already: its history stays as it is.`);
      if (run.state === 'running' && !halted.has(runId)) {
        const lease = deps.repo.leaseOf(runId);
        if (lease.owner !== null && lease.owner !== owner && (lease.at ?? 0) > now() - leaseMs)
          throw new Failure('run_leased', 'Another Invite Desk process is sending this run: cancel it there.');
      }
      if (deps.repo.inflight(runId).length > 0)
        throw new Failure(
          'run_unsettled',
          'Some rows of this run were in flight when it stopped: Resume it so they are looked up in Clerk first, then cancel.',
        );
      const t = now();
      const n = deps.repo.cancelQueued(runId, t);
      deps.repo.setState(runId, 'cancelled', t, n ? `${n} rows were not sent` : null);
      halted.delete(runId);
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
    /**
     * On start: every run the journal says is running resumes (in-flight rows are looked up first). A run whose
     * lease another process renewed lately is waited for until the lease is stale (its holder died), then taken
     * over; while that process lives, it keeps the run.
     */
    async resumeAll(): Promise<void> {
      await Promise.all(
        deps.repo.withState('running').map(async (run) => {
          for (let tries = 0; tries < 2; tries++) {
            try {
              await this.start(run.id);
              return;
            } catch (e) {
              if (e instanceof Failure && e.code === 'run_leased' && tries === 0) {
                const staleAt = Number(e.detail?.['staleAt'] ?? 0);
                await new Promise<void>((r) => clock.setTimeout(r, Math.max(0, staleAt - now()) + 5));
                continue;
              }
              if (e instanceof Failure && (e.code === 'run_leased' || e.code === 'profile_busy')) return;
              try {
                deps.repo.setState(run.id, 'interrupted', now(), `Could not resume: ${e instanceof Error ? e.message : String(e)}`);
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
}
export type RunEngine = ReturnType<typeof createRunEngine>;
