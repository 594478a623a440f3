/**
 * In the review: the rows whose email already has an account in the instance (looked up in Clerk before sending),
 * and the choice for them: application sheets skip them or invite them anyway; organization sheets add them to the
 * organization directly (no email, no invitation budget) or invite them anyway. Also the look-up's progress.
 */
import { useEffect, useState } from 'react';
import type { ExistingChoice, ExistingUsers as Existing, ReviewProgress } from '../../../../shared/domain/send/types.ts';
import { plural } from '../../../../shared/plural.ts';
import { RowNumbers } from '../../components/RowNumbers.tsx';
import { getApi } from '../../lib/api.ts';

const day = (t: number) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

const LABEL: Record<ExistingChoice, (org: string) => string> = {
  skip: () => 'Skip them (Clerk refuses an invitation to an existing account)',
  invite: () => 'Invite them anyway (an invitation email each, with ignore existing)',
  add: (org) => `Add them to ${org} directly (no email, no invitation budget)`,
};

export function ExistingUsers({
  existing,
  organizationName,
  choice,
  onChoose,
  disabled = false,
}: {
  existing: Existing;
  organizationName: string | null;
  /** The user's choice, held by the dialog (the box follows it at once, not the re-asked review). */
  choice: ExistingChoice;
  onChoose: (c: ExistingChoice) => void;
  /** Shown as chosen, not to be changed (an approver's read-only review). */
  disabled?: boolean;
}) {
  if (existing.error)
    return (
      <p className="callout" data-testid="review-existing-error">
        Could not check with Clerk who already has an account ({existing.error}): those rows go as invitations.
      </p>
    );
  const n = existing.rows.length;
  if (n === 0) return null;
  const s = existing.since;
  const since = s ? (s.first === s.last || day(s.first) === day(s.last) ? day(s.first) : `${day(s.first)} – ${day(s.last)}`) : '';
  return (
    <div className="history-groups" data-testid="review-existing">
      <p>
        <strong data-testid="review-existing-count">
          {plural(n, 'row')}: {n === 1 ? 'already has an account' : 'already have an account'} (user since {since})
        </strong>{' '}
        <RowNumbers rows={existing.rows} />
      </p>
      {existing.choices.map((c) => (
        <label key={c} className="resend">
          <input
            type="radio"
            name="existing-choice"
            checked={choice === c}
            disabled={disabled}
            onChange={() => onChoose(c)}
            data-testid={`review-existing-${c}`}
          />{' '}
          {LABEL[c](organizationName ?? 'the organization')}
        </label>
      ))}
    </div>
  );
}

/** While the review looks the sheet's addresses up in Clerk (100 a request): how far it got. */
export function ExistingCheckProgress({ sheetId }: { sheetId: string }) {
  const [p, setP] = useState<ReviewProgress | null>(null);
  useEffect(
    () =>
      getApi().on('runs:reviewProgress', (x) => {
        if (x.sheetId === sheetId) setP(x);
      }),
    [sheetId],
  );
  if (!p || p.checked >= p.total) return null;
  return (
    <p className="muted" data-testid="review-existing-progress">
      Checking who already has an account: {p.checked.toLocaleString()} of {p.total.toLocaleString()} addresses…
    </p>
  );
}

/** The Send button's words: the invitations, and the people added as members. */
export const sendLabel = (toSend: number, members: number) =>
  members > 0 ? `Send ${plural(toSend - members, 'invitation')}, add ${plural(members, 'member')}` : `Send ${plural(toSend, 'invitation')}`;
