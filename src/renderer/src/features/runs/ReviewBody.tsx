/**
 * The review's body: where it goes, what each invitation carries, what is sent and skipped and why, the plan and the
 * ETA. The review dialog shows it to the member who prepares a send; the approval dialog shows the same, read-only.
 */
import { FactList } from './ReviewParts.tsx';
import type { ExistingChoice, HistoryKey, RunReview } from '../../../../shared/domain/send/types.ts';
import { noun } from '../../../../shared/plural.ts';
import { RowNumbers } from '../../components/RowNumbers.tsx';
import { clock, duration, endpointLabel } from '../../lib/format.ts';
import { ExistingUsers } from './ExistingUsers.tsx';
import { HistoryGroups } from './HistoryGroups.tsx';
import { PreflightNotes } from './PreflightNotes.tsx';

export function ReviewBody({
  review,
  now,
  refused,
  resend,
  onToggleResend,
  existing,
  onChoose,
  readOnly = false,
}: {
  review: RunReview;
  now: number;
  /** Rows the pre-flight says Clerk will refuse. */
  refused: number;
  resend: readonly HistoryKey[];
  onToggleResend: (key: HistoryKey, on: boolean) => void;
  existing: ExistingChoice | undefined;
  onChoose: (c: ExistingChoice) => void;
  /** The choices shown as made (an approver reviews the preparer's send; they do not change it). */
  readOnly?: boolean;
}) {
  const skippedN = review.skipped.reduce((n, g) => n + g.rows.length, 0);
  const fitN = review.toSend - refused;
  return (
    <>
      <FactList facts={review.what.facts} testid="review-what" />
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
            Clerk would refuse <strong>{refused.toLocaleString()}</strong> of them (below): the {fitN.toLocaleString()} that fit go by
            default.
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
      <HistoryGroups groups={review.history} resend={resend} onToggle={onToggleResend} disabled={readOnly} />
      <ExistingUsers
        existing={review.existing}
        organizationName={review.organizationName}
        choice={existing ?? review.existing.choice}
        onChoose={onChoose}
        disabled={readOnly}
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
          A long run: keep the computer plugged in and awake until about {clock(review.plan.etaAt)}. Invite Desk keeps it from sleeping
          while it sends; if it sleeps anyway, the run picks up where it was when it wakes. Closing the window asks whether to keep sending
          in the background.
        </p>
      )}
    </>
  );
}
