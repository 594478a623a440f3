/**
 * Every entry of the filtered waitlist, however many: a virtualized table (fixed 33 px rows; only those in view are
 * in the DOM) over the store's pages, fetched from main as they come into view. Rows are ticked for a run.
 */
import { VirtualTable } from '../../components/VirtualTable.tsx';
import { fullWhen, when } from '../../lib/format.ts';
import { useWaitlist } from '../../store/waitlist.ts';
import { STATUS_LABEL } from './labels.ts';

export function WaitlistTable() {
  const rows = useWaitlist((s) => s.rows);
  const total = useWaitlist((s) => s.total);
  const ticked = useWaitlist((s) => s.ticked);
  const allMatching = useWaitlist((s) => s.allMatching);
  const gen = useWaitlist((s) => s.gen);
  const { need, tick, tickAll } = useWaitlist.getState();
  return (
    <VirtualTable
      total={total}
      rows={rows}
      need={need}
      resetKey={gen}
      testIds={{ table: 'waitlist-rows', scroll: 'waitlist-scroll' }}
      className="run-rows waitlist-rows"
      loading={{ lead: 1, span: 4 }}
      head={
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label={`Select all ${total.toLocaleString()} shown entries`}
              data-testid="waitlist-select-all"
              checked={total > 0 && allMatching}
              onChange={(e) => tickAll(e.target.checked)}
            />
          </th>
          <th>Email</th>
          <th>Status</th>
          <th>Requested</th>
          <th>Invitation</th>
        </tr>
      }
      row={(r, at) => (
        <tr key={r.id} className={`row-wl-${r.status}`} data-testid="waitlist-row" aria-rowindex={at}>
          <td>
            <input
              type="checkbox"
              aria-label={`Select ${r.email}`}
              checked={allMatching || ticked.has(r.id)}
              onChange={(e) => tick(r.id, e.target.checked)}
            />
          </td>
          <td title={r.email}>{r.email}</td>
          <td data-testid="waitlist-row-status">
            {STATUS_LABEL[r.status]}
            {r.isLocked && (
              <span className="muted small" title="Clerk is processing it in a batch action: actions wait until it is free">
                {' '}
                · locked
              </span>
            )}
          </td>
          <td title={fullWhen(r.createdAt)}>{when(r.createdAt)}</td>
          <td>{r.invitationId && <code title={r.invitationId}>{r.invitationId}</code>}</td>
        </tr>
      )}
    />
  );
}
