/**
 * The storage of four-eyes approvals (team workspaces only): every member's app reads and decides the same ones.
 * A decision is one atomic step, taken only while the approval is pending and only by a member other than the one
 * who prepared it: two approvers at the same moment get one approval and one "already approved by …".
 */
import { decidedMessage, type Approval, type ApprovalState, type ApprovalSummary } from '../../../shared/domain/approvals.ts';
import type { NewRun } from '../runs/journalTypes.ts';

/** A production run other than a sheet's send, as prepared: approved, it starts exactly this (its own id). */
export type RunApproval = ApprovalSummary & { kind: 'run'; plan: NewRun };
/** Either kind, with its snapshot. */
export type StoredApproval = Approval | RunApproval;

/** An approval as the lists show it: its snapshot (a sheet, or a prepared run) left out. */
export const summaryOf = (a: StoredApproval): ApprovalSummary => {
  const { doc: _d, choices: _c, plan: _p, ...s } = a as StoredApproval & { doc?: unknown; choices?: unknown; plan?: unknown };
  return s;
};

type Undecided<T> = Omit<T, 'id' | 'state' | 'decidedBy' | 'decidedAt' | 'reason' | 'runId'>;
export type NewApproval = Undecided<Approval>;
export type NewRunApproval = Undecided<RunApproval>;
export type Verdict = 'approve' | 'reject';

export type ApprovalRefusal = 'approval_not_found' | 'approval_self' | 'approval_decided' | 'approval_not_yours' | 'approval_reason';

/** A decision the rules refuse; `code` says which rule, the message what to do. */
export class ApprovalRefusedError extends Error {
  override readonly name = 'ApprovalRefusedError';
  readonly code: ApprovalRefusal;
  constructor(code: ApprovalRefusal, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ApprovalsPort {
  /** Stores a pending approval with its snapshot; its id. */
  request(a: NewApproval): Promise<string>;
  /**
   * Stores a pending approval of a prepared run, once per run id: asked again for the same run (a reminder's claim
   * launched again after a restart), the approval already made for it, in whatever state it is now.
   */
  requestRun(a: NewRunApproval): Promise<{ id: string; state: ApprovalState }>;
  /** Pending approvals (of one instance), oldest first. */
  pending(instanceId?: string): Promise<ApprovalSummary[]>;
  /** The latest approvals whatever their state, newest first. */
  recent(limit: number): Promise<ApprovalSummary[]>;
  get(id: string): Promise<StoredApproval | null>;
  /**
   * Approves or rejects, atomically, only while pending and only when `by` is not who prepared it; a reject needs a
   * reason. ApprovalRefusedError otherwise ("already approved by X"). The approval as decided.
   */
  decide(id: string, by: string, verdict: Verdict, reason: string | null, now: number): Promise<ApprovalSummary>;
  /** The preparer takes back a pending request. */
  withdraw(id: string, by: string, now: number): Promise<void>;
  /** The approved run started (approved → started). */
  started(id: string, runId: string): Promise<void>;
  /** The approved run could not start (approved → failed, with why). */
  failed(id: string, message: string): Promise<void>;
}

/** Why `by` may not take this decision now (null: they may). Both stores apply it; the PG store atomically. */
export function refusal(
  a: Pick<ApprovalSummary, 'state' | 'decidedBy' | 'reason' | 'preparedBy'> | null,
  by: string,
  verdict: Verdict,
  reason: string | null,
): ApprovalRefusedError | null {
  if (!a) return new ApprovalRefusedError('approval_not_found', 'That approval no longer exists.');
  if (verdict === 'reject' && !reason?.trim())
    return new ApprovalRefusedError('approval_reason', 'Say why it is rejected: the member who prepared it reads the reason.');
  if (a.state !== 'pending') return new ApprovalRefusedError('approval_decided', decidedMessage(a));
  if (a.preparedBy === by)
    return new ApprovalRefusedError('approval_self', 'You prepared this send: another member of the team has to approve it.');
  return null;
}
