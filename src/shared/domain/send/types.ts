/** Send runs as the renderer sees them. */
import type { SheetColumn, SheetSettings } from '../sheet/types.ts';
import type { Endpoint, RunOp } from './limits.ts';
import type { Plan } from './plan.ts';
import type { Preflight } from './preflight.ts';
import type { ReviewWhat } from './summary.ts';

export type RunState = 'running' | 'paused' | 'finished' | 'cancelled' | 'interrupted';
export type RowState = 'queued' | 'inflight' | 'sent' | 'failed' | 'skipped' | 'cancelled';

export type RunCounts = Record<RowState, number> & { total: number };

export type RunSummary = {
  id: string;
  profileId: string;
  profileName: string;
  environment: 'development' | 'production';
  instanceId: string;
  kind: 'app' | 'org';
  /** What the run does to each row: create an invitation, or revoke one. */
  op: RunOp;
  organizationId: string | null;
  organizationName: string | null;
  sheetName: string;
  state: RunState;
  pauseReason: string | null;
  counts: RunCounts;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Last time statuses were refreshed from Clerk. */
  syncedAt: number | null;
  /** The run this one follows up (retry, resend). */
  parentRunId: string | null;
};

/**
 * What a run was started with, kept for its detail, “open as sheet” and follow-ups: the sheet's settings (null when
 * an older version stored them in another shape) and its columns.
 */
export type RunOptions = { settings: SheetSettings | null; columns: SheetColumn[] };

export type FollowUp = 'failed' | 'unsent' | 'expired_or_revoked' | 'revoke_pending';

export type RunProgress = RunSummary & {
  /** When the next request may go, and why the run is waiting (hourly limit, Retry-After, backoff). */
  waitUntil: number | null;
  waitReason: string | null;
  /** Since when Clerk cannot be reached (offline, DNS, refused): the run waits, spending no attempt. */
  offlineSince: number | null;
  /** Null while the run is retrying (its time left depends on when Clerk answers again). */
  etaAt: number | null;
  /** A request failed and its rows will be tried again: set until a request succeeds. */
  retry: RunRetry | null;
};

/**
 * What Clerk last answered to a failed request that will be tried again: its HTTP status (null: no answer, e.g. a
 * timeout or a dropped connection), the rows' try number, and when the next request for them goes (a lookup of the
 * unknown outcome, or the resend).
 */
export type RunRetry = {
  status: number | null;
  code: string | null;
  attempt: number;
  nextAt: number | null;
  /** Said after the line, e.g. “Clerk asked to wait 41 days 16 h; waiting at most 1 h (the limit’s window)”. */
  note?: string | null;
};

/** The rows a run's detail shows: all of them, those with one outcome, or those added as members (sent, no invitation). */
export type RowFilter = RowState | 'all' | 'member';

/**
 * What the follow-up buttons offer, counted by main over the run's rows (or the selected ones): failed rows that may
 * be retried, rows not sent (cancelled), accept links, pending invitations, expired or revoked ones.
 */
export type FollowUpTally = {
  failed: number;
  unsent: number;
  links: number;
  pending: number;
  expiredOrRevoked: number;
  /** Rows added as members: no invitation to revoke or resend (removing a member is not something this app does). */
  members: number;
};

/** One page of a run's rows (in row order, of the filter) and what the detail needs beside them. */
export type RunRowsPage = {
  progress: RunProgress;
  rows: RunRowView[];
  /** Position of `rows[0]` among the filter's rows; `total` of them in all. */
  offset: number;
  total: number;
  tally: FollowUpTally;
  options: RunOptions | null;
  /** main's clock at the read: the `changedSince` of the next live refresh. */
  at: number;
};

