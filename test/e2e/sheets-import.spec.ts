import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from '../shared/import/corpus.ts';
import { messyCsv, makeXlsx } from '../helpers/fixtures.ts';
import { expect, test } from './harness.ts';
import { cell, cellPoint, openSheetsPage } from './sheetHelpers.ts';

test('import a messy CSV, map nested metadata, and see problems marked', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.getByTestId('import-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(messyCsv()) });
  const mapping = page.getByTestId('mapping-step');
  await expect(mapping.getByTestId('import-facts')).toHaveText(/CSV · delimiter “;” · utf-8-bom · 5 rows/);
  // Automatic matches: E-mail → Email, public.team.name → nested key, public_metadata → JSON column.
  await expect(page.getByTestId('map-target-0')).toHaveValue('field:email');
  await expect(page.getByTestId('map-target-2')).toHaveValue('meta:public');
  await expect(page.getByTestId('map-path-2')).toHaveValue('team.name');
  await expect(page.getByTestId('map-target-3')).toHaveValue('field:public_metadata');
  // The user maps "Full name" to a nested key too, and "Expires" to the expiry field.
  await page.getByTestId('map-target-1').selectOption('meta:public');
  await page.getByTestId('map-path-1').fill('profile.full_name');
  await page.getByTestId('map-target-4').selectOption('field:expires_in_days');
  await page.getByTestId('import-create').click();

  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await expect(page.getByTestId('sheet-counts')).toHaveText('3 ready · 1 with problems · 1 duplicate');
  // Emails are normalized on import: trimmed, domain lower-cased.
  await expect(cell(page, 0, 0)).toHaveText('ada@example.com');
  await expect(cell(page, 1, 1)).toHaveText(/^Grace\s+Hopper$/); // the quoted newline survived
  // Hovering the bad email (row 3) shows why it is invalid.
  await page.mouse.move(...(await cellPoint(page, 0, 2)));
  await expect(page.getByTestId('cell-tip')).toHaveText('“not-an-email” is not a valid email address: it has no @');
  await page.mouse.move(...(await cellPoint(page, 0, 0)));
  await expect(page.getByTestId('cell-tip')).toHaveCount(0);
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problem')).toHaveText([/Row 3 · E-mail.*not a valid email/, /Row 4 · E-mail.*Duplicate of row 1/]);
});

test('import an .xlsx and pick its sheet', async ({ app }) => {
  const page = await openSheetsPage(app);
  const xlsx = await makeXlsx([
    { name: 'Notes', rows: [['ignore me']] },
    {
      name: 'Invitees',
      rows: [
        ['Email Address', 'Role', 'private.seat'],
        ['x@acme.test', 'org:member', 3],
        ['y@acme.test', 'org:admin', 4],
      ],
    },
  ]);
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'book.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
  // The sheet with the emails opens, not the notes in front of it; the other stays one pick away.
  await expect(page.getByTestId('import-facts')).toHaveText(/XLSX · 2 rows/);
  await expect(page.getByTestId('import-sheet-pick')).toHaveValue('Invitees');
  await page.getByTestId('import-sheet-pick').selectOption('Notes');
  await expect(page.getByTestId('import-facts')).toHaveText(/XLSX · 0 rows/);
  await page.getByTestId('import-sheet-pick').selectOption('Invitees');
  await expect(page.getByTestId('import-facts')).toHaveText(/XLSX · 2 rows/);
  await expect(page.getByTestId('map-target-0')).toHaveValue('field:email');
  await expect(page.getByTestId('map-target-1')).toHaveValue('field:role');
  await expect(page.getByTestId('map-target-2')).toHaveValue('meta:private');
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await expect(cell(page, 0, 1)).toHaveText('y@acme.test');
  await page.screenshot({ path: 'test-results/xlsx-sheet.png' });
});

