/**
 * Clerk's per-instance rate limits, as fixed or sliding windows (which one Clerk uses is unknown). The hourly invitation limits use `hourlyWindowMs`
 * (an hour in Clerk terms; seconds in tests and benchmarks); the general limit uses `generalWindowMs`.
 */
import type { Environment } from './store.ts';

export type Bucket = 'invitations.create' | 'invitations.bulk' | 'org_invitations.create' | 'org_invitations.bulk' | 'general';

export const CLERK_LIMITS: Record<Exclude<Bucket, 'general'>, number> = {
  'invitations.create': 100,
  'invitations.bulk': 25,
  'org_invitations.create': 250,
  'org_invitations.bulk': 50,
};
export const GENERAL_LIMIT: Record<Environment, number> = { development: 100, production: 1000 };

export type RateLimitOptions = {
  enabled?: boolean;
  hourlyWindowMs?: number;
  generalWindowMs?: number;
  limits?: Partial<Record<Bucket, number>>;
};

type Window = { start: number; count: number; hits: number[] };

export class RateLimiter {
  private windows = new Map<string, Window>();
  options: Required<Omit<RateLimitOptions, 'limits'>> & { limits: Partial<Record<Bucket, number>> };
  /** Fixed windows reset at their end; sliding ones count the requests of the last window's length. */
  mode: 'fixed' | 'sliding' = 'fixed';
  /** Whether a request refused with 429 still counts (an unknown of Clerk's). */
  count429 = false;

  constructor(options: RateLimitOptions = {}) {
    this.options = {
      enabled: options.enabled ?? true,
      hourlyWindowMs: options.hourlyWindowMs ?? 3_600_000,
      generalWindowMs: options.generalWindowMs ?? 10_000,
      limits: options.limits ?? {},
    };
  }

  configure(options: RateLimitOptions): void {
    const limits = options.limits ?? this.options.limits;
    this.options = { ...this.options, ...options, limits };
    this.windows.clear();
  }

  limitOf(bucket: Bucket, environment: Environment): number {
    return this.options.limits[bucket] ?? (bucket === 'general' ? GENERAL_LIMIT[environment] : CLERK_LIMITS[bucket]);
  }

  windowOf(bucket: Bucket): number {
    return bucket === 'general' ? this.options.generalWindowMs : this.options.hourlyWindowMs;
  }

  private windowFor(key: string, windowMs: number, now: number): Window {
    let w = this.windows.get(key);
    if (!w || (this.mode === 'fixed' && now >= w.start + windowMs)) {
      w = { start: now, count: 0, hits: [] };
      this.windows.set(key, w);
    }
    if (this.mode === 'sliding') {
      while (w.hits.length > 0 && w.hits[0]! <= now - windowMs) w.hits.shift();
      w.count = w.hits.length;
    }
    return w;
  }

  /**
   * Counts one request (`scope` separates buckets further, e.g. per organization). Returns null when allowed,
   * or the seconds to wait (for `Retry-After`).
   */
  take(instanceId: string, bucket: Bucket, environment: Environment, now: number, scope = ''): number | null {
    if (!this.options.enabled) return null;
    const windowMs = this.windowOf(bucket);
    const w = this.windowFor(`${instanceId}|${bucket}|${scope}`, windowMs, now);
    if (w.count >= this.limitOf(bucket, environment)) {
      const until = this.mode === 'fixed' ? w.start + windowMs : (w.hits[0] ?? now) + windowMs;
      if (this.count429) this.add(w, now);
      return Math.max(1, Math.ceil((until - now) / 1000));
    }
    this.add(w, now);
    return null;
  }

  private add(w: Window, now: number): void {
    w.count += 1;
    w.hits.push(now);
  }

  /** Takes a counted request back (when rejected answers do not count). */
  refund(instanceId: string, bucket: Bucket, now: number, scope = ''): void {
    const w = this.windows.get(`${instanceId}|${bucket}|${scope}`);
    if (!w || w.count === 0) return;
    w.count -= 1;
    const i = w.hits.lastIndexOf(Math.max(...w.hits.filter((h) => h <= now)));
    if (i >= 0) w.hits.splice(i, 1);
  }

  /** Requests counted in the current window (for tests and the benchmark), over every scope of the bucket. */
  used(instanceId: string, bucket: Bucket, now: number): number {
    let n = 0;
    for (const [key, w] of this.windows) {
      if (!key.startsWith(`${instanceId}|${bucket}|`)) continue;
      const windowMs = this.windowOf(bucket);
      n += this.mode === 'fixed' ? (now < w.start + windowMs ? w.count : 0) : w.hits.filter((h) => h > now - windowMs).length;
    }
    return n;
  }
}
