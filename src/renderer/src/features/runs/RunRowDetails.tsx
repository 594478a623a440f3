/** One run row in full, below the table: what the cells cut (Clerk's whole message and next step, long addresses). */
import { useEffect, useRef } from 'react';
import { isMemberRow } from '../../../../shared/domain/send/outcome.ts';
import type { RunRowView } from '../../../../shared/domain/send/types.ts';
import { fullWhen } from '../../lib/format.ts';
import { useUi } from '../../store/ui.ts';
import { FILTER_LABEL, outcomeLabel } from './RunRowsTable.tsx';

export function RunRowDetails({ row, revoke, onClose }: { row: RunRowView; revoke: boolean; onClose: () => void }) {
  const toast = useUi((s) => s.toast);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    // Braces: Chromium's scrollIntoView may return a promise, which React would take for a clean-up function.
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [row.idx]);
  // Added to an organization directly: no invitation, and the id is the user's.
  const member = isMemberRow(row);
  // A repair run's rows are users (or memberships) written, not invitations.
  const user = member || row.invitationStatus === 'repaired';
  const copy = (text: string, what: string) => void navigator.clipboard.writeText(text).then(() => toast('info', `${what} copied.`));
  return (
    <section className="run-row-details" ref={ref} aria-label={`Row ${row.sheetRow + 1}`} data-testid="run-row-details">
      <header>
        <strong>
          Row {row.sheetRow + 1} · {row.email}
        </strong>
        <button type="button" className="link" onClick={onClose} data-testid="run-row-details-close">
          Close
        </button>
      </header>
      <dl>
        <dt>Outcome</dt>
        <dd>
          {member ? FILTER_LABEL.member : outcomeLabel(row.state, revoke)}
          {row.invitationStatus && row.state === 'sent' && !member ? ` · ${row.invitationStatus}` : ''}
          {row.attempts > 1 ? ` · after ${row.attempts} tries` : ''}
        </dd>
        {row.metadata && (
          <>
            <dt>Metadata</dt>
            <dd data-testid="run-row-metadata">{row.metadata.label}</dd>
          </>
        )}
        {row.errorCode && (
          <>
            <dt>Clerk’s code</dt>
            <dd>
              <code>{row.errorCode}</code>
            </dd>
          </>
        )}
        {row.message && (
          <>
            <dt>{row.state === 'failed' ? 'What to do' : 'Note'}</dt>
            <dd className="run-row-message">{row.message}</dd>
          </>
        )}
        {row.invitationId && (
          <>
            <dt>{user ? 'User' : 'Invitation'}</dt>
            <dd>
              <code>{row.invitationId}</code>{' '}
              <button type="button" className="link" onClick={() => copy(row.invitationId!, user ? 'User id' : 'Invitation id')}>
                Copy
              </button>
            </dd>
          </>
        )}
        {row.url && (
          <>
            <dt>Accept link</dt>
            <dd>
              <button type="button" className="link" onClick={() => copy(row.url!, 'Accept link')}>
                Copy link
              </button>
            </dd>
          </>
        )}
        {row.expiresAt !== null && (
          <>
            <dt>Expires</dt>
            <dd>{fullWhen(row.expiresAt)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
