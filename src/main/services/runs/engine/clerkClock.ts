/**
 * Clerk's clock as seen from ours: whether an invitation found in Clerk was made by this run's request is decided in
 * Clerk's time, never by comparing Clerk's `created_at` with the laptop's clock (laptops are minutes off, dual-boot
 * machines hours). Every answer narrows the offset (Clerk minus ours) to an interval that holds for sure: its `Date`
 * header (whole seconds) between the request's start and its answer. A `Date` that contradicts the interval (our
 * clock was changed) starts it afresh. The `created_at` of an invitation a request created narrows it further, but
 * only where it agrees: Clerk may answer a create with an older invitation it reused.
 */
import type { ClerkAnswerTime } from '../../clerk/client.ts';

export class ClerkClock {
  #lo = -Infinity;
  #hi = Infinity;

  /** Clerk's time was `clerkAt` (± `resolution` after it) at some moment between `from` and `to` on our clock. */
  #observe(clerkAt: number, resolution: number, from: number, to: number, mayReset: boolean): void {
    const lo = clerkAt - to;
    const hi = clerkAt + resolution - from;
    if (lo > this.#hi || hi < this.#lo) {
      if (!mayReset) return;
      this.#lo = lo;
      this.#hi = hi;
      return;
    }
    this.#lo = Math.max(this.#lo, lo);
    this.#hi = Math.min(this.#hi, hi);
  }

  /** An answer's `Date` header (HTTP dates have whole seconds). */
  answered(a: ClerkAnswerTime): void {
    this.#observe(a.date, 999, a.sentAt, a.receivedAt, true);
  }

  /** An invitation a request created: Clerk stamped it between the request's start and its answer. */
  created(createdAt: number, sentAt: number, answeredAt: number): void {
    if (this.known && Number.isFinite(createdAt)) this.#observe(createdAt, 0, sentAt, answeredAt, false);
  }

  /** Our clock was set by `deltaMs` (Clerk's was not): the offset moves the other way. */
  ourClockMoved(deltaMs: number): void {
    this.#lo -= deltaMs;
    this.#hi -= deltaMs;
  }

  /** Clerk's time minus ours, as well as the answers tell (the middle of what they allow); null until known. */
  get offset(): number | null {
    if (!this.known) return null;
    return Number.isFinite(this.#hi) ? (this.#lo + this.#hi) / 2 : this.#lo;
  }

  /** Whether anything was learned yet. */
  get known(): boolean {
    return Number.isFinite(this.#lo);
  }

  /**
   * The earliest Clerk time at which a request we started at `localAt` can have reached Clerk: anything Clerk
   * created before it is not ours. Null until Clerk's clock is known.
   */
  earliestClerkTime(localAt: number): number | null {
    return this.known ? localAt + this.#lo : null;
  }

  /**
   * Clerk's time for `localAt` as well as its answers tell: our clock's own reading where they cannot tell the two
   * clocks apart (the interval holds 0), else the least correction they prove. Null until Clerk's clock is known.
   */
  clerkTime(localAt: number): number | null {
    if (!this.known) return null;
    return localAt + (this.#lo > 0 ? this.#lo : this.#hi < 0 ? this.#hi : 0);
  }
}