export type RunRowView = {
  idx: number;
  sheetRow: number;
  email: string;
  state: RowState;
  invitationId: string | null;
  invitationStatus: string | null;
  url: string | null;
  errorCode: string | null;
  message: string | null;
  attempts: number;
  /** When the invitation expires (ms; from the create answer or the last sync). */
  expiresAt: number | null;
  /** Another run of the same instance sent this email later, or is sending it: no follow-up offers it again. */
  sentLater?: boolean;
  /** What the last metadata check found for this accepted row (issue 24). */
  metadata?: { status: 'landed' | 'missing' | 'differs' | 'no_account'; label: string };
};

export type SkipGroup = { reason: string; rows: number[] };

/**
 * What to do with rows whose email already has an account in the instance: application sheets skip them (an
 * invitation would be refused) or invite them anyway (single calls with ignore_existing); organization sheets add
 * them to the organization directly (no email, no invitation budget) or invite them anyway.
 */
export type ExistingChoice = 'skip' | 'invite' | 'add';
export const EXISTING_CHOICES: Record<'app' | 'org', readonly ExistingChoice[]> = { app: ['skip', 'invite'], org: ['add', 'invite'] };

/** The review's group of rows whose email already has an account (looked up with GET /v1/users before sending). */
export type ExistingUsers = {
  /** Sheet rows (0-based) with an account. */
  rows: number[];
  /** When the oldest and the newest of those accounts were created (ms), for “user since …”. */
  since: { first: number; last: number } | null;
  /** The choice applied to them in this review, and the ones this kind of sheet offers (default first). */
  choice: ExistingChoice;
  choices: readonly ExistingChoice[];
  /** Addresses checked with Clerk. */
  checked: number;
  /** Why the check could not be made (the rows then go as invitations, as without it). */
  error: string | null;
};

export type RunReview = {
  profileId: string;
  profileName: string;
  environment: 'development' | 'production';
  isSandbox: boolean;
  kind: 'app' | 'org';
  organizationName: string | null;
  toSend: number;
  skipped: SkipGroup[];
  plan: Plan;
  spent: { endpoint: Endpoint; used: number; limit: number }[];
  windowMs: number;
  /** Another run of this profile that is still going (one run per profile at a time). */
  busyWith: string | null;
  /** What Clerk will do without saying so: dev email cap, org capacity, pending org invitations. */
  preflight: Preflight;
  /** Rows this instance's history already invited: skipped unless their group is sent anyway (ignore_existing). */
  history: HistoryGroup[];
  /** Rows whose email already has an account, and what this review does with them. */
  existing: ExistingUsers;
  /** Of `toSend`, the rows added to the organization as members (no invitation). */
  members: number;
  /** What the invitations say, under Clerk's wire names, and the first row's body exactly as sent. */
  what: ReviewWhat;
};

/** Already in this instance's history: invited and still pending, accepted, or of unknown outcome. */
export type HistoryKey = 'pending' | 'accepted' | 'unknown';
export const HISTORY_KEYS: readonly HistoryKey[] = ['pending', 'accepted', 'unknown'];
export type HistoryGroup = {
  key: HistoryKey;
  /** Sheet rows (0-based). */
  rows: number[];
  /** When the latest of them was sent (the run's start). */
  lastAt: number;
  /** Sent anyway in this review (a new invitation each, with ignore_existing). */
  resend: boolean;
};

export type DryRunResult = {
  checked: number;
  pendingInClerk: number;
  conflicts: { row: number; email: string; invitationId: string }[];
  preflight: Preflight;
  existing: ExistingUsers;
};

/** The review's look-up of existing accounts, as it goes (100 addresses a request). */
export type ReviewProgress = { sheetId: string; profileId: string; checked: number; total: number };

/** One row of one run, found by an email search across all runs. */
export type HistoryHit = {
  runId: string;
  sheetName: string;
  profileName: string;
  environment: 'development' | 'production';
  runCreatedAt: number;
  idx: number;
  email: string;
  state: RowState;
  invitationId: string | null;
  invitationStatus: string | null;
  errorCode: string | null;
  message: string | null;
};
