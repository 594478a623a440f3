/**
 * Reads outside a run on an instance's general limit (a status sync, a metadata check): each waits for a slot in the
 * instance's window, taken in one step with reading the ledger that runs and teammates share, and obeys a 429 (the
 * window blocked for its Retry-After, at most one window) a few times before giving up.
 */
import { GENERAL_WINDOW_MS } from '../../../shared/domain/send/limits.ts';
import { ClerkApiError } from '../clerk/errors.ts';
import type { QuotaPort } from './engine/ports.ts';

export type PacedReadsDeps = {
  quota: Pick<QuotaPort, 'take' | 'block'>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Requests per window these reads may take (the rest stays for runs). */
  limit: number;
  windowMs?: number;
  /** 429s obeyed before the read fails. */
  maxWaits?: number;
};

export function pacedReads(d: PacedReadsDeps) {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const windowMs = d.windowMs ?? GENERAL_WINDOW_MS;
  const maxWaits = d.maxWaits ?? 5;
  return async function paced<T>(instanceId: string, call: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      for (;;) {
        const t = d.now();
        const slot = await d.quota.take(instanceId, 'general', { limit: d.limit, windowMs }, t);
        if (slot === 0) break;
        await sleep(slot - t); // the slot has its margin (limits.ts slotMargin: Clerk counts a read when it arrives)
      }
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof ClerkApiError) || e.status !== 429 || waits >= maxWaits) throw e;
        const now = d.now();
        await d.quota.block(instanceId, 'general', now + Math.min(windowMs, (e.retryAfterSeconds ?? 1) * 1000), now);
      }
    }
  };
}
