/** Before anything is sent: where it goes (big), what is sent and skipped and why, the plan and the ETA. */
import { useEffect, useRef, useState } from 'react';
import type { ExistingChoice, HistoryKey, RunReview } from '../../../../shared/domain/send/types.ts';
import { predictedFailures, type Preflight } from '../../../../shared/domain/send/preflight.ts';
import { ConfirmName, ReviewTarget } from './ReviewParts.tsx';
import { getApi } from '../../lib/api.ts';
import { plural, rowsNamed } from '../../../../shared/plural.ts';
import { focusInitial, useDialog } from '../../lib/useDialog.ts';
import { useNow } from '../../lib/useNow.ts';
import { useRuns } from '../../store/runs.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { ExistingCheckProgress, sendLabel } from './ExistingUsers.tsx';
import { PreflightNotes } from './PreflightNotes.tsx';
import { ReviewBody } from './ReviewBody.tsx';
import { useApprovals } from '../../store/approvals.ts';
import { AskedApproval } from '../approvals/AskedApproval.tsx';

export function ReviewDialog({ sheetId, profileId, onClose }: { sheetId: string; profileId: string; onClose: () => void }) {
  const [review, setReview] = useState<RunReview | null>(null);
  /** The choice the shown review was made for: while a new one is asked, Send waits for it. */
  const [reviewedFor, setReviewedFor] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [dry, setDry] = useState<string | null>(null);
  const [dryPreflight, setDryPreflight] = useState<Preflight | null>(null);
  /** History groups to send anyway (explicit, per group); the review is asked again for each choice. */
  const [resend, setResend] = useState<HistoryKey[]>([]);
  /** What to do with rows whose email has an account (undefined: the sheet kind's default, as main says). */
  const [existing, setExisting] = useState<ExistingChoice | undefined>(undefined);
  const choice = { ...(resend.length ? { resend } : {}), ...(existing ? { existing } : {}) };
  const choiceKey = `${resend.join()}|${existing ?? ''}`;
  const go = useUi((s) => s.go);
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onClose);
  const loaded = review !== null;
  useEffect(() => {
    // Once the review is there, focus its next step: the confirmation on production, else Send (or the first choice).
    if (loaded) focusInitial(ref.current);
  }, [loaded]);
  const openRun = useRuns((s) => s.open);
  const fourEyes = useApprovals((s) => s.settings?.fourEyes === true);

  useEffect(() => {
    let live = true;
    void (async () => {
      await useSheet.getState().flush(); // review exactly what is saved
      const r = await getApi().runsReview({ sheetId, profileId, ...choice });
      if (!live) return;
      if (r.ok) {
        setReview(r.value);
        setReviewedFor(choiceKey);
      } else setError(r.error.message);
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `choice` is rebuilt from these on every render
  }, [sheetId, profileId, choiceKey]);
  const stale = reviewedFor !== choiceKey;

  const prod = review?.environment === 'production' && !review.isSandbox;
  // Four eyes on production (a team workspace option): a teammate approves the send; nothing starts from here.
  const ask = prod && fourEyes;
  const [asked, setAsked] = useState<{ approvalId: string; message: string } | null>(null);
  const typed = !prod || ask || confirm === review?.profileName;
  // Rows the pre-flight says Clerk will refuse (no seat left, a role the organization lacks): the default is to
  // leave them out, so a run never sends into a wall it was told about.
  const refused = review ? predictedFailures(review.preflight).size : 0;
  const fitN = (review?.toSend ?? 0) - refused;
  const start = async (onlyFit: boolean) => {
    setBusy(true);
    setError(null);
    const r = await getApi().runsStart({
      sheetId,
      profileId,
      ...(prod && !ask ? { confirmName: confirm } : {}),
      ...choice,
      ...(onlyFit ? { onlyFit } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    if (r.value.runId === null) return setAsked(r.value);
    onClose();
    await openRun(r.value.runId);
    go('runs');
  };
  const now = useNow();
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Review before sending" data-testid="review-dialog">
      <div className={`modal modal-review ${prod ? 'modal-prod' : ''}`} ref={ref} tabIndex={-1}>
        {/* The target and the actions stay in view; only the body between them scrolls (issue 21 #4). */}
        {review && <ReviewTarget review={review} />}
        <div className="modal-body" data-testid="review-body">
          {!review && !error && <p>Checking the sheet and this hour’s quota…</p>}
          {!review && !error && <ExistingCheckProgress sheetId={sheetId} />}
          {review && (
            <>
              <ReviewBody
                review={review}
                now={now}
                refused={refused}
                resend={resend}
                onToggleResend={(key, on) => setResend((r) => (on ? [...r.filter((k) => k !== key), key] : r.filter((k) => k !== key)))}
                existing={existing}
                onChoose={setExisting}
              />
              <div className="dry-run">
                <button
                  type="button"
                  data-testid="review-dry-run"
                  onClick={async () => {
                    setDry('Checking pending invitations in Clerk…');
                    const r = await getApi().runsDryRun({ sheetId, profileId, ...(existing ? { existing } : {}) });
                    if (!r.ok) return setDry(r.error.message);
                    setDryPreflight(r.value.preflight);
                    const c = r.value.conflicts;
                    setDry(
                      c.length === 0
                        ? `Dry run: none of the ${plural(r.value.checked, 'row')} has a pending invitation already. Nothing was created.`
                        : `Dry run: ${plural(c.length, 'row')} already ${c.length === 1 ? 'has' : 'have'} a pending invitation and would fail (${rowsNamed(c.map((x) => x.row))}). Turn on “ignore existing” or remove them. Nothing was created.`,
                    );
                  }}
                >
                  Dry run: check against Clerk
                </button>
                {dry && <p data-testid="review-dry-result">{dry}</p>}
                {dryPreflight && <PreflightNotes preflight={dryPreflight} testId="dry-preflight" />}
              </div>
              {review.busyWith && (
                <p className="form-error">This profile is already sending another run; it will have to finish or be paused first.</p>
              )}
            </>
          )}
          {error && (
            <p className="form-error" role="alert" data-testid="review-error">
              {error}
            </p>
          )}
        </div>
        {asked && <AskedApproval {...asked} onClose={onClose} />}
        {review && ask && !asked && (
          <p className="callout" data-testid="review-four-eyes">
            Four eyes on production: a teammate reviews this send in their app and approves it; nothing is sent until then.
          </p>
        )}
        {review && prod && !ask && (
          <ConfirmName
            name={review.profileName}
            value={confirm}
            onChange={setConfirm}
            testId="review-confirm"
            lead={
              <>
                This sends real invitations from a <strong>production</strong> instance.{' '}
              </>
            }
          />
        )}
        <div className="actions" hidden={asked !== null}>
          <button
            type="button"
            className={prod && !ask ? 'danger-solid' : 'primary'}
            disabled={!review || stale || busy || fitN <= 0 || !typed}
            onClick={() => void start(refused > 0)}
            data-testid="review-start"
            data-autofocus={!prod || undefined}
          >
            {busy
              ? 'Starting…'
              : ask
                ? 'Ask a teammate to approve'
                : !review
                  ? 'Send invitations'
                  : refused > 0
                    ? fitN > 0
                      ? `Send the ${fitN.toLocaleString()} that fit`
                      : 'None of them would be accepted'
                    : sendLabel(review.toSend, review.members)}
          </button>
          {review && refused > 0 && (
            <button
              type="button"
              disabled={stale || busy || !typed}
              onClick={() => void start(false)}
              data-testid="review-start-all"
              title={`${plural(refused, 'row')} will fail in Clerk`}
            >
              Send all {review.toSend.toLocaleString()} anyway
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
