/** The run engine's storage port on this computer's SQLite journal (the repos answer at once; the port awaits). */
import { nextSlot } from '../../../../shared/domain/send/limits.ts';
import { NoSlotError } from '../journalTypes.ts';
import type { QuotaStore } from '../quotaStore.ts';
import type { RunsRepo } from '../runsRepo.ts';
import type { RunStore } from './ports.ts';

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
      note: async (id, idx, message, now) => repo.note(id, idx, message, now),
      cancelQueued: async (id, now) => repo.cancelQueued(id, now),
      emailsSince: async (instanceId, since) => repo.emailsSince(instanceId, since),
      shiftTimes: async (deltaMs) => repo.shiftTimes(deltaMs),
    },
    quota: {
      ledger: async (instanceId, endpoint, windowMs, now) => quota.ledger(instanceId, endpoint, windowMs, now),
      block: async (instanceId, endpoint, until) => quota.block(instanceId, endpoint, until),
      shift: async (deltaMs) => quota.shift(deltaMs),
    },
  };
}
