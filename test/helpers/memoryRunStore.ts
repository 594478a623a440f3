/**
 * An in-memory twin of the run engine's storage port: the same contract as the SQLite journal (the storage contract
 * suite runs against both), for fast unit tests of each policy without a database.
 */
import { nextSlot, type Endpoint, type Ledger } from '../../src/shared/domain/send/limits.ts';
import { NoSlotError } from '../../src/main/services/runs/journalTypes.ts';
import type { InflightRow, RunStore } from '../../src/main/services/runs/engine/ports.ts';
import { LeaseLostError, ProfileBusyError, type NewRun, type QueuedRow } from '../../src/main/services/runs/runsRepo.ts';
import type { RowState, RunCounts, RunState, RunSummary } from '../../src/shared/domain/send/types.ts';
import type { RowRequest } from '../../src/shared/domain/sheet/validate.ts';

type Row = {
  idx: number;
  email: string;
  request: RowRequest | null;
  state: RowState;
  attempts: number;
  split: number;
  notBefore: number;
  unknownSince: number | null;
  requestId: number | null;
  invitationId: string | null;
  invitationStatus: string | null;
  url: string | null;
  expiresAt: number | null;
  errorCode: string | null;
  message: string | null;
  updatedAt: number;
};
type Run = Omit<RunSummary, 'counts'> & { windowMs: number; leaseOwner: string | null; leaseAt: number | null; rows: Row[] };
type Request = { id: number; runId: string; endpoint: Endpoint; startedAt: number; finishedAt: number | null; outcome: string | null };

const STATES: RowState[] = ['queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled'];

