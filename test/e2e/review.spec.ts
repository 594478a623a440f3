import { expect, test } from './harness.ts';
import { openSheetsPage } from './sheetHelpers.ts';

test('the review says what every invitation will say, and shows a row exactly as Clerk receives it (issue 13)', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill('email\tpublic.cohort\nana@acme.test\tfall\nbo@acme.test\tspring\n');
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  await page.getByTestId('tab-settings').click();
  const org = page.getByTestId('settings-org');
  const orgId = await org.locator('option', { hasText: 'Globex Support' }).getAttribute('value');
  await org.selectOption(orgId!);
  await page.getByTestId('settings-role').selectOption('org:viewer');
  await page.getByTestId('settings-expires').fill('14');
  await page.getByTestId('settings-redirect').fill('https://app.acme.test/welcome');
  await expect(page.getByTestId('sheet-counts')).toHaveText('2 ready · 0 with problems · 0 duplicates');

  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-target')).toContainText('Globex Support');
  // Before: only the target, the counts and the plan; nothing about what the invitations say.
  await expect(review.getByTestId('review-what-notify')).toHaveText(/notify\s*yes$/);
  await expect(review.getByTestId('review-what-ignore_existing')).toContainText('not sent: organization invitations have none');
  await expect(review.getByTestId('review-what-expires_in_days')).toHaveText(/expires_in_days\s*14 days$/);
  await expect(review.getByTestId('review-what-redirect_url')).toContainText('“https://app.acme.test/welcome”');
  await expect(review.getByTestId('review-what-template_slug')).toContainText('not sent');
  await expect(review.getByTestId('review-what-role')).toHaveText(/role\s*org:viewer$/);
  await expect(review.getByTestId('review-what-public_metadata')).toHaveText(/public_metadata\s*keys cohort$/);
  const sample = review.getByTestId('review-sample');
  await sample.locator('summary').click();
  await expect(sample.locator('pre')).toHaveText(
    JSON.stringify(
      {
        email_address: 'ana@acme.test',
        role: 'org:viewer',
        public_metadata: { cohort: 'fall' },
        redirect_url: 'https://app.acme.test/welcome',
        expires_in_days: 14,
        notify: true,
      },
      null,
      2,
    ),
  );
  await expect(sample).toContainText('Exactly what row 1 will send');
});
