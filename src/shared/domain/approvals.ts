/**
 * Four eyes on production (a team workspace option): a production run prepared by one member starts only when
 * another member approves it, seeing the same review. A sheet's send is approved from its review's snapshot; any other
 * production run (a resend, a revoke, a reminder, a repair, a waitlist action) from the run as prepared, row by row.
 * What main and the window share about an approval.
 */
import type { SheetDoc } from './sheet/types.ts';
import type { RunOp } from './send/limits.ts';
import type { ExistingChoice, HistoryKey, RunReview } from './send/types.ts';

/** pending → approved → started (or failed to start) · pending → rejected · pending → withdrawn (by its preparer). */
export type ApprovalState = 'pending' | 'approved' | 'started' | 'failed' | 'rejected' | 'withdrawn';

/** The review's choices, as the preparer made them: the approver sees and starts exactly these. */
export type ApprovalChoices = { resend: HistoryKey[]; existing?: ExistingChoice; onlyFit: boolean };

/** `sheet`: a sheet's send (its review's snapshot); `run`: any other production run, as prepared. */
export type ApprovalKind = 'sheet' | 'run';

/** One approval as the list shows it (no rows: a sheet may hold 100,000). */
export type ApprovalSummary = {
  id: string;
  kind: ApprovalKind;
  state: ApprovalState;
  instanceId: string;
  profileId: string;
  profileName: string;
  environment: 'development' | 'production';
  organizationName: string | null;
  /** The sheet's name, or the prepared run's (“Revoke pending of Fall”). */
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
export type Approval = ApprovalSummary & { kind: 'sheet'; doc: SheetDoc; choices: ApprovalChoices };

/** A prepared run as its approver reads it: what it does to whom, row by row, exactly as it will go. */
export type PlanView = {
  /** “Revoke 12 pending invitations.” */
  summary: string;
  profileName: string;
  environment: 'development' | 'production';
  organizationName: string | null;
  rows: { email: string; action: string }[];
};

/** Whether `approval` may be decided by this member, and why not. */
type Decidable = {
  /** Why this member may not approve it (their own, or no longer pending); null when they may. */
  cannotApprove: string | null;
};

/** What an approver opens: a sheet's review computed on their computer from the snapshot (and what changed since),
 * or a prepared run's rows. */
export type ApprovalReview =
  | (Decidable & {
      approval: ApprovalSummary & { choices: ApprovalChoices };
      review: RunReview;
      plan?: undefined;
      /** Set when the counts now differ from those the preparer saw (a teammate sent to some of them meanwhile). */
      changed: string | null;
    })
  | (Decidable & {
      approval: ApprovalSummary;
      plan: PlanView;
      review?: undefined;
      /** Set when rows were left out since it was prepared (another run sent or revoked them meanwhile). */
      changed: string | null;
    });

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

/** A prepared run's count line: what it does, by the kind of run. */
export function planLine(op: RunOp, n: number, skipped: number, reminder: boolean): string {
  const k = n.toLocaleString('en-US');
  const s = n === 1 ? '' : 's';
  const what: Record<RunOp, string> = {
    create: reminder
      ? `${k} reminder${s} will be sent (a fresh invitation each, the older one revoked)`
      : `${k} invitation${s} will be sent`,
    revoke: `${k} pending invitation${s} will be revoked`,
    repair: `${k} ${n === 1 ? 'person’s' : 'people’s'} metadata will be written`,
    waitlist_invite: `${k} waitlist entr${n === 1 ? 'y' : 'ies'} will be invited`,
    waitlist_reject: `${k} waitlist entr${n === 1 ? 'y' : 'ies'} will be rejected`,
    waitlist_add: `${k} address${n === 1 ? '' : 'es'} will be added to the waitlist`,
  };
  return `${what[op]}${skipped > 0 ? `, ${skipped.toLocaleString('en-US')} row${skipped === 1 ? '' : 's'} skipped` : ''}.`;
}

/** The review's count line, as the review dialog words it. */
export function summaryLine(toSend: number, skipped: number): string {
  const n = (k: number, w: string) => `${k.toLocaleString('en-US')} ${w}${k === 1 ? '' : 's'}`;
  return `${n(toSend, 'invitation')} will be sent${skipped > 0 ? `, ${n(skipped, 'row')} skipped` : ''}.`;
}
