/**
 * Clerk's per-instance rate limits, as fixed windows. The hourly invitation limits use `hourlyWindowMs`
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

type Window = { start: number; count: number };

export class RateLimiter {
  private windows = new Map<string, Window>();
  options: Required<Omit<RateLimitOptions, 'limits'>> & { limits: Partial<Record<Bucket, number>> };

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

  /** Counts one request. Returns null when allowed, or the seconds to wait (for `Retry-After`). */
  take(instanceId: string, bucket: Bucket, environment: Environment, now: number): number | null {
    if (!this.options.enabled) return null;
    const windowMs = this.windowOf(bucket);
    const key = `${instanceId}|${bucket}`;
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limitOf(bucket, environment)) return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    w.count += 1;
    return null;
  }

  /** Requests counted in the current window (for tests and the benchmark). */
  used(instanceId: string, bucket: Bucket, now: number): number {
    const w = this.windows.get(`${instanceId}|${bucket}`);
    return w && now < w.start + this.windowOf(bucket) ? w.count : 0;
  }
}
