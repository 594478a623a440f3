/** The instance's invitations as the Invitations page sees them: a row, a query with its filters, a page, sync progress. */
export type InventoryStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export const INVENTORY_STATUSES: readonly InventoryStatus[] = ['pending', 'accepted', 'revoked', 'expired'];

export type InventoryRow = {
  id: string;
  kind: 'app' | 'org';
  email: string;
  status: InventoryStatus;
  organizationId: string | null;
  organizationName: string | null;
  role: string | null;
  /** Public metadata as JSON text ('{}' when none). */
  publicMetadata: string;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** The run that sent it, when Invite Desk did; null: made outside Invite Desk (Dashboard, scripts, colleagues). */
  runId: string | null;
  runName: string | null;
};

/** Every filter is optional; absent means “any”. */
export type InventoryFilter = {
  /** An email or part of one; `@domain` (or a bare domain with a dot) matches addresses of that domain. */
  search?: string;
  status?: InventoryStatus[];
  kind?: 'app' | 'org';
  organizationId?: string;
  /** Made at least N days ago. */
  olderThanDays?: number;
  /** Pending and expiring within N days from now. */
  expiringWithinDays?: number;
  /** Sent by an Invite Desk run, or made outside it. */
  origin?: 'ours' | 'outside';
};

export type InventoryQuery = InventoryFilter & { profileId: string; offset?: number; limit?: number };

export type InventoryPage = {
  rows: InventoryRow[];
  offset: number;
  /** Rows matching the filter. */
  total: number;
  /** Invitations in the local copy, whatever the filter. */
  all: number;
  /** When the last complete sync ended (null: never synced). */
  syncedAt: number | null;
  /** The local copy's organizations (the organization filter's choices). */
  organizations: { id: string; name: string }[];
};

export type InventorySyncState = 'syncing' | 'done' | 'failed';

export type InventoryProgress = {
  profileId: string;
  state: InventorySyncState;
  /** Invitations read from Clerk so far in this sync, and (as Clerk's totals come in) how many there are to read. */
  read: number;
  total: number | null;
  requests: number;
  startedAt: number;
  /** Estimated end (null until known). */
  eta: number | null;
  /** Inserted or changed in the local copy. */
  changed: number;
  error: string | null;
  at: number;
};

/** Bulk actions on a selection of the Invitations page, each a run with a review. */
export type BulkAction = 'revoke' | 'resend' | 'remind';

export type ActionReview = {
  action: BulkAction;
  /** The run's scope: application invitations, or one organization's. */
  scope: { kind: 'app' | 'org'; organizationId: string | null; organizationName: string | null };
  /** Invitations this run takes. */
  take: number;
  /** Selected ones it does not take, and why (another kind or organization: a later run; already accepted; …). */
  leftOut: { reason: string; count: number }[];
  /** What the invitee receives, in words. */
  receives: string;
  /** What the run does, request by request, and its pace. */
  steps: string[];
  notes: string[];
  profileName: string;
  environment: 'development' | 'production';
  /** Production (not the Sandbox): the profile's name must be typed to start. */
  confirm: boolean;
};

/** “Remind people still pending after `afterDays` days, at most `maxReminders` times” on a profile's instance. */
export type ReminderRule = {
  id: string;
  profileId: string;
  /** On the people this run sent (null: everyone of the instance). */
  runId: string | null;
  runName: string | null;
  afterDays: number;
  maxReminders: number;
  enabled: boolean;
  createdAt: number;
  /** When the next person becomes due (null: nobody will, as the local copy stands). */
  nextDueAt: number | null;
  /** People due now; on production they wait for one click (development: sent automatically). */
  dueNow: number;
  /** Reminders sent under this rule so far. */
  sent: number;
};

/** The Insights charts' data (aggregates, so a chart of 100,000 invitations is a few dozen marks). */
export type Insights = {
  /** Per day: invitations made, and accepted (on the day Clerk last updated them); cumulative totals beside. */
  curve: { day: string; sent: number; accepted: number; sentTotal: number; acceptedTotal: number }[];
  pendingByAge: { label: string; count: number }[];
  /** Pending invitations expiring on each of the next 14 days. */
  expiring: { day: string; count: number }[];
  byDomain: { label: string; total: number; accepted: number }[];
  byMetadata: { label: string; total: number; accepted: number }[];
  /** Public metadata keys seen (the “by metadata key” chart's choices). */
  metadataKeys: string[];
  metadataKey: string | null;
  /** Runs of ours with invitations in the copy (the “per run” choice), newest first. */
  runs: { id: string; name: string }[];
  total: number;
  /** How long main took to aggregate them. */
  ms: number;
};
