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
import { ClerkApiError } from '../clerk/errors.ts';
import type { QuotaStore } from './quotaStore.ts';
import { CLOCK_SKEW_MS, lookUpPending } from './reconcile.ts';
import type { QueuedRow, RunsRepo } from './runsRepo.ts';
import { sendBatch } from './send.ts';

export type EngineDeps = {
  repo: RunsRepo;
  quota: QuotaStore;
  clientFor: (profileId: string) => Promise<ClerkClient>;
  emit: (progress: RunProgress) => void;
  onFinished?: (progress: RunProgress) => void;
  now?: () => number;
  random?: () => number;
  /** First retry delay after a failure of unknown outcome; doubles up to 60× this. */
  backoffBaseMs?: number;
  /** Per-window request limits overriding Clerk's (tests, benchmarks against a compressed emulator). */
  limits?: Partial<Record<Endpoint, number>>;
};

/** Clerk errors that stop the whole run (a setting or the key is wrong): pause it and say what to fix. */
const RUN_STOPPERS = new Set([
  'clerk_key_invalid',
  'authorization_header_format_invalid',
  'dev_monthly_email_limit_exceeded',
  'not_an_admin_in_organization',
  'resource_not_found',
]);

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
  waitUntil: number | null;
  waitReason: string | null;
  done: Promise<void>;
};

export function createRunEngine(deps: EngineDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const base = deps.backoffBaseMs ?? 1000;
  const active = new Map<string, Ctx>();
  const limitOf = (lane: Lane) => deps.limits?.[lane.endpoint] ?? lane.requests;

  const wakeAll = (ctx: Ctx) => {
    for (const w of ctx.sleepers) w();
    ctx.sleepers.clear();
  };
  /** Sleeps until `ms` passes or the run is woken (pause, cancel, a row back in the queue). */
  const sleep = (ctx: Ctx, ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(t);
        ctx.sleepers.delete(done);
        resolve();
      }
      ctx.sleepers.add(done);
    });
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
    return { ...run, waitUntil: ctx?.waitUntil ?? null, waitReason: ctx?.waitReason ?? null, etaAt };
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
        } catch {
          unresolved.push(row); // still inflight in the journal: never resend what might have been sent
        }
      }
      pending = unresolved;
      if (pending.length > 0) {
        ctx.waitReason = 'Checking with Clerk whether the last requests went through';
        await sleep(ctx, backoff(2));
      }
    }
    wakeAll(ctx);
  }

  function takeBatch(ctx: Ctx, lane: Lane, t: number): QueuedRow[] {
    const eligible = ctx.queue.filter((r) => r.notBefore <= t);
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
    if (e.status === 429) {
      const until = t + Math.max(1, e.retryAfterSeconds ?? 60) * 1000;
      deps.quota.block(ctx.instanceId, lane.endpoint, until);
      return back({ refund: true });
    }
    if (ctx.op === 'revoke' && (e.code === 'invitation_already_revoked' || e.code === 'organization_invitation_not_pending')) {
      const row = batch[0]!;
      if (e.code === 'invitation_already_revoked')
        deps.repo.markSent(
          ctx.runId,
          [{ idx: row.idx, invitationId: row.request.revokeInvitationId ?? '', status: 'revoked', url: null }],
          t,
        );
      else
        deps.repo.markFailed(
          ctx.runId,
          [{ idx: row.idx, code: e.code, message: 'No longer pending (accepted, expired or revoked already): nothing to revoke.' }],
          t,
        );
      return;
    }
    if (RUN_STOPPERS.has(e.code) || e.status === 401) {
      back({ refund: true });
      ctx.stop = 'pause';
      ctx.stopReason = explain(e.code, e.longMessage);
      return;
    }
    // Bulk calls are all-or-nothing: set aside the rows Clerk names, resend the others.
    const named = new Set(((e.meta['email_addresses'] as unknown[] | undefined) ?? []).map((x) => String(x).toLowerCase()));
    const culprits = batch.filter((r) => named.has(r.request.emailAddress.toLowerCase()));
    const message = explain(e.code, e.longMessage);
    if (culprits.length > 0 || batch.length === 1) {
      const failed = culprits.length > 0 ? culprits : batch;
      deps.repo.markFailed(
        ctx.runId,
        failed.map((r) => ({ idx: r.idx, code: e.code, message })),
        t,
      );
      const rest = batch.filter((r) => !failed.includes(r));
      if (rest.length) back({ refund: true }, rest);
      return;
    }
    // The culprit is unclear: split the batch and try the halves, down to single rows.
    back({ refund: true, split: Math.ceil(batch.length / 2) });
  }

  async function laneWorker(ctx: Ctx, lane: Lane): Promise<void> {
    if (limitOf(lane) <= 0) return; // this endpoint is switched off (tests, benchmarks)
    while (ctx.stop === null) {
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
      const batch = takeBatch(ctx, lane, t);
      if (batch.length === 0) continue;
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
        deps.repo.finishRequest(requestId, e instanceof ClerkApiError ? `${e.status} ${e.code}` : 'unknown', now());
        await handleError(ctx, lane, batch, e, t);
      } finally {
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
      const client = await deps.clientFor(run.profileId);
      deps.repo.setState(runId, 'running', now());
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
        waitUntil: null,
        waitReason: null,
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
    /** App quitting: let requests in flight finish, keep the runs 'running' so the next start resumes them. */
    async shutdown(): Promise<void> {
      const all = [...active.values()];
      for (const ctx of all) {
        ctx.stop = 'shutdown';
        wakeAll(ctx);
      }
      await Promise.all(all.map((c) => c.done));
    },
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
