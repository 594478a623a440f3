/**
 * A run's rows, however many: a virtualized table (only the rows in view are in the DOM, fixed 33 px rows) over the
 * store's pages, which are fetched from main as they come into view. Rows can be ticked for the follow-ups.
 */
import { useMemo } from 'react';
import { VirtualTable } from '../../components/VirtualTable.tsx';
import { expiryLabel } from '../../../../shared/domain/send/expiry.ts';
import { isMemberRow } from '../../../../shared/domain/send/outcome.ts';
import type { RowFilter, RowState, RunRowView } from '../../../../shared/domain/send/types.ts';
import { getApi } from '../../lib/api.ts';
import { fullWhen } from '../../lib/format.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';

export const STATE_LABEL: Record<RowState, string> = {
  queued: 'Queued',
  inflight: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Not sent',
};

/** The detail's filters: every state, and the rows added as members (sent without an invitation). */
export const FILTER_LABEL: Record<Exclude<RowFilter, 'all'>, string> = { ...STATE_LABEL, member: 'Added as member' };

/** Ticked rows (run row indexes); `all`: they are every row of that filter (“select all shown rows”). */
export type Selection = { rows: Set<number>; all: RowFilter | null };
export const NO_SELECTION: Selection = { rows: new Set(), all: null };

/** A row's outcome in words; a revoke run's sent rows are revocations. */
export const outcomeLabel = (state: RowState, revoke: boolean) => (revoke && state === 'sent' ? 'Revoked' : STATE_LABEL[state]);

export function RunRowsTable({
  runId,
  selection,
  onSelect,
  now,
  revoke,
  shortOutcomes,
  openIdx,
  onOpen,
}: {
  runId: string;
  selection: Selection;
  onSelect: (s: Selection) => void;
  now: number;
  revoke: boolean;
  /** The run's outcomes are one word (revocations, waitlist entries rejected or added: no status, no expiry), so
   * their column is narrow and the email and message have the width. */
  shortOutcomes: boolean;
  /** The row whose details are shown below the table. */
  openIdx: number | null;
  onOpen: (row: RunRowView) => void;
}) {
  const rows = useRuns((s) => s.rows);
  const total = useRuns((s) => s.total);
  const filter = useRuns((s) => s.filter);
  const focusIdx = useRuns((s) => s.focusIdx);
  const toast = useUi((s) => s.toast);
  const { need } = useRuns.getState();
  // A history hit opened this run: bring that row into view once its page is here, once per hit (the user may
  // scroll away afterwards, and live refreshes must not pull the view back).
  const focusAt = focusIdx === null ? -1 : rows.findIndex((r) => r?.idx === focusIdx);
  const scrollTo = useMemo(
    () => (focusAt < 0 ? null : { index: focusAt, key: `${runId}:${focusIdx}`, selector: '.row-focus' }),
    [focusAt, focusIdx, runId],
  );
  const selected = selection.rows;
  const selectAll = async (on: boolean) => {
    if (!on) return onSelect(NO_SELECTION);
    // Ticked at once; which rows those are (most never fetched) comes from main.
    onSelect({ rows: selected, all: filter });
    const r = await getApi().runsRowIds({ runId, state: filter });
    if (!r.ok) {
      onSelect(NO_SELECTION);
      return toast('error', r.error.message);
    }
    onSelect({ rows: new Set(r.value), all: filter });
  };
  const tick = (idx: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(idx);
    else next.delete(idx);
    onSelect({ rows: next, all: null });
  };
  return (
    <VirtualTable
      total={total}
      rows={rows}
      need={need}
      resetKey={filter}
      testIds={{ table: 'run-rows', scroll: 'run-rows-scroll' }}
      className={shortOutcomes ? 'run-rows short-outcomes' : 'run-rows'}
      loading={{ lead: 2, span: 5, testId: 'run-row-loading' }}
      scrollTo={scrollTo}
      head={
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select all shown rows"
              data-testid="select-all-rows"
              checked={total > 0 && selection.all === filter}
              onChange={(e) => void selectAll(e.target.checked)}
            />
          </th>
          <th>Row</th>
          <th>Email</th>
          <th>Outcome</th>
          <th>
            <span className="visually-hidden">Accept link</span>
          </th>
          <th>Message</th>
          <th>Invitation</th>
        </tr>
      }
      row={(r, at) => {
        // Only while it can still be accepted: an accepted or revoked invitation's expiry date (“Sent · revoked ·
        // expires Jan 4, 2027, 01:26 PM”) said nothing and pushed the rest out of the cell; the details keep it.
        const expiry = r.state === 'sent' && r.expiresAt !== null ? expiryLabel(r.expiresAt, r.invitationStatus, now) : null;
        return (
          <tr
            key={r.idx}
            className={`row-${r.state}${r.idx === focusIdx ? ' row-focus' : ''}${r.idx === openIdx ? ' row-open' : ''}`}
            data-testid="run-row"
            aria-rowindex={at}
            // A click anywhere on the row shows all of it below the table (the cells cut what is long).
            onClick={(e) => !(e.target as HTMLElement).closest('input, button') && onOpen(r)}
          >
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${r.email}`}
                checked={selected.has(r.idx)}
                onChange={(e) => tick(r.idx, e.target.checked)}
              />
            </td>
            <td>
              <button
                type="button"
                className="link"
                aria-label={`Row ${r.sheetRow + 1}: show all of it`}
                aria-expanded={r.idx === openIdx}
                onClick={() => onOpen(r)}
                data-testid="row-open"
              >
                {r.sheetRow + 1}
              </button>
            </td>
            <td title={r.email}>{r.email}</td>
            <td>
              {isMemberRow(r) ? FILTER_LABEL.member : outcomeLabel(r.state, revoke)}
              {r.invitationStatus && r.state === 'sent' && !revoke && !isMemberRow(r) ? ` · ${r.invitationStatus}` : ''}
              {r.metadata && (
                <span className={`row-meta meta-${r.metadata.status}`} title={r.metadata.label} data-testid="row-metadata">
                  {' '}
                  · {r.metadata.label}
                </span>
              )}
              {expiry && (
                <span className="muted small" title={`Expires ${fullWhen(r.expiresAt!)}`} data-testid="row-expiry">
                  {' '}
                  · {expiry}
                </span>
              )}
            </td>
            <td>
              {r.url && (
                <button
                  type="button"
                  className="link"
                  aria-label={`Copy the accept link of ${r.email}`}
                  onClick={() => void navigator.clipboard.writeText(r.url!).then(() => toast('info', 'Accept link copied.'))}
                  data-testid="row-copy-link"
                >
                  Copy link
                </button>
              )}
            </td>
            <td title={r.message ?? undefined}>
              {r.errorCode && <code>{r.errorCode}</code>} {r.message}
            </td>
            <td>{r.invitationId && <code title={r.invitationId}>{r.invitationId}</code>}</td>
          </tr>
        );
      }}
    />
  );
}