test('a file with a preamble: the first rows shown as a table, the header found, nothing dropped without a word', async ({ app }) => {
  const page = await openSheetsPage(app);
  const csv = [
    'Staff export,,,',
    'Generated 2026-12-01,,,',
    'Work email,Full name,metadata,Role',
    'ana@example.com,Ana,"{""team"":""ops""}",org:admin',
    'bo@example.com,Bo,"{""team"":""eng""}",org:member',
  ].join('\r\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('import-preview').locator('tr')).toHaveCount(5);
  await expect(page.getByTestId('import-preview').locator('tr[aria-selected=true]')).toContainText('Work email');
  await expect(page.getByTestId('import-header-row')).toHaveValue('2');
  await expect(page.getByTestId('import-facts')).toHaveText(/· 2 rows/);
  await expect(page.getByTestId('map-target-0')).toHaveValue('field:email');
  await expect(page.getByTestId('map-target-2')).toHaveValue('field:public_metadata');
  // A Role column: organization invitations from the start (issue 21 #6); application ones would drop the role.
  await expect(page.getByTestId('kind-org')).toBeChecked();
  await expect(page.getByTestId('mapping-note')).toHaveText([/“Full name” is not sent \(2 of 2 rows have a value\)/]);
  await page.getByTestId('kind-app').check();
  await expect(page.getByTestId('mapping-note')).toHaveText([
    /“Full name” is not sent/,
    /“Role” is mapped to Role, but application invitations have no role/,
  ]);
});

test('a file that is not a spreadsheet is refused, naming it and what it looks like', async ({ app }) => {
  const page = await openSheetsPage(app);
  const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
  await page.getByTestId('import-file').setInputFiles({ name: 'people.xls', mimeType: 'application/vnd.ms-excel', buffer: xls });
  await expect(page.getByTestId('import-error')).toHaveText(/^people\.xls: This is a legacy Excel \.xls file .*save it as \.xlsx or CSV/);
  await expect(page.getByTestId('mapping-step')).toHaveCount(0);
});

test('a Google Contacts export: Email is the column of addresses, and a wrong pick is said before Create', async ({ app }) => {
  const page = await openSheetsPage(app);
  const file = readFileSync(join(CORPUS, 'google-contacts.csv'));
  await page.getByTestId('import-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: file });
  await expect(page.getByTestId('import-header-row')).toHaveValue('0');
  await expect(page.getByTestId('import-facts')).toHaveText(/· 5 rows/);
  await expect(page.getByTestId('map-target-30')).toHaveValue('field:email'); // “E-mail 1 - Value”
  await expect(page.getByTestId('map-target-29')).toHaveValue('ignore'); // “E-mail 1 - Type”: "* Work"
  // The preview shows every column, the Email one marked, its addresses on screen.
  const emailCells = page.getByTestId('import-preview').locator('td.is-email');
  await expect(emailCells).toHaveText(['E-mail 1 - Value', 'ana@acme.test', 'bo@acme.test', '', 'di@acme.test', 'ed@acme.test']);
  await expect(page.getByTestId('mapping-note')).toHaveCount(1); // the 9 columns left out, in one note
  // Mapping Email to the Type column is an error naming the right one, and Create waits.
  await page.getByTestId('map-target-30').selectOption('ignore');
  await page.getByTestId('map-target-29').selectOption('field:email');
  await expect(page.getByTestId('mapping-note').first()).toHaveText(
    '“E-mail 1 - Type” is mapped to Email, but none of its values is an address (“* Work”): “E-mail 1 - Value” holds the addresses',
  );
  await expect(page.getByTestId('import-create')).toBeDisabled();
  await page.getByTestId('map-target-29').selectOption('ignore');
  await page.getByTestId('map-target-30').selectOption('field:email');
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-counts')).toHaveText('4 ready · 1 with problems · 0 duplicates');
});

test('pasted recipients, "Name" <address>: the address inside is offered and taken', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill('"Ana Lima" <ana@acme.test>\tOps\nBo Berg <bo@acme.test>\tEng\ncy@acme.test\tOps');
  await page.getByTestId('import-paste-go').click();
  await expect(page.getByTestId('map-target-0')).toHaveValue('field:email');
  const offer = page.getByTestId('unwrap-emails');
  await expect(offer).toHaveText('Cells of “Column 1” like “"Ana Lima" <ana@acme.test>” hold a name and an address: keep only the address');
  await expect(offer.getByRole('checkbox')).toBeChecked();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-counts')).toHaveText('3 ready · 0 with problems · 0 duplicates');
  await expect(cell(page, 0, 0)).toHaveText('ana@acme.test');
});
