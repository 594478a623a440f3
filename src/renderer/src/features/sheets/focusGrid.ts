/**
 * Puts keyboard focus on the grid's selected cell once the grid can take it. Right after a sheet opens, Glide may not
 * have measured itself yet (a loaded machine, a slow first layout): a focus() then lands on nothing, and the person's
 * first keys go nowhere. So focus is tried again each frame, for a bounded number of frames, until the selected cell
 * holds it; the retries stop at once if the person has put focus somewhere else meanwhile.
 */
import type { DataEditorRef } from '@glideapps/glide-data-grid';
import type { RefObject } from 'react';

const MAX_FRAMES = 30; // about half a second at 60 Hz: more than any first layout takes

/** The id of the accessible cell Glide mirrors a grid cell into; its columns count SheetGrid's row-marker column. */
export const cellElementId = (col: number, row: number) => `glide-cell-${col + 1}-${row}`;

/**
 * Whether a later try may take focus from where it is now: nowhere (the page), or the grid's own canvas and cells.
 * Not the rest of the grid's wrapper: the column menu (Alt+↓) is drawn there, and a try took its focus away.
 */
export function mayRetake(at: Element | null, body: Element | null, wrap: { contains(e: Element): boolean } | null): boolean {
  return at === null || at === body || ((wrap?.contains(at) ?? false) && at.closest('[data-testid="data-grid-canvas"]') !== null);
}

export function focusGridCell(grid: RefObject<DataEditorRef | null>, col: number, row: number, frames = MAX_FRAMES): void {
  requestAnimationFrame(() => {
    const at = document.activeElement;
    const wrap = document.querySelector<HTMLElement>('[data-testid="sheet-grid"]');
    // The first try is what the caller asked for (a problem or a find hit clicked: the grid takes focus from them).
    // A later try never takes focus back from somewhere the person has put it since (a dialog, a field).
    if (frames < MAX_FRAMES && !mayRetake(at, document.body, wrap)) return;
    grid.current?.scrollTo(col, row);
    grid.current?.focus();
    // Glide gives focus to a cell only when that cell is drawn while the grid holds focus; a cell drawn while focus was
    // elsewhere (the person clicked Find just as the sheet opened) is never remembered, and Glide focuses its canvas
    // instead, for good. The cell is then focused here, so keys and screen readers land on it.
    const cellEl = document.getElementById(cellElementId(col, row));
    if (cellEl && document.activeElement?.getAttribute('data-testid') === 'data-grid-canvas') cellEl.focus({ preventScroll: true });
    const now = document.activeElement;
    const onCell = now?.getAttribute('role') === 'gridcell' && now.getAttribute('aria-selected') === 'true';
    if (!onCell && frames > 0) focusGridCell(grid, col, row, frames - 1);
  });
}
