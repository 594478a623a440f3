/**
 * In the review, once a four-eyes production send was handed to the team: waiting for a teammate's approval (the
 * request may be withdrawn), then who approved and started it, or who rejected it and why.
 */
import { useEffect, useRef, useState } from 'react';
import { useApprovals } from '../../store/approvals.ts';
import { useUi } from '../../store/ui.ts';
import { decisionLine } from './labels.ts';

export function AskedApproval({ approvalId, message, onClose }: { approvalId: string; message: string; onClose: () => void }) {
  const live = useApprovals((s) => s.list.find((a) => a.id === approvalId));
  const withdraw = useApprovals((s) => s.withdraw);
  const go = useUi((s) => s.go);
  const [error, setError] = useState<string | null>(null);
  const decided = live && live.state !== 'pending' ? decisionLine(live) : null;
  // It replaces the button that asked, which had the focus: Close takes it, inside the dialog.
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="asked-approval" role="status" data-testid="review-waiting">
      <p data-testid="review-waiting-text">
        <strong>{decided ?? message}</strong>
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {!decided && (
          <button
            type="button"
            onClick={() =>
              void withdraw(approvalId).then((e) => {
                if (e) setError(e);
                else onClose();
              })
            }
            data-testid="review-withdraw"
          >
            Withdraw the request
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            onClose();
            go('approvals');
          }}
          data-testid="review-to-approvals"
        >
          Open Approvals
        </button>
        <button type="button" className="primary" onClick={onClose} data-testid="review-waiting-close" ref={close} data-autofocus>
          Close
        </button>
      </div>
    </div>
  );
}
