/** Waitlist statuses and actions as people say them. */
import type { WaitlistAction, WaitlistStatus } from '../../../../shared/domain/waitlist/types.ts';

export const STATUS_LABEL: Record<WaitlistStatus, string> = {
  pending: 'Pending',
  invited: 'Invited',
  completed: 'Signed up',
  rejected: 'Rejected',
};

export const ACTION_LABEL: Record<WaitlistAction, { verb: string; done: string; noun: string }> = {
  invite: { verb: 'Invite', done: 'invited', noun: 'entry' },
  reject: { verb: 'Reject', done: 'rejected', noun: 'entry' },
  add: { verb: 'Add', done: 'added', noun: 'address' },
};
