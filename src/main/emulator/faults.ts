/**
 * Fault injection, switchable per test: 5xx answers, connections dropped before or after the request
 * took effect, late commits (taking effect after the connection was dropped), slow answers, 429 storms, and
 * 200 answers that do not show what happened (malformed or wrong bodies, with or without the request committed).
 */
export type FaultKind =
  | { kind: 'status'; status: number }
  /** Drops the connection before the request is processed (nothing happened). */
  | { kind: 'reset' }
  /** Processes the request, then drops the connection (it happened, but the caller never hears). */
  | { kind: 'reset_after_commit' }
  /**
   * A late commit: the connection is dropped at once (the caller hears nothing), and the request takes effect
   * `delayMs` later, as when Clerk commits a request after the client timed out or lost the connection.
   */
  | { kind: 'late_commit'; delayMs: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  /**
   * HTTP 200 with a body that does not show the outcome. `commit`: whether the request took effect first.
   * `other_email`: each invitation answered carries an address nobody asked for; `first_repeated`: a bulk answer's
   * second element replaced by its first (the list keeps its length).
   */
  | BadOk;

/** Bodies that need no real answer to be made from can come without a commit; the others rewrite Clerk's answer. */
export type BadOk =
  | { kind: 'bad_ok'; body: 'empty_object' | 'null' | 'empty_array'; commit: boolean }
  | { kind: 'bad_ok'; body: 'other_email' | 'first_repeated'; commit: true };
export type BadOkBody = BadOk['body'];
type BadOkOption =
  { body: 'empty_object' | 'null' | 'empty_array'; commit: boolean } | { body: 'other_email' | 'first_repeated'; commit: true };

export type FaultSpec = FaultKind & {
  method?: string;
  /** Matches when the request path (without query) contains this string, or matches this pattern. */
  path?: string | RegExp;
  /** How many matching requests it hits; unlimited when absent. */
  times?: number;
  /** Chance (0–1) that a matching request is hit; 1 when absent. */
  probability?: number;
};

type Active = FaultSpec & { id: number; hits: number };

export class Faults {
  private active: Active[] = [];
  private nextId = 1;
  private readonly random: () => number;
  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  inject(spec: FaultSpec): number {
    const id = this.nextId++;
    this.active.push({ ...spec, id, hits: 0 });
    return id;
  }

  remove(id: number): void {
    this.active = this.active.filter((f) => f.id !== id);
  }

  clear(): void {
    this.active = [];
  }

  /** The fault that hits this request, if any (and counts the hit). */
  pick(method: string, path: string): FaultKind | null {
    for (const f of this.active) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined && !(typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))) continue;
      if (f.times !== undefined && f.hits >= f.times) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.hits += 1;
      return f;
    }
    return null;
  }
}

/** Faults as a plain emulator option (`startClerkEmulator({ faults: { lateCommit: { probability: 0.03, delayMs: 150 } } })`). */
export type FaultOptions = {
  /** Create calls (POST) that commit `delayMs` after the client was cut off, with this probability. */
  lateCommit?: { probability: number; delayMs: number; path?: string | RegExp };
  /** Create calls (POST) answered 200 with a body that does not show the outcome, with this probability each. */
  badOk?: (BadOkOption & { probability: number; path?: string | RegExp })[];
  /** Any other faults, active from the start. */
  specs?: FaultSpec[];
};

export function faultSpecs(o: FaultOptions | undefined): FaultSpec[] {
  if (!o) return [];
  const late: FaultSpec[] = o.lateCommit
    ? [
        {
          kind: 'late_commit',
          delayMs: o.lateCommit.delayMs,
          method: 'POST',
          probability: o.lateCommit.probability,
          ...(o.lateCommit.path !== undefined ? { path: o.lateCommit.path } : {}),
        },
      ]
    : [];
  const badOk = (o.badOk ?? []).map(
    ({ path, ...f }): FaultSpec =>
      ({
        ...f,
        kind: 'bad_ok',
        method: 'POST',
        // Invitation creates only: a revoke's or a lookup's answer is another matter.
        path: path ?? /\/invitations(\/bulk)?$/,
      }) as FaultSpec,
  );
  return [...late, ...badOk, ...(o.specs ?? [])];
}

/** The body a `bad_ok` fault answers instead of `result` (Clerk's real answer, or undefined when nothing committed). */
export function badOkBody(body: BadOkBody, result: unknown): unknown {
  switch (body) {
    case 'empty_object':
      return {};
    case 'null':
      return null;
    case 'empty_array':
      return [];
    case 'other_email':
      return mapInvitations(result, (x, i) => ({ ...x, email_address: `someone-else-${i}@elsewhere.test` }));
    case 'first_repeated':
      return mapList(result, (xs) => (xs.length > 1 ? [xs[0], xs[0], ...xs.slice(2)] : xs));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The list of an answer: a plain array (app bulk) or `data` of `{data,total_count}` (org bulk). */
function mapList(result: unknown, f: (xs: unknown[]) => unknown[]): unknown {
  if (Array.isArray(result)) return f(result);
  if (isObj(result) && Array.isArray(result['data'])) return { ...result, data: f(result['data']) };
  return result;
}

function mapInvitations(result: unknown, f: (x: Obj, i: number) => Obj): unknown {
  if (isObj(result) && !Array.isArray(result['data'])) return f(result, 0);
  return mapList(result, (xs) => xs.map((x, i) => (isObj(x) ? f(x, i) : x)));
}
