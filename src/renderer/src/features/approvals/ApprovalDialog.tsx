/**
 * One approval: the same review its preparer saw (from the snapshot, computed here with this computer's key),
 * read-only, then Approve (the profile's name typed, as for any production send) or Reject (a reason required).
 * Who prepared it cannot approve it: the button says why; they may withdraw the request instead.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApprovalReview } from '../../../../shared/domain/approvals.ts';
import { predictedFailures } from '../../../../shared/domain/send/preflight.ts';
import { ConfirmName, ReviewTarget } from '../runs/ReviewParts.tsx';
import { getApi } from '../../lib/api.ts';
import { fullWhen } from '../../lib/format.ts';
import { focusInitial, useDialog } from '../../lib/useDialog.ts';
import { useNow } from '../../lib/useNow.ts';
import { useApprovals } from '../../store/approvals.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';
import { ReviewBody } from '../runs/ReviewBody.tsx';
import { decisionLine } from './labels.ts';
import { PlanRows } from './PlanRows.tsx';

export function ApprovalDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const [data, setData] = useState<ApprovalReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onClose);
  const now = useNow();
  const go = useUi((s) => s.go);
  const toast = useUi((s) => s.toast);
  const openRun = useRuns((s) => s.open);
  // A teammate's decision arrives while this is open: the dialog says so instead of offering a dead button.
  const live = useApprovals((s) => s.list.find((a) => a.id === id));
  const withdraw = useApprovals((s) => s.withdraw);
  const member = useApprovals((s) => s.settings?.member);

  useEffect(() => {
    let on = true;
    void getApi()
      .approvalsReview({ id })
      .then((r) => {
        if (!on) return;
        if (r.ok) setData(r.value);
        else setError(r.error.message);
      });
    return () => {
      on = false;
    };
  }, [id]);
  const loaded = data !== null;
  // Loaded, and on Reject… or Back: the field to fill next has the focus (the button pressed is gone).
  useEffect(() => {
    if (loaded) focusInitial(ref.current);
  }, [loaded, rejecting]);

  const a = data?.approval;
  const review = data?.review;
  const plan = data?.plan;
  const choices = data && !data.plan ? data.approval.choices : undefined;
  /** The profile this computer approves with: the sheet's review's, or the prepared run's. */
  const profileName = review?.profileName ?? plan?.profileName;
  /** Approved here, its run never started (the app closed, or lost the team database, in between): approve again. */
  const resume = live?.state === 'approved' && live.decidedBy === member;
  const decided = live && live.state !== 'pending' && !resume ? decisionLine(live) : null;
  const mine = a !== undefined && a.preparedBy === member;
  const cannot = decided ?? data?.cannotApprove ?? null;
  const refused = review && choices?.onlyFit ? predictedFailures(review.preflight).size : 0;

  const approve = async () => {
    setBusy(true);
    setError(null);
    const r = await getApi().approvalsApprove({ id, confirmName: confirm });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    onClose();
    toast('info', `Approved: the run of “${a?.sheetName ?? ''}” started on this computer.`);
    await openRun(r.value.runId);
    go('runs');
  };
  const reject = async () => {
    setBusy(true);
    setError(null);
    const r = await getApi().approvalsReject({ id, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    onClose();
    toast('info', `Rejected: ${a?.preparedBy ?? 'the preparer'} sees your reason.`);
  };

  return (
    <div
      className="modal-backdrop"
      role="dialog"
      aria-modal="true"
      aria-label={plan ? 'Approve a production run' : 'Approve a production send'}
      data-testid="approval-dialog"
    >
      <div className="modal modal-review modal-prod" ref={ref} tabIndex={-1}>
        {review && a && <ReviewTarget review={review} />}
        {plan && (
          <ReviewTarget
            review={{
              environment: plan.environment,
              isSandbox: false,
              profileName: plan.profileName,
              kind: plan.organizationName ? 'org' : 'app',
              organizationName: plan.organizationName,
            }}
          />
        )}
        <div className="modal-body" data-testid="review-body">
          {!data && !error && <p>Reviewing it as it was prepared, with this computer’s key…</p>}
          {a && (
            <p className="approval-prepared" data-testid="approval-prepared">
              <strong>{mine ? 'You' : a.preparedBy}</strong> prepared “{a.sheetName}” on {fullWhen(a.preparedAt)}: {a.summary}
            </p>
          )}
          {resume && (
            <p className="callout" role="status" data-testid="approval-resume">
              You approved it, but its run did not start (Invite Desk closed or lost the team database first). Approve again to start it:
              one approval starts one run.
            </p>
          )}
          {data?.changed && (
            <p className="callout" role="status" data-testid="approval-changed">
              {data.changed}
            </p>
          )}
          {review && choices && (
            <ReviewBody
              review={review}
              now={now}
              refused={refused}
              resend={choices.resend}
              onToggleResend={() => {}}
              existing={choices.existing}
              onChoose={() => {}}
              readOnly
            />
          )}
          {plan && <PlanRows plan={plan} />}
          {error && (
            <p className="form-error" role="alert" data-testid="approval-error">
              {error}
            </p>
          )}
        </div>
        {profileName && cannot && (
          <p className="callout" id="approval-cannot" data-testid="approval-cannot">
            {cannot}
          </p>
        )}
        {profileName && !cannot && !rejecting && (
          <ConfirmName
            name={profileName}
            value={confirm}
            onChange={setConfirm}
            testId="approval-confirm"
            verb="approve"
            lead={
              <>
                {plan ? 'Approving starts this run on a ' : 'Approving sends real invitations from a '}
                <strong>production</strong> instance, from this computer.{' '}
              </>
            }
          />
        )}
        {profileName && !cannot && rejecting && (
          <label className="approval-reason">
            <span>Why is it rejected? {a?.preparedBy} reads this:</span>
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={3}
              maxLength={1000}
              data-testid="approval-reason"
              data-autofocus
            />
          </label>
        )}
        <div className="actions">
          {!rejecting && (
            <button
              type="button"
              className="danger-solid"
              disabled={!profileName || !!cannot || busy || confirm !== profileName}
              aria-describedby={cannot ? 'approval-cannot' : undefined}
              title={cannot ?? undefined}
              onClick={() => void approve()}
              data-testid="approval-approve"
            >
              {busy ? 'Starting…' : plan ? 'Approve and start' : 'Approve and send'}
            </button>
          )}
          {!mine && !cannot && !resume && (
            <button
              type="button"
              disabled={!profileName || busy || (rejecting && !reason.trim())}
              onClick={() => (rejecting ? void reject() : setRejecting(true))}
              data-testid="approval-reject"
            >
              {rejecting ? 'Reject with this reason' : 'Reject…'}
            </button>
          )}
          {mine && live?.state === 'pending' && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void withdraw(id).then((e) => {
                  if (e) setError(e);
                  else onClose();
                })
              }
              data-testid="approval-withdraw"
            >
              Withdraw my request
            </button>
          )}
          <button type="button" onClick={rejecting ? () => setRejecting(false) : onClose} data-testid="approval-close">
            {rejecting ? 'Back' : 'Close'}
          </button>
        </div>
      </div>
    </div>
  );
}
