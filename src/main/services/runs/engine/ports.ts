/**
 * The storage port of the run engine: what it reads and writes about runs, their rows, requests, leases and the
 * quota ledger. Every method answers with a Promise, so a store may live in this process (SQLite) or across a
 * network (a team's PostgreSQL). Steps that must be atomic are one method each: creating a run with its profile
 * claimed, and journaling a request (rows in flight, the request, its quota use) before it goes out.
 */
import type { Endpoint, Ledger } from '../../../../shared/domain/send/limits.ts';
import type {
  FollowUpTally,
  HistoryHit,
  RowFilter,
  RunOptions,
  RunRowView,
  RunState,
  RunSummary,
} from '../../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../../shared/domain/sheet/validate.ts';
import type { NewRun, QueuedRow } from '../journalTypes.ts';
import type { TakenBy } from '../takenLater.ts';
import type { ReminderStore } from '../../inventory/reminderStore.ts';
import type { ApprovalsPort } from '../../approvals/approvalsPort.ts';

export type InflightRow = QueuedRow & { requestId: number; requestStartedAt: number };
/** A row done; `note` is its message, written in the same step (a note written after could be lost to a kill). */
export type SentRow = {
  idx: number;
  invitationId: string;
  status: string;
  url: string | null;
  expiresAt?: number | null;
  note?: string | null;
};
export type FailedRow = { idx: number; code: string; message: string };
export type RequeueOptions = { notBefore?: number; split?: number; refund?: boolean; message?: string | null };
/** The endpoint's limit per window: a claim takes its slot from the instance's ledger in its transaction, or refuses. */
export type Pace = { limit: number; windowMs: number };

/** Runs and their leases: which process drives which run. */
export interface RunsPort {
  /** Creates a run already claimed by `owner` ('running'); throws ProfileBusyError when the profile has one. */
  create(run: NewRun, now: number, owner: string | null): Promise<void>;
  get(runId: string): Promise<RunSummary | null>;
  windowOf(runId: string): Promise<number>;
  withState(state: RunState): Promise<RunSummary[]>;
  setState(runId: string, state: RunState, now: number, reason?: string | null): Promise<void>;
  /** Takes the run's lease (free, ours or stale) and marks it running; null, or who holds it and since when. */
  acquire(runId: string, owner: string, now: number, leaseMs: number): Promise<{ heldBy: string; renewedAt: number } | null>;
  /** Heartbeat: false when the lease is no longer ours. */
  renewLease(runId: string, owner: string, now: number): Promise<boolean>;
  releaseLease(runId: string, owner: string): Promise<void>;
  /** Who holds the run's lease and when it was renewed (said in the caller's clock when `now` is given). */
  leaseOf(runId: string, now?: number): Promise<{ owner: string | null; at: number | null }>;
  /** A run that never got going: removed (or kept as interrupted once anything was requested). */
  discard(runId: string): Promise<void>;
}

/**
 * Rows and requests: the journal written before and after every request. Times go in and come back in the caller's
 * clock (`now`): a team database keeps them in its server's, so a run taken over by a teammate whose laptop's clock
 * differs keeps its waits and its requests' ages.
 */
export interface JournalPort {
  queued(runId: string, now: number): Promise<QueuedRow[]>;
  /** Rows left in flight by a request whose outcome was never recorded (a crash, a kill). */
  inflight(runId: string, now: number): Promise<InflightRow[]>;
  /**
   * Rows → inflight, the request and its quota use recorded, atomically, while `owner` holds the lease. With `pace`,
   * in the same step the request takes its slot in the instance's ledger: NoSlotError (nothing written) when the
   * window is full, so any number of processes sharing the ledger stay under the limit.
   */
  claim(
    runId: string,
    instanceId: string,
    endpoint: Endpoint,
    idxs: number[],
    now: number,
    owner: string | null,
    pace?: Pace,
  ): Promise<number>;
  finishRequest(requestId: number, outcome: string, now: number): Promise<void>;
  markSent(runId: string, rows: SentRow[], now: number): Promise<void>;
  markFailed(runId: string, rows: FailedRow[], now: number): Promise<void>;
  markUnknown(runId: string, idxs: number[], since: number, now: number): Promise<void>;
  requeue(runId: string, idxs: number[], now: number, opts?: RequeueOptions): Promise<void>;
  cancelQueued(runId: string, now: number): Promise<number>;
  /** Invitation emails the app had Clerk send from an instance since `since` (the development cap). */
  emailsSince(instanceId: string, since: number): Promise<number>;
  /**
   * The computer's clock was changed by `deltaMs`: the waits (`notBefore`), unknown-outcome times and unanswered
   * requests' starts move with it, so they keep meaning the same moments.
   */
  shiftTimes(deltaMs: number): Promise<void>;
}

