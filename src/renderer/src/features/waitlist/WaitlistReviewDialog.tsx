/**
 * Before a waitlist run: where it goes (big), how many entries it takes and which it skips and why, the pace its
 * plan assumes and the ETA; a reject asks first like a revoke (count, target, the profile's name on production).
 */
import { useEffect, useRef } from 'react';
import { plural } from '../../../../shared/plural.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { clock, duration, when } from '../../lib/format.ts';
import { focusInitial, useDialog } from '../../lib/useDialog.ts';
import { useNow } from '../../lib/useNow.ts';
import { useWaitlist } from '../../store/waitlist.ts';
import { ConfirmName } from '../runs/ReviewParts.tsx';
import { ACTION_LABEL } from './labels.ts';
import { startReviewed } from './waitlistActions.ts';
import { FourEyesNote } from '../approvals/FourEyesNote.tsx';

export function WaitlistReviewDialog() {
  const r = useWaitlist((s) => s.review);
  const { closeReview, setReview } = useWaitlist.getState();
  const ref = useRef<HTMLDivElement>(null);
  const now = useNow();
  useDialog(ref, closeReview);
  const loaded = r?.review != null;
  useEffect(() => {
    if (loaded) focusInitial(ref.current);
  }, [loaded]);
  if (!r) return null;
  const v = r.review;
  const a = ACTION_LABEL[r.action];
  const prod = v !== null && v.environment === 'production' && !v.isSandbox;
  const ready = v !== null && v.toSend > 0 && !r.busy && (!prod || r.confirmName === v.profileName);
  const what = v
    ? plural(v.toSend, r.action === 'add' ? 'address' : 'waitlist entry', r.action === 'add' ? 'addresses' : 'waitlist entries')
    : '';
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label={`${a.verb} waitlist entries`} data-testid="waitlist-review">
      <div className={`modal modal-review ${prod ? 'modal-prod' : ''}`} ref={ref} tabIndex={-1}>
        {v && (
          <div className="target" data-testid="waitlist-review-target">
            <EnvBadge profile={{ environment: v.environment, isSandbox: v.isSandbox }} />
            <span className="target-name">{v.profileName}</span>
            <span className="muted">→ waitlist</span>
          </div>
        )}
        <div className="modal-body">
          {!v && !r.error && <p>Reading the selection…</p>}
          {r.error && (
            <p className="callout" role="alert" data-testid="waitlist-review-error">
              {r.error}
            </p>
          )}
          {v && (
            <>
              <h3 data-testid="waitlist-review-title">
                {a.verb} {what}
                {r.action === 'add' ? ' to the waitlist' : ''}?
              </h3>
              {r.action === 'reject' && (
                <p data-testid="waitlist-review-warning">
                  Clerk marks them rejected in <strong>{v.profileName}</strong>
                  {prod ? ' (production)' : ''}; an invited one loses its pending invitation. Invite Desk cannot undo it: you would have to
                  invite them again.
                </p>
              )}
              {v.skipped.length > 0 && (
                <ul className="review-skips" data-testid="waitlist-review-skipped">
                  {v.skipped.map((g) => (
                    <li key={g.reason}>
                      {plural(g.count, r.action === 'add' ? 'address' : 'entry', r.action === 'add' ? 'addresses' : 'entries')} skipped:{' '}
                      {g.reason}
                      <span className="muted small">
                        {' '}
                        ({g.sample.join(', ')}
                        {g.count > g.sample.length ? ', …' : ''})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {r.action === 'invite' && (
                <fieldset className="pace" data-testid="waitlist-pace">
                  <legend>Pace</legend>
                  <label>
                    <input
                      type="radio"
                      name="pace"
                      checked={r.pace === 'invitations'}
                      onChange={() => void setReview({ pace: 'invitations' })}
                    />{' '}
                    100 an hour (safe either way)
                  </label>
                  <label>
                    <input type="radio" name="pace" checked={r.pace === 'general'} onChange={() => void setReview({ pace: 'general' })} />{' '}
                    Clerk’s general limit (fast)
                  </label>
                </fieldset>
              )}
              {r.action === 'add' && (
                <label data-testid="waitlist-notify">
                  <input type="checkbox" checked={r.notify} onChange={(e) => void setReview({ notify: e.target.checked })} /> Email each new
                  address Clerk’s confirmation (<code>notify</code>)
                </label>
              )}
              <p className="muted" data-testid="waitlist-plan">
                {plural(v.plan.calls, 'request')} at up to {v.plan.limit.toLocaleString()} per {duration(v.plan.windowMs)}
                {v.plan.usedNow ? ` (${v.plan.usedNow.toLocaleString()} used now)` : ''}: about {duration(Math.max(0, v.plan.etaAt - now))},
                done around {clock(v.plan.etaAt)}. {v.paceNote}
              </p>
              <p className="muted small" data-testid="waitlist-review-sync">
                {v.lastSync
                  ? `From the waitlist as synced ${when(v.lastSync.at)}; Clerk's present status decides.`
                  : 'The waitlist was never synced: sync it first.'}
                {v.busyWith ? ' Another run of this instance is going: this one starts when it ends.' : ''}
              </p>
              <FourEyesNote production={prod} />
              {prod && (
                <ConfirmName
                  name={v.profileName}
                  value={r.confirmName}
                  onChange={(confirmName) => void setReview({ confirmName })}
                  testId="waitlist-confirm-name"
                />
              )}
            </>
          )}
        </div>
        <div className="actions">
          <button type="button" onClick={closeReview} data-testid="waitlist-review-cancel" data-autofocus={!prod || undefined}>
            Cancel
          </button>
          <button
            type="button"
            className={r.action === 'reject' ? 'danger' : 'primary'}
            disabled={!ready}
            onClick={() => void startReviewed()}
            data-testid="waitlist-review-go"
          >
            {a.verb} {v ? v.toSend.toLocaleString() : ''}
          </button>
        </div>
      </div>
    </div>
  );
}
