/** The waitlist as the renderer sees it (issue 23): entries, filters, selections, a run's review. */
import type { WaitlistPace } from '../sheet/validate.ts';
import type { WaitlistPlan } from './plan.ts';

export const WAITLIST_STATUSES = ['pending', 'invited', 'completed', 'rejected'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

export type WaitlistEntryView = {
  id: string;
  email: string;
  status: WaitlistStatus;
  isLocked: boolean;
  invitationId: string | null;
  /** When the person asked to join (Clerk's created_at), and the entry's last change. */
  createdAt: number;
  updatedAt: number;
};

/** `search`: part of an email, or `@domain` for a whole domain; `after`/`before`: requested at or after / before (ms). */
export type WaitlistFilter = { search?: string; status?: WaitlistStatus; after?: number; before?: number };

export type WaitlistCounts = Record<WaitlistStatus, number> & { total: number };

export type WaitlistAction = 'invite' | 'reject' | 'add';

/** Which entries (or, to add, which addresses) a run takes. */
export type WaitlistSelection =
  | { kind: 'filter'; filter: WaitlistFilter }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'emails'; emails: string[] }
  | { kind: 'sheet'; sheetId: string };

export type WaitlistState = {
  profileId: string;
  counts: WaitlistCounts;
  lastSync: { at: number; total: number } | null;
};

export type WaitlistPage = { rows: WaitlistEntryView[]; total: number; offset: number; counts: WaitlistCounts };

export type WaitlistSyncProgress = { profileId: string; fetched: number; total: number | null; done: boolean; error?: string };

export type WaitlistSkip = { reason: string; count: number; sample: string[] };

/** What a waitlist run will do, before it starts: shown in the review and asked again by start. */
export type WaitlistReview = {
  action: WaitlistAction;
  profileId: string;
  profileName: string;
  environment: 'development' | 'production';
  isSandbox: boolean;
  /** Entries (or addresses) the run will take, and those it leaves out, grouped by why. */
  toSend: number;
  skipped: WaitlistSkip[];
  /** Invites: the pace the plan assumes, and what it means. */
  pace: WaitlistPace | null;
  paceNote: string;
  plan: WaitlistPlan;
  /** Adds: whether Clerk emails each new address a confirmation. */
  notify: boolean | null;
  lastSync: { at: number; total: number } | null;
  /** Another run of this instance is going: this one would wait for it to end. */
  busyWith: string | null;
};
