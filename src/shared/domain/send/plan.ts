/**
 * The request plan and ETA for a run: rows packed into bulk calls of ≤10 on the bulk budget and single calls
 * on the single budget in parallel, each lane paced by its sliding window, starting from what this instance
 * already spent in the current window.
 */
import { lanesFor, MEMBERSHIP_LANE, nextSlotSorted, type Endpoint, type Ledger, type RunOp } from './limits.ts';

export type PlanInput = {
  kind: 'app' | 'org';
  rows: number;
  ledgers: Partial<Record<Endpoint, Ledger>>;
  windowMs: number;
  now: number;
  /** Expected time for one request to answer (added once to the ETA). */
  latencyMs?: number;
  /** Overrides of the per-window request limits (tests, benchmarks). */
  limits?: Partial<Record<Endpoint, number>>;
  op?: RunOp;
  /**
   * Organization runs: rows added as members directly (one request each on the general limit, `ledgers.general`),
   * planned beside the invitations; `rows` counts only the invitations.
   */
  members?: number;
};

export type LanePlan = { endpoint: Endpoint; calls: number; rows: number; usedNow: number; limit: number };
export type Plan = {
  kind: 'app' | 'org';
  rows: number;
  lanes: LanePlan[];
  /** When the last request can start (ms epoch), and when the run should be done. */
  lastStartAt: number;
  etaAt: number;
  /** Moments the run will wait for a window to free up, for “next slot at 14:05”. */
  firstWaitAt: number | null;
};

/** Greedy over slots: the next chunk goes to whichever lane can start it first (bulk wins ties: 10 rows a call). */
export function planRun(input: PlanInput): Plan {
  const lanesIn = lanesFor(input.kind, input.op);
  // One lane (revoke runs): the "bulk" slot never comes.
  const bulk = lanesIn.length > 1 ? lanesIn[0]! : { ...lanesIn[0]!, endpoint: 'app.bulk' as const, requests: 0 };
  const single = lanesIn.at(-1)!;
  const limitOf = (e: Endpoint, d: number) => (d === 0 ? 0 : (input.limits?.[e] ?? d));
  const sim = new Map<Endpoint, Ledger>(
    [bulk, single].map((l) => [
      l.endpoint,
      {
        sent: [...(input.ledgers[l.endpoint]?.sent ?? [])].sort((a, b) => a - b),
        blockedUntil: input.ledgers[l.endpoint]?.blockedUntil ?? 0,
      },
    ]),
  );
  const lanes = new Map<Endpoint, LanePlan>(
    [bulk, single].map((l) => [
      l.endpoint,
      {
        endpoint: l.endpoint,
        calls: 0,
        rows: 0,
        usedNow: (input.ledgers[l.endpoint]?.sent ?? []).filter((t) => t > input.now - input.windowMs).length,
        limit: limitOf(l.endpoint, l.requests),
      },
    ]),
  );
  let remaining = input.rows;
  let last = input.now;
  let firstWaitAt: number | null = null;
  // Sorted ledgers make each slot a constant-time look-up: plans of 100k rows stay cheap on every progress event.
  while (remaining > 0) {
    const tb = nextSlotSorted(sim.get(bulk.endpoint)!, limitOf(bulk.endpoint, bulk.requests), input.windowMs, last);
    const ts = nextSlotSorted(sim.get(single.endpoint)!, limitOf(single.endpoint, single.requests), input.windowMs, last);
    if (!Number.isFinite(tb) && !Number.isFinite(ts)) break; // both endpoints switched off
    const useBulk = remaining > 1 ? tb <= ts : tb < ts;
    const lane = useBulk ? bulk : single;
    const at = useBulk ? tb : ts;
    const take = Math.min(remaining, lane.itemsPerCall);
    if (at > input.now && firstWaitAt === null) firstWaitAt = at;
    const ledger = sim.get(lane.endpoint)!;
    ledger.sent.push(at); // slots never go back in time, so the ledger stays sorted
    const p = lanes.get(lane.endpoint)!;
    p.calls += 1;
    p.rows += take;
    remaining -= take;
    last = at;
  }
  const out = [...lanes.values()].filter((l) => l.limit > 0);
  const members = planMembers(input);
  if (members) {
    out.push(members.lane);
    last = Math.max(last, members.lastStartAt);
    if (members.firstWaitAt !== null && (firstWaitAt === null || members.firstWaitAt < firstWaitAt)) firstWaitAt = members.firstWaitAt;
  }
  const total = input.rows + (input.members ?? 0);
  return {
    kind: input.kind,
    rows: total,
    lanes: out,
    lastStartAt: last,
    etaAt: last + (total > 0 ? (input.latencyMs ?? 500) : 0),
    firstWaitAt,
  };
}

/** The membership requests: one a row, paced by the general limit in its 10 s window, in parallel with the invitations. */
function planMembers(input: PlanInput): { lane: LanePlan; lastStartAt: number; firstWaitAt: number | null } | null {
  const n = input.members ?? 0;
  if (n <= 0) return null;
  const l = MEMBERSHIP_LANE;
  const windowMs = l.windowMs ?? input.windowMs;
  const limit = input.limits?.[l.endpoint] ?? l.requests;
  const given = input.ledgers[l.endpoint];
  const ledger: Ledger = { sent: [...(given?.sent ?? [])].sort((a, b) => a - b), blockedUntil: given?.blockedUntil ?? 0 };
  const usedNow = ledger.sent.filter((t) => t > input.now - windowMs).length;
  let last = input.now;
  let firstWaitAt: number | null = null;
  for (let i = 0; i < n; i++) {
    const at = nextSlotSorted(ledger, limit, windowMs, last);
    if (!Number.isFinite(at)) break;
    if (at > input.now && firstWaitAt === null) firstWaitAt = at;
    ledger.sent.push(at);
    last = at;
  }
  return { lane: { endpoint: l.endpoint, calls: n, rows: n, usedNow, limit }, lastStartAt: last, firstWaitAt };
}