/** What each instance spent per endpoint in the current window, and Retry-After blocks. */
export interface QuotaPort {
  ledger(instanceId: string, endpoint: Endpoint, windowMs: number, now: number): Promise<Ledger>;
  /** Nothing goes to `endpoint` before `until` (a Retry-After met at `now`; both in the caller's clock). */
  block(instanceId: string, endpoint: Endpoint, until: number, now: number): Promise<void>;
  /**
   * A slot for a request made outside a run (a metadata check's or a waitlist sync's reads), in one step with reading
   * the ledger: 0 when taken (counted at `now`), else when the next slot opens (nothing written). Two at once never
   * both take the last slot.
   */
  take(instanceId: string, endpoint: Endpoint, pace: Pace, now: number): Promise<number>;
  /** The computer's clock was changed by `deltaMs`: every ledger time and block moves with it. */
  shift(deltaMs: number): Promise<void>;
}

export type RunStore = { runs: RunsPort; journal: JournalPort; quota: QuotaPort };

export type HistoryStatus = 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown';
export type InvitationStatuses = Map<string, { status: string; url: string | null; expiresAt?: number | null }>;

/** Past runs as the history, the review and the follow-ups read them; status sync and retention write them. */
export interface HistoryPort {
  /** Every run, newest first. */
  list(): Promise<RunSummary[]>;
  optionsOf(runId: string): Promise<RunOptions | null>;
  /** The run's rows (not their requests), or only those changed at or after `since`. */
  rows(runId: string, since?: number): Promise<RunRowView[]>;
  /** The exact request each row carried (null for skipped rows). */
  requests(runId: string): Promise<Map<number, RowRequest | null>>;
  /** Rows whose email (or, for revokes, invitation) another run sent later or is sending (see takenLater.ts). */
  takenLater(runId: string, op: 'create' | 'revoke'): Promise<Map<number, TakenBy>>;
  /** What the instance's history says of some email keys: the latest invitation made and its last known status. */
  historyOf(
    instanceId: string,
    organizationId: string | null,
    emailKeys: string[],
  ): Promise<Map<string, { status: HistoryStatus; at: number }>>;
  /** Rows of every run whose email or domain starts with `query`, newest runs first. */
  searchEmail(query: string, limit?: number): Promise<HistoryHit[]>;
  /** Statuses from Clerk for the run's invitations (a stored link is kept); the run remembers when. Rows changed. */
  applyStatuses(runId: string, statuses: InvitationStatuses, now: number): Promise<number>;
  /** Deletes ended runs created before `before`, or all of a profile's, never one with rows to send or look up. */
  purge(opts: { before?: number; profileId?: string }): Promise<number>;
  /**
   * Invitations the create runs of an instance made, in runs still going or ended since `since` (any member's): a
   * page of `limit`, by invitation id after `after` (a first sync links every run's; a page at a time keeps main free).
   */
  sentSince(instanceId: string, since: number, after?: string, limit?: number): Promise<SentBy[]>;
  /** The request a create run sent for an invitation (its redirect, expiry, template), or null: not sent by a run. */
  sentRequest(invitationId: string): Promise<RowRequest | null>;
}

/** An invitation a create run made: the Invitations page's “sent by” (the first run, should two name it). */
export type SentBy = { invitationId: string; runId: string; sheetName: string };

/** A run's rows in pieces for the Runs screen: pages, counts, the follow-up tally and the export. */
export interface RowsPort {
  page(runId: string, opts: { state?: RowFilter; offset: number; limit: number }): Promise<RunRowView[]>;
  changed(runId: string, since: number): Promise<RunRowView[]>;
  count(runId: string, state?: RowFilter): Promise<number>;
  /** Where row `idx` stands under the filter (null when the filter hides it). */
  positionOf(runId: string, idx: number, state?: RowFilter): Promise<number | null>;
  tally(runId: string, rows?: number[]): Promise<FollowUpTally>;
  links(runId: string, rows?: number[]): Promise<string[]>;
  ids(runId: string, state?: RowFilter): Promise<number[]>;
  /** Every row with its request, a page at a time (an export never holds main for long). */
  pages(runId: string, size?: number): AsyncGenerator<(RunRowView & { request: RowRequest | null })[]>;
}

/**
 * All a workspace keeps of runs: what the engine drives with, and what the history reads. A team workspace also
 * keeps four-eyes approvals of production sends (approvals/approvalsPort.ts); this computer's never has them.
 */
/** `approvals` and `reminders`: a team workspace's (this computer's reminders are in its own database). */
export type Storage = RunStore & { history: HistoryPort; rows: RowsPort; approvals?: ApprovalsPort; reminders?: ReminderStore };
