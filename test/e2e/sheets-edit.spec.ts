import { messyCsv } from '../helpers/fixtures.ts';
import { expect, test } from './harness.ts';
import { cell, findCell, importMessyCsv, openSheetsPage, pasteTsv, typeJson } from './sheetHelpers.ts';

test('fix errors in the grid, paste a TSV block, fill down, undo and redo; all of it survives a reload', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1600, height: 800 }); // every column on screen
  await importMessyCsv(page, messyCsv());
  const counts = page.getByTestId('sheet-counts');
  await expect(counts).toHaveText('3 ready · 1 with problems · 1 duplicate');

  // Fix the bad email in place.
  await findCell(page, 'not-an-email');
  await page.keyboard.press('Enter');
  const editor = page.locator('#portal textarea');
  await expect(editor).toBeFocused(); // the cell editor is open
  await editor.fill('barbara@example.com');
  await editor.press('Enter');
  await expect(cell(page, 0, 2)).toHaveText('barbara@example.com');
  await expect(counts).toHaveText('4 ready · 0 with problems · 1 duplicate');

  // Undo and redo that edit.
  await page.getByTestId('undo').click();
  await expect(cell(page, 0, 2)).toHaveText('not-an-email');
  await expect(counts).toHaveText('3 ready · 1 with problems · 1 duplicate');
  await page.getByTestId('redo').click();
  await expect(cell(page, 0, 2)).toHaveText('barbara@example.com');

  // Paste a 2×2 block copied from a spreadsheet onto the last row: it overwrites it and adds a row.
  await findCell(page, 'linus@example.com');
  await pasteTsv(page, 'new1@Example.org\tNew One\nnew2@example.org\tNew Two\n');
  await expect(cell(page, 0, 4)).toHaveText('new1@example.org');
  await expect(cell(page, 1, 4)).toHaveText('New One');
  await expect(cell(page, 0, 5)).toHaveText('new2@example.org');
  await expect(cell(page, 1, 5)).toHaveText('New Two');
  await expect(counts).toHaveText('5 ready · 0 with problems · 1 duplicate');

  // Fill down Expires (column 5) from row 1 over rows 2 and 3 with Ctrl+D.
  await findCell(page, 'ada@example.com');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Control+d');
  await expect(cell(page, 4, 1)).toHaveText('7');
  await expect(cell(page, 4, 2)).toHaveText('7');
  // Ctrl+Z undoes the whole fill in one step.
  await page.keyboard.press('Control+z');
  await expect(cell(page, 4, 1)).toHaveText('14');
  await page.keyboard.press('Control+Shift+z');
  await expect(cell(page, 4, 1)).toHaveText('7');

  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await page.reload();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await expect(cell(page, 0, 2)).toHaveText('barbara@example.com');
  await expect(cell(page, 0, 5)).toHaveText('new2@example.org');
  await expect(cell(page, 4, 2)).toHaveText('7');
  await expect(counts).toHaveText('5 ready · 0 with problems · 1 duplicate');
});

test('bulk-apply metadata to a selection with a preview, edit one row in the JSON editor, and undo', async ({ app }) => {
  const page = await openSheetsPage(app);
  await importMessyCsv(page, messyCsv());
  // The sheet opens on its first problem (row 3), so find a text only row 1 has: Find next searches on from there.
  await findCell(page, 'Ada Lovelace');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.getByTestId('tab-metadata').click();
  const bulk = page.getByTestId('bulk-metadata');
  await expect(bulk).toContainText('Apply to 3 selected rows');
  await page.getByTestId('bulk-path').fill('cohort.name');
  await typeJson(page.getByTestId('bulk-value'), '"fall-2026"');
  const preview = page.getByTestId('bulk-preview');
  await expect(preview).toContainText('Row 1: {"tier":"gold","cohort":{"name":"fall-2026"},"team":{"name":"Engines"}}');
  await expect(preview).toContainText('Row 2: {"cohort":{"name":"fall-2026"},"team":{"name":"Compilers"}}');
  await page.getByTestId('bulk-apply').click();
  await expect(cell(page, 3, 0)).toHaveText('{"tier":"gold","cohort":{"name":"fall-2026"}}');
  await expect(cell(page, 3, 1)).toHaveText('{"cohort":{"name":"fall-2026"}}');
  await expect(cell(page, 3, 3)).toHaveText(''); // row 4 was not selected

  // One row at a time: the JSON editor and the exact request preview.
  await findCell(page, 'linus@example.com');
  const rowMeta = page.getByTestId('row-metadata');
  await expect(rowMeta).toContainText('Row 5 metadata');
  await typeJson(rowMeta.getByTestId('row-public-json'), '{"tier":"platinum"}');
  await page.getByTestId('row-metadata-save').click();
  await expect(page.getByTestId('row-preview')).toContainText('"tier": "platinum"');
  // Clerk's wire names, as sent (before: the app's own camelCase, "emailAddress").
  await expect(page.getByTestId('row-preview')).toContainText('"email_address": "linus@example.com"');
  await expect(page.getByTestId('row-preview')).toContainText('"public_metadata": {');
  await expect(page.getByTestId('row-preview')).not.toContainText('emailAddress');

  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect(cell(page, 3, 0)).toHaveText('{"tier":"gold"}');
});
