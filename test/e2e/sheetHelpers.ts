import type { Locator, Page } from '@playwright/test';
import { expect, type Harness } from './harness.ts';

/** A sheet cell as Glide Data Grid mirrors it into its accessible table (0 = row markers, 1 = Status, 2… = the sheet). */
export const cell = (page: Page, col: number, row: number) => page.getByTestId(`glide-cell-${col + 2}-${row}`);

export async function openSheetsPage(app: Harness): Promise<Page> {
  await app.open();
  await app.page.getByTestId('nav-sheets').click();
  await expect(app.page.getByTestId('import-dropzone')).toBeVisible();
  return app.page;
}

export async function importMessyCsv(page: Page, csv: Uint8Array): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('map-target-4').selectOption('field:expires_in_days');
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
}

/** Selects the first cell containing `text` the way a user would: Find, then Find next. */
export async function findCell(page: Page, text: string): Promise<void> {
  if (!(await page.getByTestId('find-bar').isVisible())) await page.getByTestId('find-toggle').click();
  await page.getByTestId('find-input').fill(text);
  await page.getByTestId('find-next').click(); // selects the cell and gives the grid the keyboard
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toBeFocused();
}

/** Pastes the way a user does after copying cells in Excel or Google Sheets: TSV on the clipboard, then Ctrl+V. */
export async function pasteTsv(page: Page, tsv: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((text) => navigator.clipboard.writeText(text), tsv);
  await page.keyboard.press('Control+V');
}

/** Screen point in the middle of a sheet cell: two 36 px header rows (mapping group + title), 34 px rows,
 * the row-marker column, then Status (220 px), Email (240 px) and 160 px for the other columns. */
export async function cellPoint(page: Page, col: number, row: number): Promise<[number, number]> {
  const box = (await page.getByTestId('data-grid-canvas').boundingBox())!;
  const widths = [240, ...Array<number>(20).fill(160)];
  const x = box.x + 33 + 220 + widths.slice(0, col).reduce((a, b) => a + b, 0) + 40;
  const y = box.y + 72 + 34 * row + 17;
  return [x, y];
}

/** Replaces a CodeMirror JSON editor's content as a user does: select all (Ctrl+A), then type. */
export async function typeJson(editor: Locator, text: string): Promise<void> {
  const content = editor.locator('.cm-content');
  await content.click();
  await content.press('Control+A');
  await editor.page().keyboard.insertText(text);
  await expect(content).toHaveText(text);
}

/** Pastes `tsv` on the import screen and creates the sheet; waits until the new sheet has put focus somewhere. */
export async function pasteSheet(page: Page, tsv: string): Promise<void> {
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(tsv);
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  // The new sheet puts focus on its first problem (or Send…): wait for it, so Find does not race it.
  await expect.poll(() => page.evaluate(() => document.activeElement !== document.body)).toBe(true);
}
