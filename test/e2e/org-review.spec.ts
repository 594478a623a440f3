/**
 * Organization sheets against the organization itself: roles its role set lacks (issue 21 #3) and more rows than it
 * has seats for (#2) are said in the grid and the review, the review's default leaves out what Clerk would refuse,
 * and its target and actions stay on screen (#4).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './harness.ts';
import { cell, openSheetsPage } from './sheetHelpers.ts';

async function orgSheet(page: Page, tsv: string, org: string, role?: string): Promise<void> {
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(tsv);
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('kind-org').check();
  await page.getByTestId('import-create').click();
  await page.getByTestId('tab-settings').click();
  const pick = page.getByTestId('settings-org');
  await pick.selectOption((await pick.locator('option', { hasText: org }).getAttribute('value'))!);
  if (role) await page.getByTestId('settings-role').selectOption(role);
}

test('row roles the organization lacks are problems in the grid and refused in the review, not failures in the run', async ({ app }) => {
  const page = await openSheetsPage(app);
  await orgSheet(page, 'email\trole\nann@acme.test\torg:member\nbob@acme.test\tadmin\ncat@acme.test\torg:billing', 'Globex Support');
  // Before: three “✓ Ready”; the run then failed two with role_not_found.
  await expect(page.getByTestId('sheet-counts')).toHaveText('1 ready · 2 with problems · 0 duplicates');
  await expect(cell(page, -1, 1)).toHaveText(/^Role “admin” is not one of Globex Support’s roles \(org:admin, org:member, org:viewer\)/);
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problem')).toHaveText([/Row 2 · role.*“admin”/, /Row 3 · role.*“org:billing”/]);
  // The review asks Clerk again (main never trusts the window's checks) and leaves them out by default.
  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-preflight-unknown-roles')).toHaveText(
    '2 rows have roles the organization’s role set lacks (“admin”, “org:billing”; rows 2, 3): Clerk would refuse them (role_not_found). Its roles: org:admin, org:member, org:viewer.',
  );
  await expect(review.getByTestId('review-start')).toHaveText('Send the 1 that fit');
});

test('more rows than seats: the review offers the ones that fit by default, and the run skips the rest saying why', async ({ app }) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1280, height: 700 });
  const emails = Array.from({ length: 9 }, (_, i) => `p${i}@acme.test`);
  // Tiny Startup: 5 seats, 1 taken by its admin.
  await orgSheet(page, ['email', ...emails].join('\n'), 'Tiny Startup', 'org:member');
  await expect(page.getByTestId('sheet-counts')).toHaveText('9 ready · 0 with problems · 0 duplicates');
  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-preflight-org-capacity')).toContainText('so 4 of 9 new invitations fit');
  // Before: “Send 9 invitations”; the run sent 0 and paused with “The organization is full”.
  const start = review.getByTestId('review-start');
  await expect(start).toHaveText('Send the 4 that fit');
  await expect(start).toBeFocused();
  await expect(review.getByTestId('review-start-all')).toHaveText('Send all 9 anyway');
  // The target stays in view while focus is on the action, at 1280×700 (before: scrolled out above).
  await expect(review.getByTestId('review-target')).toBeInViewport();
  await expect(start).toBeInViewport();
  await start.click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toContainText('4 sent · 0 failed · 5 skipped · 0 remaining', { timeout: 15_000 });
  await detail.getByTestId('run-filter').selectOption('skipped');
  await expect(detail.getByTestId('run-row').first()).toContainText('the organization had room for 4 more members');
});
