/**
 * A production run handed to the team instead of started (four eyes on production: a resend, a revoke, a reminder, a
 * repair, a waitlist action): what it waits for, live, with Withdraw and Open Approvals. Shown by the shell over any page.
 */
import { useRef } from 'react';
import type { Asked } from '../../../../shared/ipc/contract.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { useApprovals } from '../../store/approvals.ts';
import { AskedApproval } from './AskedApproval.tsx';

export function AskedDialog() {
  const asked = useApprovals((s) => s.asked);
  return asked ? <AskedModal key={asked.approvalId} asked={asked} /> : null;
}

function AskedModal({ asked }: { asked: Asked }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = () => useApprovals.getState().showAsked(null);
  useDialog(ref, close);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="asked-title" data-testid="asked-dialog">
      <div className="modal modal-prod" ref={ref} tabIndex={-1}>
        <h2 id="asked-title">A teammate approves this first</h2>
        <AskedApproval {...asked} onClose={close} />
      </div>
    </div>
  );
}
