/**
 * A bulk action's review before anything is sent: how many, in which scope, what each invitee receives, the requests
 * and their pace, what is left out and why; production asks for the profile's name. Starting it opens the run.
 */
import { useRef, useState } from 'react';
import { plural } from '../../../../shared/plural.ts';
import { useDialog } from '../../lib/useDialog.ts';
import { useInventory } from '../../store/inventory.ts';
import { useRuns } from '../../store/runs.ts';
import { ConfirmName } from '../runs/ReviewParts.tsx';
import { useUi } from '../../store/ui.ts';
import { startedRun } from '../../store/approvals.ts';
import { FourEyesNote } from '../approvals/FourEyesNote.tsx';

const TITLE = { revoke: 'Revoke', resend: 'Resend', remind: 'Remind' } as const;

export function ActionReviewDialog() {
  const review = useInventory((s) => s.review);
  const starting = useInventory((s) => s.starting);
  const { closeReview, act } = useInventory.getState();
  const toast = useUi((s) => s.toast);
  const go = useUi((s) => s.go);
  const [confirmName, setConfirmName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, closeReview);
  if (!review) return null;
  const scope = review.scope.kind === 'app' ? 'application invitations' : `organization “${review.scope.organizationName}”`;
  const none = review.take === 0;
  const ready = review.take > 0 && (!review.confirm || confirmName === review.profileName) && !starting;
  const start = async () => {
    const r = await act(confirmName);
    if ('error' in r) return setError(r.error);
    const runId = startedRun(r);
    if (!runId) return;
    toast('info', `${TITLE[review.action]} run started.`, {
      label: 'Open run',
      run: () => {
        go('runs');
        void useRuns.getState().open(runId);
      },
    });
  };
  return (
    <div className="modal-backdrop">
      <div
        className={`modal action-review${review?.confirm ? ' modal-prod' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="action-review-title"
        ref={ref}
        tabIndex={-1}
        data-testid="action-review"
      >
        <h2 id="action-review-title">
          {none ? `Nothing to ${TITLE[review.action].toLowerCase()}` : `${TITLE[review.action]} ${plural(review.take, 'invitation')}?`}
        </h2>
        <p>
          In the {scope} of <strong>{review.profileName}</strong>
          {review.environment === 'production' ? ' (production)' : ''}.
        </p>
        {!none && (
          <>
            <h3>What each invitee receives</h3>
            <p data-testid="action-receives">{review.receives}</p>
            <h3>What Invite Desk does</h3>
            <ol>
              {review.steps.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ol>
          </>
        )}
        {review.leftOut.length > 0 && (
          <>
            <h3>{none ? 'Every selected invitation is left out' : 'Left out'}</h3>
            <ul data-testid="action-left-out">
              {review.leftOut.map((l) => (
                <li key={l.reason}>
                  {l.count.toLocaleString()} {l.reason}
                </li>
              ))}
            </ul>
          </>
        )}
        {review.notes.map((n) => (
          <p key={n} className="muted small">
            {n}
          </p>
        ))}
        {!none && <FourEyesNote production={review.confirm} />}
        {review.confirm && !none && (
          <ConfirmName name={review.profileName} value={confirmName} onChange={setConfirmName} testId="action-confirm-name" />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={closeReview} data-autofocus={!review.confirm || none || undefined} data-testid="action-cancel">
            {none ? 'Close' : 'Cancel'}
          </button>
          {!none && (
            <button
              type="button"
              className={review.action === 'revoke' ? 'danger' : 'primary'}
              disabled={!ready}
              onClick={() => void start()}
              data-testid="action-start"
            >
              {TITLE[review.action]} {review.take.toLocaleString()}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
