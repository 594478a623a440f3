/**
 * Fault injection, switchable per test: 5xx answers, connections dropped before or after the request
 * took effect, late commits (taking effect after the connection was dropped), slow answers, and 429 storms.
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
  | { kind: 'rate_limit'; retryAfterSeconds: number };

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
  return [...late, ...(o.specs ?? [])];
}
