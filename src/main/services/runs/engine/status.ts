/**
 * One run's status while it is driven: why it stops (if it does), what it waits for, since when it is offline, and
 * the last failed request that will be tried again. The only place these change; a change the run page can see
 * (wait, offline, retry) is reported once, whatever set it.
 */
import type { RunRetry } from '../../../../shared/domain/send/types.ts';

/** Why a drive ends: paused (by the user or a problem), cancelled, the app quitting, or the lease lost. */
export type Stop = 'pause' | 'cancel' | 'shutdown' | 'lost';

type Visible = { waitUntil: number | null; waitReason: string | null; offlineSince: number | null; retry: RunRetry | null };

export class RunStatus {
  #stop: Stop | null = null;
  #stopReason: string | null = null;
  #journalBroken = false;
  #v: Visible = { waitUntil: null, waitReason: null, offlineSince: null, retry: null };
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  get stop(): Stop | null {
    return this.#stop;
  }
  get stopReason(): string | null {
    return this.#stopReason;
  }
  /** The journal could not be written: nothing more may be sent or recorded by this drive. */
  get journalBroken(): boolean {
    return this.#journalBroken;
  }
  get going(): boolean {
    return this.#stop === null;
  }
  get visible(): Readonly<Visible> {
    return this.#v;
  }

  /** Stops the drive for this reason, whatever stopped it before (a problem outranks a pause). */
  halt(stop: Stop, reason: string | null, opts: { journalBroken?: boolean } = {}): void {
    this.#stop = stop;
    this.#stopReason = reason;
    if (opts.journalBroken) this.#journalBroken = true;
  }
  /** Pauses for this reason unless the drive is stopping already (then only the reason is told). */
  pauseWith(reason: string): void {
    this.#stop ??= 'pause';
    this.#stopReason = reason;
  }
  /** The user paused: only a drive still going takes it. */
  pauseByUser(): void {
    if (this.#stop !== null) return;
    this.#stop = 'pause';
    this.#stopReason = 'Paused by you';
  }
  /** The user cancelled: a paused or going drive cancels, unless its journal broke (it stays paused). */
  cancel(): void {
    if ((this.#stop === null || this.#stop === 'pause') && !this.#journalBroken) this.#stop = 'cancel';
  }
  shutdown(): void {
    this.#stop = 'shutdown';
  }

  /** Changes what the run page shows; reported once when anything changed. */
  show(patch: Partial<Visible> & { retryNextAt?: number }): void {
    const { retryNextAt, ...rest } = patch;
    const next: Visible = { ...this.#v, ...rest };
    if (retryNextAt !== undefined && next.retry && next.retry.nextAt !== retryNextAt) next.retry = { ...next.retry, nextAt: retryNextAt };
    const v = this.#v;
    if (
      next.waitUntil === v.waitUntil &&
      next.waitReason === v.waitReason &&
      next.offlineSince === v.offlineSince &&
      next.retry === v.retry
    )
      return;
    this.#v = next;
    this.#changed();
  }
  /** Waits for `reason` until `until` (null: until woken). */
  wait(reason: string | null, until: number | null = null): void {
    this.show({ waitReason: reason, waitUntil: until });
  }
}
