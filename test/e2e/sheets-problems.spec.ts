import { expect, test } from './harness.ts';
import { cell, openSheetsPage } from './sheetHelpers.ts';

test('an organization sheet with no organization picked lists that once, not once per row, and cannot be sent (issue 13)', async ({
  app,
}) => {
  const page = await openSheetsPage(app);
  const csv = ['email', ...Array.from({ length: 5001 }, (_, i) => `user${i}@acme.test`)].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  // Before (issue 21 #6): “0 ready · 5,001 with problems”, every Status cell repeating “Pick an organization…”.
  await expect(page.getByTestId('sheet-counts')).toHaveText(
    '0 ready · 5,001 waiting for the sheet’s settings · 0 with problems · 0 duplicates',
  );
  await expect(cell(page, -1, 0)).toHaveText('Waiting for the sheet’s settings');
  // Before: “Problems (10,003)”, one role and one organization problem for each of the 5,001 rows; then the
  // role before the organization its role set comes from.
  await expect(page.getByTestId('tab-problems')).toHaveText('Problems (2)');
  await expect(page.getByTestId('problem')).toHaveText([
    /^Sheet\s*Pick an organization in the sheet settings/,
    /^Sheet\s*Pick a default role in the sheet settings \(or map a Role column\)$/,
  ]);
  await expect(page.getByTestId('send-open')).toBeDisabled();
  // A sheet's problem is fixed in its settings: a click opens them.
  await page.getByTestId('problem').first().click();
  await expect(page.getByTestId('settings-org')).toBeVisible();
});
