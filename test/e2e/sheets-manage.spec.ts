import { readFileSync } from 'node:fs';
import { messyCsv } from '../helpers/fixtures.ts';
import { expect, test } from './harness.ts';
import { cell, findCell, importMessyCsv, openSheetsPage } from './sheetHelpers.ts';

test('find and replace, filter to problems and duplicates, insert and delete rows', async ({ app }) => {
  const page = await openSheetsPage(app);
  await importMessyCsv(page, messyCsv());
  // Filter: only the rows with problems, then only duplicates.
  await page.getByTestId('filter').selectOption('problems');
  await expect(cell(page, 0, 0)).toHaveText('not-an-email');
  await expect(cell(page, 0, 1)).toHaveText('ADA@example.com');
  await expect(cell(page, 0, 2)).toHaveCount(0);
  await page.getByTestId('filter').selectOption('duplicates');
  await expect(cell(page, 0, 0)).toHaveText('ADA@example.com');
  await page.getByTestId('filter').selectOption('all');

  // Replace all: one undoable step.
  await page.getByTestId('find-toggle').click();
  await page.getByTestId('find-input').fill('example.com');
  await page.getByTestId('replace-input').fill('example.org');
  await page.getByTestId('replace-all').click();
  await expect(page.getByTestId('toast-info').last()).toContainText('Replace “example.com” in 4 cells');
  await expect(cell(page, 0, 0)).toHaveText('ada@example.org');
  await page.getByTestId('undo').click();
  await expect(cell(page, 0, 0)).toHaveText('ada@example.com');

  // Delete the duplicate row, then undo brings it back in place.
  await findCell(page, 'ADA@example.com');
  await page.getByTestId('delete-rows').click();
  await expect(cell(page, 0, 3)).toHaveText('linus@example.com');
  await expect(page.getByTestId('sheet-counts')).toHaveText('3 ready · 1 with problems · 0 duplicates');
  await page.getByTestId('undo').click();
  await expect(cell(page, 0, 3)).toHaveText('ADA@example.com');
});

test('the sheet list: rename, duplicate, delete with undo, export to CSV', async ({ app }) => {
  const page = await openSheetsPage(app);
  await importMessyCsv(page, messyCsv());
  await page.getByTestId('sheet-name').fill('October hires');
  await page.getByTestId('sheet-name').press('Enter');
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffE-mail,Full name,public.team.name,public_metadata,Expires');
  expect(csv).toContain('grace@example.com,"Grace\nHopper",Compilers,,14');
  expect(await (await download).suggestedFilename()).toBe('October hires.csv');

  await page.getByTestId('sheet-close').click();
  const items = page.getByTestId('sheet-item');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('October hires');
  await expect(items.first()).toContainText('5');
  await items.first().getByTestId('sheet-duplicate').click();
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('sheet-list')).toContainText('October hires (copy)');
  await items.filter({ hasText: '(copy)' }).getByTestId('sheet-delete').click();
  await expect(items).toHaveCount(1);
  await page.getByTestId('toast-action').click(); // Undo
  await expect(items).toHaveCount(2);
});

test('organization sheet settings: pick an org and a role from its role set; rows become ready', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill('email\tpublic.team\nann@globex.test\tSupport\nbob@globex.test\tSupport\n');
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  // No organization or role yet: the rows wait for the sheet's settings; none has a problem of its own (issue 21 #6).
  await expect(page.getByTestId('sheet-counts')).toHaveText(
    '0 ready · 2 waiting for the sheet’s settings · 0 with problems · 0 duplicates',
  );
  await page.getByTestId('tab-settings').click();
  const org = page.getByTestId('settings-org');
  await expect(org.locator('option', { hasText: 'Globex Support' })).toHaveCount(1);
  const orgId = await org.locator('option', { hasText: 'Globex Support' }).getAttribute('value');
  await org.selectOption(orgId!);
  await expect(page.getByTestId('settings-role').locator('option')).toContainText(['Viewer (org:viewer)']);
  await page.getByTestId('settings-role').selectOption('org:viewer');
  await expect(page.getByTestId('sheet-counts')).toHaveText('2 ready · 0 with problems · 0 duplicates');
  await page.getByTestId('tab-metadata').click();
  await findCell(page, 'ann@globex.test');
  await expect(page.getByTestId('row-preview')).toContainText('"role": "org:viewer"');
});
