import { acceptInvitation } from '../../src/main/emulator/store.ts';
import { expect, test } from './harness.ts';
import { addProductionProfile } from './profileHelpers.ts';

const invitationsOf = (prod: { invitations: { emailAddress: string; status: string }[] }, email: string) =>
  prod.invitations.filter((i) => i.emailAddress === email).map((i) => i.status);

test('the review remembers what this instance was sent: a sent run opened as a sheet invites nobody twice unless asked, per group', async ({
  app,
}) => {
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production');
  const { page } = app;
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(['email', 'ann@acme.test', 'ben@acme.test', 'cat@acme.test'].join('\n'));
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-confirm').fill('Acme production');
  await page.getByTestId('review-start').click();
  const detail = page.getByTestId('run-detail');
  // Paced by the harness's compressed windows (1 bulk + 1 single request per 3 s): a few windows.
  await expect(detail.getByTestId('run-counts')).toHaveText('3 sent · 0 failed · 0 skipped · 0 remaining', { timeout: 15_000 });

  // In Clerk, Ben accepts; a sync tells the app.
  expect(acceptInvitation(prod, 'ben@acme.test', Date.now())).toBe(true);
  await detail.getByTestId('run-sync').click();
  await expect(detail.getByTestId('run-row').filter({ hasText: 'ben@acme.test' })).toContainText('Sent · accepted');

  // The whole run opened as a sheet again: every row looks ready, but the review knows better.
  await detail.getByTestId('run-to-sheet').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  const today = new Date().toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  await expect(review.getByTestId('review-history-pending')).toContainText(`2 already invited on ${today} (pending)`);
  await expect(review.getByTestId('review-history-pending')).toContainText('(rows 1, 3)');
  await expect(review.getByTestId('review-history-accepted')).toContainText('1 accepted an earlier invitation');
  await expect(review.getByTestId('review-resend-pending')).not.toBeChecked();
  await expect(review.getByTestId('review-resend-accepted')).not.toBeChecked();
  // Skipped by default: nothing is left to send.
  await expect(review.getByTestId('review-eta')).toHaveText('Nothing to send.');
  await expect(review.getByTestId('review-start')).toBeDisabled();

  // Sending a group anyway is an explicit choice, for that group only.
  await review.getByTestId('review-resend-pending').check();
  await expect(review.getByTestId('review-start')).toHaveText(/^Send 2 invitations?$/);
  await review.getByTestId('review-resend-pending').uncheck();
  await expect(review.getByTestId('review-eta')).toHaveText('Nothing to send.');
  await review.getByTestId('review-resend-pending').check();
  await expect(review.getByTestId('review-start')).toHaveText(/^Send 2 invitations?$/);
  await review.getByTestId('review-confirm').fill('Acme production');
  await review.getByTestId('review-start').click();
  await expect(detail.getByTestId('run-counts')).toHaveText(/^2 sent · 0 failed · 1 skipped · 0 remaining$/, { timeout: 15_000 });

  // Ann and Cat were chosen and got a new invitation each; Ben, who accepted, was left alone.
  expect(invitationsOf(prod, 'ann@acme.test')).toHaveLength(2);
  expect(invitationsOf(prod, 'cat@acme.test')).toHaveLength(2);
  expect(invitationsOf(prod, 'ben@acme.test')).toEqual(['accepted']);
});
