/**
 * Issue 22, end to end: the review finds the people who already have an account, the run adds them to the
 * organization directly and invites the others, and the run detail says “added as member”.
 */
import { expect, test } from './harness.ts';
import { openSheetsPage } from './sheetHelpers.ts';

test('review → run → detail: existing accounts are added to the organization directly, the others invited', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.getByTestId('import-paste-toggle').click();
  // The Sandbox knows existing.user@… (an account) and ada@… (an account, and already an admin of Globex Support).
  await page
    .getByTestId('import-paste-text')
    .fill(
      'email\tpublic.team\nnew.one@acme.test\tops\nexisting.user@sandbox.example\tops\nnew.two@acme.test\tops\nADA@sandbox.example\tops\n',
    );
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  await page.getByTestId('tab-settings').click();
  const org = page.getByTestId('settings-org');
  await org.selectOption((await org.locator('option', { hasText: 'Globex Support' }).getAttribute('value'))!);
  await page.getByTestId('settings-role').selectOption('org:member');

  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  const today = new Date().toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  await expect(review.getByTestId('review-existing-count')).toHaveText(`2 rows: already have an account (user since ${today})`);
  await expect(review.getByTestId('review-existing')).toContainText('(rows 2, 4)');
  await expect(review.getByTestId('review-existing-add')).toBeChecked();
  await expect(review.getByTestId('review-existing')).toContainText('Add them to Globex Support directly (no email, no invitation budget)');
  await expect(review.getByTestId('review-start')).toHaveText('Send 2 invitations, add 2 members');
  await expect(review.getByTestId('review-plan')).toContainText('Add as member (general limit, per 10 s)');

  // “Invite them anyway” is one click away, and back.
  await review.getByTestId('review-existing-invite').check();
  await expect(review.getByTestId('review-start')).toHaveText('Send 4 invitations');
  await review.getByTestId('review-existing-add').check();
  await expect(review.getByTestId('review-start')).toHaveText('Send 2 invitations, add 2 members');
  await review.getByTestId('review-start').click();

  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toHaveText('4 sent · 0 failed · 0 skipped · 0 remaining', { timeout: 20_000 });
  const row = (email: string) => detail.getByTestId('run-row').filter({ hasText: email });
  await expect(row('existing.user@sandbox.example')).toContainText('Added as member');
  await expect(row('ADA@sandbox.example')).toContainText('Added as member');
  await expect(row('ADA@sandbox.example')).toContainText('Already a member');
  await expect(row('new.one@acme.test')).toContainText('Sent · pending');
  await expect(detail.getByTestId('run-members-note')).toContainText('2 rows added as members directly: no invitation to revoke or resend');
  // A row's details say the same, and that its id is the user's (there is no invitation).
  await row('existing.user@sandbox.example').click();
  const more = detail.getByTestId('run-row-details');
  await expect(more).toContainText(/Outcome\s*Added as member/);
  await expect(more).not.toContainText('· member');
  await expect(more).toContainText(/User\s*user_/);
  await expect(more).not.toContainText('Invitation');
  await detail.getByTestId('run-row-details-close').click();
  await detail.getByTestId('run-filter').selectOption('member');
  await expect(detail.getByTestId('run-rows-count')).toHaveText('2 added as member rows');
  await expect(detail.getByTestId('run-row')).toHaveCount(2);
});
