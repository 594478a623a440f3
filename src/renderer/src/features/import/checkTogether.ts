/**
 * A new sheet's rows checked on two cores: the import's worker from the first row down (importJobs.ts), this
 * window from the last row up, in chunks, until they meet. Neither waits for the other (the one that is slowed by other work, main
 * storing the sheet say, simply checks fewer rows); a row both happen to check gets the same outcome twice.
 */
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import { checkRows, type CheckedRows } from '../../../../shared/domain/sheet/validate.ts';

export const CHECK_CHUNK = 4096;

/** What the worker has checked so far: rows [0, covered); `done` once it stopped (met us, finished, or failed). */
export type CheckFeed = { parts: CheckedRows[]; covered: number; done: boolean; stopAt(row: number): void };

export const newFeed = (stopAt: (row: number) => void): CheckFeed => ({ parts: [], covered: 0, done: false, stopAt });

/** A task boundary, so the worker's messages come in between chunks. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** This window's side: checks from the end until it meets what the worker covered. Returns every part, both sides'. */
export async function checkFromTheEnd(
  sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>,
  feed: CheckFeed | null,
  chunk = CHECK_CHUNK,
): Promise<CheckedRows[]> {
  const mine: CheckedRows[] = [];
  let hi = sheet.rows.length;
  // First take in what the worker has done already (when it prepared the rows ahead, that is all of them): the
  // window's first chunk runs cold, several times slower than the worker's.
  if (feed) await yieldToEvents();
  while (hi > (feed?.covered ?? 0)) {
    const from = Math.max(feed?.covered ?? 0, hi - chunk);
    mine.push(checkRows(sheet, from, hi));
    hi = from;
    if (!feed) continue;
    // The worker starts no chunk at or past here; then its news (chunks done) comes in.
    feed.stopAt(hi);
    await yieldToEvents();
  }
  return feed ? [...feed.parts, ...mine] : mine;
}
