/** The run engine's storage port on this computer's SQLite journal (the repos answer at once; the port awaits). */
import { nextSlot } from '../../../../shared/domain/send/limits.ts';
import { NoSlotError } from '../journalTypes.ts';
import type { QuotaStore } from '../quotaStore.ts';
import type { Db } from '../../db/types.ts';
import { createQuotaStore } from '../quotaStore.ts';
import { createRunRows, type RunRows } from '../runRows.ts';
import { createRunsRepo, type RunsRepo } from '../runsRepo.ts';
import { createSentBy } from '../sentBy.ts';
import type { HistoryPort, RowsPort, RunStore, Storage } from './ports.ts';

/** Everything a workspace on this computer keeps of runs, on its SQLite database. */
export function sqliteStorage(db: Db): Storage {
  const repo = createRunsRepo(db);
  return {
    ...sqliteRunStore(repo, createQuotaStore(db)),
    history: sqliteHistory(repo, createSentBy(db)),
    rows: sqliteRows(createRunRows(db)),
  };
}

export function sqliteHistory(repo: RunsRepo, sent: ReturnType<typeof createSentBy>): HistoryPort {
  return {
    list: async () => repo.list(),
    optionsOf: async (id) => repo.optionsOf(id),
    rows: async (id, since) => repo.rows(id, since),
    requests: async (id) => repo.requests(id),
    takenLater: async (id, op) => repo.takenLater(id, op),
    historyOf: async (instanceId, organizationId, keys) => repo.historyOf(instanceId, organizationId, keys),
    searchEmail: async (query, limit) => repo.searchEmail(query, limit),
    applyStatuses: async (id, statuses, now) => repo.applyStatuses(id, statuses, now),
    purge: async (opts) => repo.purge(opts),
    sentSince: async (instanceId, since, after, limit) => sent.sentSince(instanceId, since, after, limit),
    sentRequest: async (invitationId) => sent.sentRequest(invitationId),
  };
}

export function sqliteRows(rows: RunRows): RowsPort {
  return {
    page: async (id, opts) => rows.page(id, opts),
    changed: async (id, since) => rows.changed(id, since),
    count: async (id, state) => rows.count(id, state),
    positionOf: async (id, idx, state) => rows.positionOf(id, idx, state),
    tally: async (id, idxs) => rows.tally(id, idxs),
    links: async (id, idxs) => rows.links(id, idxs),
    ids: async (id, state) => rows.ids(id, state),
    pages: (id, size) => rows.pages(id, size),
  };
}

export function sqliteRunStore(repo: RunsRepo, quota: QuotaStore): RunStore {
  return {
    runs: {
      create: async (run, now, owner) => repo.create(run, now, owner),
      get: async (id) => repo.get(id),
      windowOf: async (id) => repo.windowOf(id),
      withState: async (state) => repo.withState(state),
      setState: async (id, state, now, reason = null) => repo.setState(id, state, now, reason),
      acquire: async (id, owner, now, leaseMs) => repo.acquire(id, owner, now, leaseMs),
      renewLease: async (id, owner, now) => repo.renewLease(id, owner, now),
      releaseLease: async (id, owner) => repo.releaseLease(id, owner),
      leaseOf: async (id) => repo.leaseOf(id),
      discard: async (id) => repo.discard(id),
    },
    journal: {
      queued: async (id) => repo.queued(id),
      inflight: async (id) => repo.inflight(id),
      claim: async (id, instanceId, endpoint, idxs, now, owner, pace) => {
        // One app process per database file (appLock): the ledger read and the claim run in one synchronous step.
        if (pace) {
          const slot = nextSlot(quota.ledger(instanceId, endpoint, pace.windowMs, now), pace.limit, pace.windowMs, now);
          if (slot > now) throw new NoSlotError(slot);
        }
        return repo.claim(id, instanceId, endpoint, idxs, now, owner);
      },
      finishRequest: async (requestId, outcome, now) => repo.finishRequest(requestId, outcome, now),
      markSent: async (id, rows, now) => repo.markSent(id, rows, now),
      markFailed: async (id, rows, now) => repo.markFailed(id, rows, now),
      markUnknown: async (id, idxs, since) => repo.markUnknown(id, idxs, since),
      requeue: async (id, idxs, now, opts = {}) => repo.requeue(id, idxs, now, opts),
      cancelQueued: async (id, now) => repo.cancelQueued(id, now),
      emailsSince: async (instanceId, since) => repo.emailsSince(instanceId, since),
      shiftTimes: async (deltaMs) => repo.shiftTimes(deltaMs),
    },
    quota: {
      ledger: async (instanceId, endpoint, windowMs, now) => quota.ledger(instanceId, endpoint, windowMs, now),
      block: async (instanceId, endpoint, until) => quota.block(instanceId, endpoint, until),
      // One app process per database file (appLock): reading the ledger and recording the use are one synchronous step.
      take: async (instanceId, endpoint, pace, now) => {
        const slot = nextSlot(quota.ledger(instanceId, endpoint, pace.windowMs, now), pace.limit, pace.windowMs, now);
        if (slot > now) return slot;
        quota.spend(instanceId, endpoint, now);
        return 0;
      },
      shift: async (deltaMs) => quota.shift(deltaMs),
    },
  };
}
