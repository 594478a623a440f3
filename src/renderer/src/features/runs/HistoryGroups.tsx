/** In the review: rows this instance already invited, by group; skipped unless the user sends a group anyway. */
import { RowNumbers } from '../../components/RowNumbers.tsx';
import type { HistoryGroup, HistoryKey } from '../../../../shared/domain/send/types.ts';

const WHAT: Record<HistoryKey, (n: number, day: string) => string> = {
  pending: (n, day) => `${n} already invited on ${day} (pending)`,
  accepted: (n) => `${n} accepted an earlier invitation`,
  unknown: (n, day) => `${n} of unknown outcome in a run on ${day}: check in Clerk`,
};

/** `resend` is the user's choice, held by the dialog: the box follows it at once, not the (re-asked) review. */
export function HistoryGroups({
  groups,
  resend,
  onToggle,
  disabled = false,
}: {
  groups: HistoryGroup[];
  resend: readonly HistoryKey[];
  onToggle: (key: HistoryKey, resend: boolean) => void;
  /** Shown as chosen, not to be changed (an approver's read-only review). */
  disabled?: boolean;
}) {
  if (groups.length === 0) return null;
  return (
    <div className="history-groups" data-testid="review-history">
      <p>
        <strong>Already sent from this instance</strong> (from this app’s history). Skipped unless you choose otherwise:
      </p>
      <ul>
        {groups.map((g) => (
          <li key={g.key} data-testid={`review-history-${g.key}`}>
            <span>{WHAT[g.key](g.rows.length, new Date(g.lastAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }))}</span>{' '}
            <RowNumbers rows={g.rows} />
            <label className="resend">
              <input
                type="checkbox"
                checked={resend.includes(g.key)}
                disabled={disabled}
                onChange={(e) => onToggle(g.key, e.target.checked)}
                data-testid={`review-resend-${g.key}`}
              />{' '}
              Send anyway (a new invitation each, with ignore existing)
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
