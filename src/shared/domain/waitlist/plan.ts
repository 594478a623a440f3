/**
 * The plan and ETA of a waitlist run: one lane (invites and rejects one entry a request; adds up to 50 a call),
 * paced by its sliding window from what the instance already spent. Which pace a waitlist invite assumes is the
 * user's choice in the review: the general limit alone, or also the hourly invitation budget (unknown: API.md).
 */
import { nextSlotSorted, type Endpoint, type Ledger } from '../send/limits.ts';

export type WaitlistPlan = {
  endpoint: Endpoint;
  rows: number;
  calls: number;
  /** Requests per window the run keeps under, and the window (10 s general, an hour on the invitation budget). */
  limit: number;
  windowMs: number;
  usedNow: number;
  lastStartAt: number;
  etaAt: number;
};

export function planWaitlist(input: {
  endpoint: Endpoint;
  rows: number;
  itemsPerCall: number;
  limit: number;
  windowMs: number;
  ledger: Ledger | undefined;
  now: number;
  latencyMs?: number;
}): WaitlistPlan {
  const sim: Ledger = { sent: [...(input.ledger?.sent ?? [])].sort((a, b) => a - b), blockedUntil: input.ledger?.blockedUntil ?? 0 };
  const usedNow = sim.sent.filter((t) => t > input.now - input.windowMs).length;
  const calls = Math.ceil(input.rows / Math.max(1, input.itemsPerCall));
  let last = input.now;
  for (let i = 0; i < calls; i++) {
    const at = nextSlotSorted(sim, input.limit, input.windowMs, last);
    if (!Number.isFinite(at)) break;
    sim.sent.push(at);
    last = at;
  }
  return {
    endpoint: input.endpoint,
    rows: input.rows,
    calls,
    limit: input.limit,
    windowMs: input.windowMs,
    usedNow,
    lastStartAt: last,
    etaAt: last + (input.latencyMs ?? 300),
  };
}
