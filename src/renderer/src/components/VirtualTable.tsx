/**
 * A table of any number of rows: only those in view are in the DOM (fixed 33 px rows), the rest stands as padding,
 * and the owner's store is asked for the rows that come into view (it fetches the pages it lacks from main). A new
 * filter starts from the first row; a row to bring into view (a history hit) is scrolled to once per key.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';

export const ROW_PX = 33;

export function VirtualTable<R>({
  total,
  rows,
  need,
  resetKey,
  testIds,
  className,
  head,
  loading,
  row,
  scrollTo = null,
}: {
  total: number;
  /** The rows fetched so far, by position (a gap is a row not here yet). */
  rows: readonly (R | undefined)[];
  /** The rows [from, to) are in view. */
  need: (from: number, to: number) => void;
  /** Another filter or list: back to the first row, and the rows in view asked for again. */
  resetKey: unknown;
  testIds: { table: string; scroll: string };
  className: string;
  head: ReactNode;
  /** A row not fetched yet: `lead` empty cells, then “…” across `span` cells. */
  loading: { lead: number; span: number; testId?: string };
  /** One fetched row: a `<tr>` with its key and the given aria-rowindex. */
  row: (r: R, ariaRowIndex: number) => ReactNode;
  /** Brought into view (centred) once per key, when its position is known. */
  scrollTo?: { index: number; key: string; selector: string } | null;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; it re-renders on scroll itself
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 20 });
  const items = virtual.getVirtualItems();
  const from = items[0]?.index ?? 0;
  const to = (items.at(-1)?.index ?? -1) + 1;
  const asked = useRef(need);
  asked.current = need;
  useEffect(() => {
    asked.current(from, to);
  }, [from, to, total, resetKey]);
  useEffect(() => {
    // (Braces: Chromium's scrollTo may return a promise, which React would take for a clean-up function.)
    scroller.current?.scrollTo(0, 0);
  }, [resetKey]);
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!scrollTo || scrollTo.index < 0 || scrolledTo.current === scrollTo.key) return;
    scrolledTo.current = scrollTo.key;
    virtual.scrollToIndex(scrollTo.index, { align: 'center' });
    // And the table itself into the window, should the page have scrolled: the row is on screen.
    requestAnimationFrame(() => scroller.current?.querySelector(scrollTo.selector)?.scrollIntoView({ block: 'nearest' }));
  }, [scrollTo, virtual]);
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="run-rows-scroll" ref={scroller} data-testid={testIds.scroll}>
      <table className={className} data-testid={testIds.table} aria-rowcount={total + 1}>
        <thead>{head}</thead>
        <tbody>
          {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
          {items.map((v) => {
            const r = rows[v.index];
            if (r !== undefined) return row(r, v.index + 2);
            return (
              <tr key={`loading-${v.index}`} className="row-loading" aria-rowindex={v.index + 2} data-testid={loading.testId}>
                {Array.from({ length: loading.lead }, (_, i) => (
                  <td key={i} />
                ))}
                <td className="muted" colSpan={loading.span}>
                  …
                </td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
