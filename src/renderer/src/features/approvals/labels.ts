/** How an approval's state and people read in the Approvals list and dialog. */
import type { ApprovalState, ApprovalSummary } from '../../../../shared/domain/approvals.ts';
import { fullWhen } from '../../lib/format.ts';

export const APPROVAL_STATE_LABEL: Record<ApprovalState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, starting',
  started: 'Approved and started',
  failed: 'Approved, could not start',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/** "ben@b approved it on 5 Dec 2026, 14:02" and the like (null while it waits). */
export function decisionLine(a: ApprovalSummary): string | null {
  const at = a.decidedAt ? ` on ${fullWhen(a.decidedAt)}` : '';
  switch (a.state) {
    case 'pending':
      return null;
    case 'approved':
      return `Approved by ${a.decidedBy ?? 'a teammate'}${at}; its run has not started yet (${a.decidedBy ?? 'they'} starts it by approving again).`;
    case 'started':
      return `Started by ${a.decidedBy ?? 'a teammate'}${at}.`;
    case 'failed':
      return `Approved by ${a.decidedBy ?? 'a teammate'}${at}, but the run could not start: ${a.reason ?? ''}`;
    case 'rejected':
      return `Rejected by ${a.decidedBy ?? 'a teammate'}${at}: ${a.reason ?? ''}`;
    case 'withdrawn':
      return `Withdrawn by ${a.preparedBy}.`;
  }
}