export function memoryRunStore() {
  const runs = new Map<string, Run>();
  const requests = new Map<number, Request>();
  const quotaEvents: { instanceId: string; endpoint: Endpoint; at: number }[] = [];
  const blocks = new Map<string, number>();
  let nextRequest = 1;

  const mustRun = (id: string) => {
    const r = runs.get(id);
    if (!r) throw new Error(`No run ${id}`);
    return r;
  };
  const rowsOf = (runId: string, idxs: number[]) => {
    const run = runs.get(runId);
    const want = new Set(idxs);
    return run ? run.rows.filter((r) => want.has(r.idx)) : [];
  };
  const counts = (run: Run): RunCounts => {
    const c = Object.fromEntries(STATES.map((s) => [s, 0])) as RunCounts;
    c.total = run.rows.length;
    for (const r of run.rows) c[r.state]++;
    return c;
  };
  const summary = (run: Run): RunSummary => {
    const { windowMs: _w, leaseOwner: _o, leaseAt: _a, rows: _r, ...rest } = run;
    return { ...rest, counts: counts(run) };
  };
  const queuedRow = (r: Row): QueuedRow => ({
    idx: r.idx,
    email: r.email,
    request: r.request!,
    attempts: r.attempts,
    split: r.split,
    notBefore: r.notBefore,
    unknownSince: r.unknownSince,
  });
  /** The running run of the profile or of its instance (profiles of one instance share one claim). */
  const runningOf = (profileId: string, instanceId: string, except: string) =>
    [...runs.values()].find(
      (r) => (r.profileId === profileId || r.instanceId === instanceId) && r.state === 'running' && r.id !== except,
    ) ?? null;

  /** Synchronous, so a claim's check and its quota use are one step. */
  const ledgerOf = (instanceId: string, endpoint: Endpoint, windowMs: number, now: number): Ledger => ({
    sent: quotaEvents
      .filter((e) => e.instanceId === instanceId && e.endpoint === endpoint && e.at > now - windowMs)
      .map((e) => e.at)
      .sort((a, b) => a - b),
    blockedUntil: Math.min(blocks.get(`${instanceId} ${endpoint}`) ?? 0, now + windowMs),
  });

  const store: RunStore = {
    runs: {
      async create(run: NewRun, now: number, owner: string | null) {
        const busy = runningOf(run.profileId, run.instanceId, run.id);
        if (busy) throw new ProfileBusyError(busy.id, busy.sheetName, busy.profileName);
        runs.set(run.id, {
          id: run.id,
          profileId: run.profileId,
          profileName: run.profileName,
          environment: run.environment,
          instanceId: run.instanceId,
          kind: run.kind,
          op: run.op,
          organizationId: run.organizationId,
          organizationName: run.organizationName,
          sheetName: run.sheetName,
          state: 'running',
          pauseReason: null,
          createdAt: now,
          startedAt: now,
          finishedAt: null,
          syncedAt: null,
          parentRunId: run.parentRunId ?? null,
          windowMs: run.windowMs,
          leaseOwner: owner,
          leaseAt: owner === null ? null : now,
          rows: run.rows.map((r, idx) => ({
            idx,
            email: r.email,
            request: r.request,
            state: r.request ? 'queued' : 'skipped',
            attempts: 0,
            split: 10,
            notBefore: 0,
            unknownSince: null,
            requestId: null,
            invitationId: null,
            invitationStatus: null,
            url: null,
            expiresAt: null,
            errorCode: null,
            message: r.skipReason ?? null,
            updatedAt: now,
          })),
        });
      },
      get: async (id) => {
        const r = runs.get(id);
        return r ? summary(r) : null;
      },
      windowOf: async (id) => runs.get(id)?.windowMs ?? 3_600_000,
      withState: async (state: RunState) =>
        [...runs.values()]
          .filter((r) => r.state === state)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(summary),
      async setState(id, state, now, reason = null) {
        const r = runs.get(id);
        if (!r) return;
        r.state = state;
        r.pauseReason = reason;
        if (state === 'finished' || state === 'cancelled') r.finishedAt = now;
        if (state !== 'running') {
          r.leaseOwner = null;
          r.leaseAt = null;
        }
      },
      async acquire(id, owner, now, leaseMs) {
        const r = mustRun(id);
        if (r.leaseOwner !== null && r.leaseOwner !== owner && (r.leaseAt ?? 0) > now - leaseMs)
          return { heldBy: r.leaseOwner, renewedAt: r.leaseAt ?? 0 };
        const busy = runningOf(r.profileId, r.instanceId, id);
        if (busy) throw new ProfileBusyError(busy.id, busy.sheetName, busy.profileName);
        Object.assign(r, { state: 'running', pauseReason: null, leaseOwner: owner, leaseAt: now });
        return null;
      },
      async renewLease(id, owner, now) {
        const r = runs.get(id);
        if (!r || r.leaseOwner !== owner) return false;
        r.leaseAt = now;
        return true;
      },
      async releaseLease(id, owner) {
        const r = runs.get(id);
        if (r && r.leaseOwner === owner) Object.assign(r, { leaseOwner: null, leaseAt: null });
      },
      leaseOf: async (id) => ({ owner: runs.get(id)?.leaseOwner ?? null, at: runs.get(id)?.leaseAt ?? null }),
      async discard(id) {
        const r = runs.get(id);
        if (!r) return;
        if ([...requests.values()].some((q) => q.runId === id)) Object.assign(r, { state: 'interrupted', leaseOwner: null, leaseAt: null });
        else runs.delete(id);
      },
    },
    journal: {
      queued: async (id) => (runs.get(id)?.rows ?? []).filter((r) => r.state === 'queued').map(queuedRow),
      inflight: async (id): Promise<InflightRow[]> =>
        (runs.get(id)?.rows ?? [])
          .filter((r) => r.state === 'inflight')
          .map((r) => ({
            ...queuedRow(r),
            requestId: r.requestId ?? 0,
            requestStartedAt: requests.get(r.requestId ?? -1)?.startedAt ?? 0,
          })),
      async claim(id, instanceId, endpoint, idxs, now, owner, pace) {
        const run = mustRun(id);
        if (owner !== null) {
          if (run.leaseOwner !== owner) throw new LeaseLostError('Another Invite Desk process took over this run');
        }
        if (pace) {
          const slot = nextSlot(ledgerOf(instanceId, endpoint, pace.windowMs, now), pace.limit, pace.windowMs, now);
          if (slot > now) throw new NoSlotError(slot);
        }
        if (owner !== null) run.leaseAt = now;
        const requestId = nextRequest++;
        requests.set(requestId, { id: requestId, runId: id, endpoint, startedAt: now, finishedAt: null, outcome: null });
        for (const r of rowsOf(id, idxs))
          if (r.state === 'queued') Object.assign(r, { state: 'inflight', requestId, attempts: r.attempts + 1, updatedAt: now });
        quotaEvents.push({ instanceId, endpoint, at: now });
        return requestId;
      },
      async finishRequest(requestId, outcome, now) {
        const q = requests.get(requestId);
        if (!q) return;
        Object.assign(q, { finishedAt: now, outcome });
        const instanceId = runs.get(q.runId)?.instanceId;
        const e = quotaEvents.find((x) => x.instanceId === instanceId && x.endpoint === q.endpoint && x.at === q.startedAt);
        if (e) e.at = now;
      },
      async markSent(id, rows, now) {
        for (const s of rows)
          for (const r of rowsOf(id, [s.idx]))
            Object.assign(r, {
              state: 'sent',
              invitationId: s.invitationId,
              invitationStatus: s.status,
              url: s.url ?? r.url,
              expiresAt: s.expiresAt ?? r.expiresAt,
              errorCode: null,
              message: s.note ?? null,
              updatedAt: now,
            });
      },
      async markFailed(id, rows, now) {
        for (const f of rows)
          for (const r of rowsOf(id, [f.idx])) Object.assign(r, { state: 'failed', errorCode: f.code, message: f.message, updatedAt: now });
      },
      async markUnknown(id, idxs, since) {
        for (const r of rowsOf(id, idxs)) r.unknownSince ??= since;
      },
      async requeue(id, idxs, now, opts = {}) {
        for (const r of rowsOf(id, idxs))
          Object.assign(r, {
            state: 'queued',
            requestId: null,
            notBefore: opts.notBefore ?? 0,
            split: opts.split ?? r.split,
            attempts: r.attempts - (opts.refund ? 1 : 0),
            message: opts.message ?? r.message,
            updatedAt: now,
          });
      },
      async cancelQueued(id, now) {
        let n = 0;
        for (const r of runs.get(id)?.rows ?? [])
          if (r.state === 'queued') {
            Object.assign(r, { state: 'cancelled', message: 'Cancelled before it was sent', updatedAt: now });
            n++;
          }
        return n;
      },
      async shiftTimes(deltaMs) {
        for (const run of runs.values())
          for (const r of run.rows) {
            if (r.state === 'queued' && r.notBefore > 0) r.notBefore += deltaMs;
            if (r.unknownSince !== null && (r.state === 'queued' || r.state === 'inflight')) r.unknownSince += deltaMs;
          }
        for (const q of requests.values()) if (q.finishedAt === null) q.startedAt += deltaMs;
      },
      emailsSince: async (instanceId, since) =>
        [...runs.values()]
          .filter((run) => run.instanceId === instanceId && run.op !== 'revoke')
          .flatMap((run) => run.rows)
          .filter((r) => r.state === 'sent' && r.updatedAt >= since && r.request?.notify === true && !/\+clerk_test@/i.test(r.email))
          .length,
    },
    quota: {
      ledger: async (instanceId, endpoint, windowMs, now): Promise<Ledger> => ledgerOf(instanceId, endpoint, windowMs, now),
      async shift(deltaMs) {
        for (const e of quotaEvents) e.at += deltaMs;
        for (const [k, v] of blocks) blocks.set(k, v + deltaMs);
      },
      async block(instanceId, endpoint, until) {
        const k = `${instanceId} ${endpoint}`;
        blocks.set(k, Math.max(blocks.get(k) ?? 0, until));
      },
      async take(instanceId, endpoint, pace, now) {
        const slot = nextSlot(ledgerOf(instanceId, endpoint, pace.windowMs, now), pace.limit, pace.windowMs, now);
        if (slot > now) return slot;
        quotaEvents.push({ instanceId, endpoint, at: now });
        return 0;
      },
    },
  };
  /** Each row's message (its note or failure), for tests. */
  const messages = (runId: string) => (runs.get(runId)?.rows ?? []).map((r) => r.message);
  /** What a run's detail would show of its rows (tests read outcomes with it). */
  const rows = (runId: string) =>
    (runs.get(runId)?.rows ?? []).map(({ idx, email, state, invitationId, invitationStatus, url, errorCode, message }) => ({
      idx,
      email,
      state,
      invitationId,
      invitationStatus,
      url,
      errorCode,
      message,
    }));
  return Object.assign(store, { messages, rows });
}
