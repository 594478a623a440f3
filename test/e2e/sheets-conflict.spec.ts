/**
 * A sheet saved elsewhere after it was opened here (a teammate on a shared sheet, here another writer of the same
 * database): this window's next save is refused with when, every edit typed here stays on screen, and the user either
 * saves theirs as a copy or drops it and reloads.
 */
import { messyCsv } from '../helpers/fixtures.ts';
import { expect, test, type Harness } from './harness.ts';
import type { Page } from '@playwright/test';
import { cell, importMessyCsv, openSheetsPage } from './sheetHelpers.ts';

const REFUSED = /^Not saved: Another window on this computer changed this sheet at .+; reload it or save yours as a copy\.$/;

/** Types `text` into the selected cell as a user does: Enter, the text, Enter. */
async function typeHere(page: Page, text: string) {
  await expect(page.locator('[role=gridcell][aria-selected=true]').first()).toBeFocused();
  await page.keyboard.press('Enter');
  const editor = page.locator('#portal textarea');
  await editor.fill(text);
  await editor.press('Enter');
}

/** Opens an imported sheet, lets someone else save it, then types here: the refused save. */
async function refusedSave(app: Harness) {
  const page = await openSheetsPage(app);
  await importMessyCsv(page, messyCsv());
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const [sheet] = await app.services.sheets.list();
  await app.services.sheets.save({ id: sheet!.id, name: 'Renamed elsewhere' });
  // The sheet opened on its first problem, row 3's email: typing there.
  await expect(cell(page, 0, 2)).toHaveText('not-an-email');
  await typeHere(page, 'mine@example.com');
  await expect(page.getByTestId('save-state')).toHaveText(REFUSED);
  await expect(cell(page, 0, 2)).toHaveText('mine@example.com'); // what was typed stays
  return { page, id: sheet!.id };
}

test("a refused save keeps the edits; 'Save mine as a copy' saves them as a new sheet and the other stays as saved", async ({ app }) => {
  const { page, id } = await refusedSave(app);
  // Leaving would drop the edits: it says so instead.
  await page.getByTestId('sheet-close').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await page.getByTestId('sheet-save-copy').click();
  await expect(page.getByTestId('save-conflict')).toBeHidden();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect(page.getByTestId('sheet-name')).toHaveValue(/\(my copy\)$/);
  await expect(cell(page, 0, 2)).toHaveText('mine@example.com');
  const copyId = (await app.services.sheets.list()).find((s) => s.id !== id)!.id;
  expect((await app.services.sheets.get(copyId)).rows[2]?.[0]).toBe('mine@example.com');
  const original = await app.services.sheets.get(id);
  expect(original.name).toBe('Renamed elsewhere');
  expect(original.rows[2]?.[0]).toBe('not-an-email');
  // The copy goes on saving as usual.
  await page.keyboard.press('ArrowUp'); // Enter moved the selection down a row
  await typeHere(page, 'mine2@example.com');
  await expect(cell(page, 0, 2)).toHaveText('mine2@example.com');
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect.poll(async () => (await app.services.sheets.get(copyId)).rows[2]?.[0]).toBe('mine2@example.com');
});

test('Reload asks first, then drops the edits and shows the sheet as last saved', async ({ app }) => {
  const { page } = await refusedSave(app);
  await page.getByTestId('sheet-reload').click();
  await expect(cell(page, 0, 2)).toHaveText('mine@example.com'); // nothing dropped yet
  await page.getByTestId('sheet-reload-confirm').click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect(page.getByTestId('sheet-name')).toHaveValue('Renamed elsewhere');
  await expect(cell(page, 0, 2)).toHaveText('not-an-email');
});
