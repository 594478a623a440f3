/** Before anything is sent: where it goes (big), what is sent and skipped and why, the plan and the ETA. */
import { useEffect, useRef, useState } from 'react';
import type { ExistingChoice, HistoryKey, RunReview } from '../../../../shared/domain/send/types.ts';
import { predictedFailures, type Preflight } from '../../../../shared/domain/send/preflight.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { getApi } from '../../lib/api.ts';
import { noun, plural, rowsNamed } from '../../../../shared/plural.ts';
import { RowNumbers } from '../../components/RowNumbers.tsx';
import { clock, duration, endpointLabel } from '../../lib/format.ts';
import { focusInitial, useDialog } from '../../lib/useDialog.ts';
import { useNow } from '../../lib/useNow.ts';
import { useRuns } from '../../store/runs.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';
import { ExistingCheckProgress, ExistingUsers, sendLabel } from './ExistingUsers.tsx';
import { HistoryGroups } from './HistoryGroups.tsx';
import { PreflightNotes } from './PreflightNotes.tsx';

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
  const skippedN = review?.skipped.reduce((n, g) => n + g.rows.length, 0) ?? 0;
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
      ...(prod ? { confirmName: confirm } : {}),
      ...choice,
      ...(onlyFit ? { onlyFit } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    onClose();
    await openRun(r.value.runId);
    go('runs');
  };
  const now = useNow();
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Review before sending" data-testid="review-dialog">
      <div className={`modal modal-review ${prod ? 'modal-prod' : ''}`} ref={ref} tabIndex={-1}>
        {/* The target and the actions stay in view; only the body between them scrolls (issue 21 #4). */}
        {review && (
          <div className="target" data-testid="review-target">
            <EnvBadge profile={{ environment: review.environment, isSandbox: review.isSandbox }} />
            <span className="target-name">{review.profileName}</span>
            {review.kind === 'org' && <span className="muted">→ organization {review.organizationName}</span>}
          </div>
        )}
        <div className="modal-body" data-testid="review-body">
          {!review && !error && <p>Checking the sheet and this hour’s quota…</p>}
          {!review && !error && <ExistingCheckProgress sheetId={sheetId} />}
          {review && (
            <>
              <dl className="review-what" data-testid="review-what">
                {review.what.facts.map((f) => (
                  <div key={f.wire} data-testid={`review-what-${f.wire}`}>
                    <dt>
                      {f.label} <code>{f.wire}</code>
                    </dt>
                    <dd>{f.value}</dd>
                  </div>
                ))}
              </dl>
              {review.what.sample && (
                <details className="review-sample" data-testid="review-sample">
                  <summary>Exactly what row {review.what.sample.sheetRow + 1} will send</summary>
                  <pre className="preview">{JSON.stringify(review.what.sample.body, null, 2)}</pre>
                </details>
              )}
              <p className="review-counts" data-testid="review-counts">
                <strong>{review.toSend.toLocaleString()}</strong> {noun(review.toSend, 'invitation')} will be sent
                {skippedN > 0 && (
                  <>
                    , <strong>{skippedN.toLocaleString()}</strong> {noun(skippedN, 'row')} skipped
                  </>
                )}
                .
                {refused > 0 && (
                  <>
                    {' '}
                    Clerk would refuse <strong>{refused.toLocaleString()}</strong> of them (below): the {fitN.toLocaleString()} that fit go
                    by default.
                  </>
                )}
              </p>
              {review.skipped.length > 0 && (
                <ul className="skips" data-testid="review-skips">
                  {review.skipped.map((g) => (
                    <li key={g.reason}>
                      {g.rows.length.toLocaleString()} × {g.reason} <RowNumbers rows={g.rows} />
                    </li>
                  ))}
                </ul>
              )}
              <HistoryGroups
                groups={review.history}
                resend={resend}
                onToggle={(key, on) => setResend((r) => (on ? [...r.filter((k) => k !== key), key] : r.filter((k) => k !== key)))}
              />
              <ExistingUsers
                existing={review.existing}
                organizationName={review.organizationName}
                choice={existing ?? review.existing.choice}
                onChoose={setExisting}
              />
              <table className="plan" data-testid="review-plan">
                <thead>
                  <tr>
                    <th>Endpoint</th>
                    <th>Requests</th>
                    <th>Invitations</th>
                    <th>Used this hour</th>
                  </tr>
                </thead>
                <tbody>
                  {review.plan.lanes.map((l) => (
                    <tr key={l.endpoint}>
                      <td>{endpointLabel(l.endpoint)}</td>
                      <td>{l.calls.toLocaleString()}</td>
                      <td>{l.rows.toLocaleString()}</td>
                      <td>
                        {l.usedNow.toLocaleString()} / {l.limit.toLocaleString()}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p data-testid="review-eta">
                {review.toSend === 0
                  ? 'Nothing to send.'
                  : review.plan.etaAt - now < 60_000
                    ? 'Done in about a minute: everything fits in this hour’s limits.'
                    : `Done in about ${duration(review.plan.etaAt - now)} (around ${clock(review.plan.etaAt)}), paced by Clerk’s hourly limits${review.plan.firstWaitAt ? `; first wait until ${clock(review.plan.firstWaitAt)}` : ''}.`}
              </p>
              <PreflightNotes preflight={review.preflight} testId="review-preflight" />
              {review.toSend > 0 && review.plan.etaAt - now >= 30 * 60_000 && (
                <p className="callout" data-testid="review-long-run">
                  A long run: keep the computer plugged in and awake until about {clock(review.plan.etaAt)}. Invite Desk keeps it from
                  sleeping while it sends; if it sleeps anyway, the run picks up where it was when it wakes. Closing the window asks whether
                  to keep sending in the background.
                </p>
              )}
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
        {review && prod && (
          <label className="confirm-prod">
            <span>
              This sends real invitations from a <strong>production</strong> instance. Type <code>{review.profileName}</code> to confirm:
            </span>
            <input value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="review-confirm" data-autofocus />
          </label>
        )}
        <div className="actions">
          <button
            type="button"
            className={prod ? 'danger-solid' : 'primary'}
            disabled={!review || stale || busy || fitN <= 0 || (prod && confirm !== review.profileName)}
            onClick={() => void start(refused > 0)}
            data-testid="review-start"
            data-autofocus={!prod || undefined}
          >
            {busy
              ? 'Starting…'
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
              disabled={stale || busy || (prod && confirm !== review.profileName)}
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
