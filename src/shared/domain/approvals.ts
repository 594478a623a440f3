/**
 * Four eyes on production (a team workspace option): a production send prepared by one member starts only when
 * another member approves it, seeing the same review. What main and the window share about an approval.
 */
import type { SheetDoc } from './sheet/types.ts';
import type { ExistingChoice, HistoryKey, RunReview } from './send/types.ts';

/** pending → approved → started (or failed to start) · pending → rejected · pending → withdrawn (by its preparer). */
export type ApprovalState = 'pending' | 'approved' | 'started' | 'failed' | 'rejected' | 'withdrawn';

/** The review's choices, as the preparer made them: the approver sees and starts exactly these. */
export type ApprovalChoices = { resend: HistoryKey[]; existing?: ExistingChoice; onlyFit: boolean };

/** One approval as the list shows it (no rows: a sheet may hold 100,000). */
export type ApprovalSummary = {
  id: string;
  state: ApprovalState;
  instanceId: string;
  profileId: string;
  profileName: string;
  environment: 'development' | 'production';
  organizationName: string | null;
  sheetName: string;
  /** The review's count line when it was prepared ("30 invitations will be sent, 1 row skipped."). */
  summary: string;
  toSend: number;
  skipped: number;
  preparedBy: string;
  preparedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  /** Why it was rejected, or why an approved run could not start. */
  reason: string | null;
  runId: string | null;
};

/** The snapshot reviewed: the sheet document as validated and the review's choices. */
export type Approval = ApprovalSummary & { doc: SheetDoc; choices: ApprovalChoices };

/** What an approver opens: the review computed on their computer from the snapshot, and what changed since. */
export type ApprovalReview = {
  approval: ApprovalSummary & { choices: ApprovalChoices };
  review: RunReview;
  /** Set when the counts now differ from those the preparer saw (a teammate sent to some of them meanwhile). */
  changed: string | null;
  /** Why this member may not approve it (their own, or no longer pending); null when they may. */
  cannotApprove: string | null;
};

export type ApprovalsSettings = { fourEyes: boolean; member: string };

/** "Already approved by ben@laptop-b" and the like: why a decision on it is no longer possible. */
export function decidedMessage(a: Pick<ApprovalSummary, 'state' | 'decidedBy' | 'reason' | 'preparedBy'>): string {
  switch (a.state) {
    case 'pending':
      return 'It is still waiting for approval.';
    case 'approved':
      // Decided, and the run not recorded: the approver's app closed or lost the team database in between.
      return `Already approved by ${a.decidedBy ?? 'a teammate'}: its run starts on their computer; if it has not, ${a.decidedBy ?? 'they'} opens it in Approvals and approves again (one approval starts one run).`;
    case 'started':
      return `Already approved by ${a.decidedBy ?? 'a teammate'}: its run has started.`;
    case 'failed':
      return `Already approved by ${a.decidedBy ?? 'a teammate'}, but its run could not start (${a.reason ?? 'unknown'}): prepare it again.`;
    case 'rejected':
      return `Already rejected by ${a.decidedBy ?? 'a teammate'}: ${a.reason ?? ''}`;
    case 'withdrawn':
      return `Withdrawn by ${a.preparedBy}, who prepared it.`;
  }
}

/** The review's count line, as the review dialog words it. */
export function summaryLine(toSend: number, skipped: number): string {
  const n = (k: number, w: string) => `${k.toLocaleString('en-US')} ${w}${k === 1 ? '' : 's'}`;
  return `${n(toSend, 'invitation')} will be sent${skipped > 0 ? `, ${n(skipped, 'row')} skipped` : ''}.`;
}
