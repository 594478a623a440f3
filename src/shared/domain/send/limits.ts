/**
 * Clerk's per-instance hourly limits on creating invitations (shared/clerk/API.md). Whether Clerk's window is
 * fixed or sliding is unknown, so Invite Desk keeps every endpoint under a *sliding* window: never more than
 * `requests` in any trailing `windowMs`. That also satisfies a fixed window, so normal operation draws no 429.
 */
export type Endpoint = 'app.single' | 'app.bulk' | 'org.single' | 'org.bulk' | 'general';
export type RunOp = 'create' | 'revoke' | 'repair' | WaitlistOp;
/** Waitlist runs (issue 23): invite entries, reject them, or add addresses to the waitlist. */
export type WaitlistOp = 'waitlist_invite' | 'waitlist_reject' | 'waitlist_add';
export const WAITLIST_OPS: readonly WaitlistOp[] = ['waitlist_invite', 'waitlist_reject', 'waitlist_add'];
export const isWaitlistOp = (op: string): op is WaitlistOp => (WAITLIST_OPS as readonly string[]).includes(op);
/** `windowMs`: the lane's own window when it is not the run's (memberships: the general limit's 10 s in an hourly run). */
export type Lane = { endpoint: Endpoint; requests: number; itemsPerCall: number; windowMs?: number };

export const HOUR = 3_600_000;

export const CLERK_LIMITS: Record<Exclude<Endpoint, 'general'>, Lane> = {
  'app.single': { endpoint: 'app.single', requests: 100, itemsPerCall: 1 },
  'app.bulk': { endpoint: 'app.bulk', requests: 25, itemsPerCall: 10 },
  'org.single': { endpoint: 'org.single', requests: 250, itemsPerCall: 1 },
  'org.bulk': { endpoint: 'org.bulk', requests: 50, itemsPerCall: 10 },
};

/**
 * Every other call (revoke, list) shares the general limit: 100 per 10 s on development, 1,000 on production.
 * Revoke runs keep 10% of it free for the app's other calls (sync, lookups).
 */
export const GENERAL_LANE: Lane = { endpoint: 'general', requests: 90, itemsPerCall: 1 };
export const GENERAL_WINDOW_MS = 10_000;

/**
 * Organization runs add people who already have an account as members directly (POST …/memberships): one a request,
 * on the general limit and its own 10 s window, beside the hourly invitation lanes.
 */
export const MEMBERSHIP_LANE: Lane = { ...GENERAL_LANE, windowMs: GENERAL_WINDOW_MS };

/**
 * Repair runs (issue 24): one user or membership a request, each a read (what is there now) and a deep-merge write,
 * on the general limit: 45 rows per 10 s keep both requests within the 90 the app allows itself.
 */
export const REPAIR_LANE: Lane = { endpoint: 'general', requests: 45, itemsPerCall: 1, windowMs: GENERAL_WINDOW_MS };

export const lanesFor = (kind: 'app' | 'org', op: RunOp = 'create'): Lane[] =>
  op === 'repair'
    ? [REPAIR_LANE]
    : op === 'revoke' || isWaitlistOp(op)
      ? [GENERAL_LANE]
      : kind === 'app'
        ? [CLERK_LIMITS['app.bulk'], CLERK_LIMITS['app.single']]
        : [CLERK_LIMITS['org.bulk'], CLERK_LIMITS['org.single']];

/** Invitations per window at most: bulk and single budgets used in parallel (350 app, 750 org per hour). */
export const ceilingPerWindow = (kind: 'app' | 'org'): number => lanesFor(kind).reduce((n, l) => n + l.requests * l.itemsPerCall, 0);

/**
 * The sliding-window ledger of one endpoint: timestamps of the requests made in the last window, plus any
 * `blockedUntil` that a 429's Retry-After imposed.
 */
export type Ledger = { sent: number[]; blockedUntil: number };

/**
 * Safety margin after a request ages out of the window: Clerk starts counting when a request *arrives*, which is
 * later than when we sent it, and the next request may travel faster. 1% of the window (36 s an hour), ≥100 ms.
 */
export const slotMargin = (windowMs: number): number => Math.max(100, Math.round(windowMs * 0.01));

/** Earliest time a request may start: now if the window has room, else when its oldest request ages out. */
export function nextSlot(ledger: Ledger, limit: number, windowMs: number, now: number): number {
  return nextSlotSorted({ sent: [...ledger.sent].sort((a, b) => a - b), blockedUntil: ledger.blockedUntil }, limit, windowMs, now);
}

/**
 * The same for a ledger whose `sent` is in ascending order, in constant time: the window has room unless the
 * limit-th newest request is still in it, and then the slot is when that one ages out.
 */
export function nextSlotSorted(ledger: Ledger, limit: number, windowMs: number, now: number): number {
  if (limit <= 0) return Number.POSITIVE_INFINITY;
  const kth = ledger.sent[ledger.sent.length - limit];
  const free = kth === undefined ? now : kth + windowMs + slotMargin(windowMs);
  return Math.max(free, ledger.blockedUntil, now);
}

export const usedInWindow = (ledger: Ledger, windowMs: number, now: number): number => ledger.sent.filter((t) => t > now - windowMs).length;
