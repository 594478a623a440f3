import type { Locator } from '@playwright/test';

/** Where a run row sits in the detail's scroll box: how far the box scrolled, whether it can, and whether the row is
 * wholly inside it (a history hit must open its run scrolled to the row). */
export const placeInRows = (row: Locator) =>
  row.evaluate((tr) => {
    const box = tr.closest('[data-testid="run-rows-scroll"]')!;
    const r = tr.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return { scrollTop: box.scrollTop, overflows: box.scrollHeight > box.clientHeight, inside: r.top >= b.top && r.bottom <= b.bottom };
  });
