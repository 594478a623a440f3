import { expect, test } from './harness.ts';

test('adding a production profile while a sheet is open leaves the sheet sending where it did (issue 13)', async ({ app }) => {
  await app.open();
  const { page } = app;
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill('email\nana@acme.test\nbo@acme.test');
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  const switcher = page.getByTestId('profile-switcher');
  await expect(switcher.getByTestId('env-badge')).toHaveText('Sandbox');

  // Before: this made the production profile active, under the open sheet.
  const prod = [...app.emulator.instances.values()][1]!;
  await page.getByTestId('nav-profiles').click();
  await page.getByTestId('profile-name').fill('Acme production');
  await page.getByTestId('profile-key').fill(prod.secretKey);
  await page.getByRole('button', { name: 'Advanced: API base URL' }).click();
  await page.getByTestId('profile-base-url').fill(app.emulator.apiUrl);
  await expect(page.getByTestId('profile-activate')).not.toBeChecked();
  await page.getByTestId('add-profile-submit').click();
  await expect(page.getByTestId('toast-info')).toContainText('Sheets still send to “Sandbox”');
  await expect(page.locator('[data-testid^="profile-"].profile-prod')).toContainText('Acme production');
  await expect(switcher.getByTestId('env-badge')).toHaveText('Sandbox');
  await expect(switcher).not.toHaveClass(/switcher-prod/);

  await page.getByTestId('nav-sheets').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await page.getByTestId('send-open').click();
  const target = page.getByTestId('review-dialog').getByTestId('review-target');
  await expect(target).toContainText('Sandbox');
  await expect(target).not.toContainText('Acme production');
  await expect(page.getByTestId('review-confirm')).toHaveCount(0);
});
