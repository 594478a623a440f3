/**
 * Every entry of the filtered waitlist, however many: a virtualized table (fixed 33 px rows; only those in view are
 * in the DOM) over the store's pages, fetched from main as they come into view. Rows are ticked for a run.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { fullWhen, when } from '../../lib/format.ts';
import { useWaitlist } from '../../store/waitlist.ts';
import { STATUS_LABEL } from './labels.ts';

const ROW_PX = 33;

export function WaitlistTable() {
  const rows = useWaitlist((s) => s.rows);
  const total = useWaitlist((s) => s.total);
  const ticked = useWaitlist((s) => s.ticked);
  const allMatching = useWaitlist((s) => s.allMatching);
  const gen = useWaitlist((s) => s.gen);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; it re-renders on scroll itself
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 20 });
  const items = virtual.getVirtualItems();
  const from = items[0]?.index ?? 0;
  const to = (items.at(-1)?.index ?? -1) + 1;
  useEffect(() => {
    useWaitlist.getState().need(from, to);
  }, [from, to, total, gen]);
  useEffect(() => {
    // Another filter shows other entries: from the first one. (Braces: scrollTo's result is not a clean-up.)
    scroller.current?.scrollTo(0, 0);
  }, [gen]);
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  const { tick, tickAll } = useWaitlist.getState();
  return (
    <div className="run-rows-scroll" ref={scroller} data-testid="waitlist-scroll">
      <table className="run-rows waitlist-rows" data-testid="waitlist-rows" aria-rowcount={total + 1}>
        <thead>
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
        </thead>
        <tbody>
          {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
          {items.map((v) => {
            const r = rows[v.index];
            if (!r)
              return (
                <tr key={`loading-${v.index}`} className="row-loading" aria-rowindex={v.index + 2}>
                  <td />
                  <td className="muted" colSpan={4}>
                    …
                  </td>
                </tr>
              );
            return (
              <tr key={r.id} className={`row-wl-${r.status}`} data-testid="waitlist-row" aria-rowindex={v.index + 2}>
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
            );
          })}
          {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
