/**
 * A row's outcome in words where the history shows it (run detail, search, export, “open as sheet”): its state, or
 * “added as member” for a row whose person already had an account and was added to the organization directly.
 */
import type { RowState } from './types.ts';

/** The status a row added to an organization directly is journaled with (no invitation exists for it). */
export const MEMBER_STATUS = 'member';
export const ADDED_AS_MEMBER = 'added as member';

export const isMemberRow = (r: { state: RowState; invitationStatus: string | null }): boolean =>
  r.state === 'sent' && r.invitationStatus === MEMBER_STATUS;

/** The outcome column of an export and of “open as sheet”: the row's state, or “added as member”. */
export const outcomeOf = (r: { state: RowState; invitationStatus: string | null }): string => (isMemberRow(r) ? ADDED_AS_MEMBER : r.state);
