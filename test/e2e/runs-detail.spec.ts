/**
 * The runs list and a run's detail where ops people read them (issue 21 #8): a dense list of runs, the copy link and the
 * whole message on screen at 1024 px, rows that agree with the final counts, the run kept across a reload, options
 * under Clerk's names, and a revoke run that offers nothing to resend.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './harness.ts';
import { openSheetsPage } from './sheetHelpers.ts';

async function sendSheet(page: Page, emails: string[]): Promise<void> {
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(['email', ...emails].join('\n'));
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-start').click();
}

test('at 1024 px: a dense list of runs, the copy link in view, the whole message on demand, options under Clerk’s names', async ({
  app,
}) => {
  const page = await openSheetsPage(app);
  await page.setViewportSize({ width: 1024, height: 768 });
  // The Sandbox knows existing.user@…: the review finds the account and skips the row (issue 22), with a long message.
  await sendSheet(page, ['ann.with.a.rather.long.address@acme-corporation.test', 'existing.user@sandbox.example']);
  const detail = page.getByTestId('run-detail');
  // The rows agree with the counts the moment those are final (before: “Queued” for 2–3 s after).
  const atFinal = await page.waitForFunction(() => {
    const counts = document.querySelector('[data-testid="run-counts"]')?.textContent ?? '';
    if (!counts.startsWith('1 sent · 0 failed · 1 skipped')) return null;
    return [...document.querySelectorAll('[data-testid="run-row"]')].map((r) => r.textContent ?? '');
  });
  const rowsAtFinal = (await atFinal.jsonValue())!;
  expect(rowsAtFinal.some((t) => /Queued|Sending/.test(t))).toBe(false);

  // Dense: a short name and the line under it (before: names wrapped to 3–7 lines, items 110–170 px tall; then one
  // line a run cut the names and pushed the counts out of the box, see runs.spec).
  const item = page.getByTestId('run-item').first();
  expect((await item.boundingBox())!.height).toBeLessThan(56);

  const sent = detail.getByTestId('run-row').filter({ hasText: 'ann.with' });
  await expect(sent.getByTestId('row-copy-link')).toBeInViewport();
  await expect(sent.getByTestId('row-copy-link')).toBeVisible();
  // The skipped row's whole message, on demand (before: cut to “Already has an acc…”).
  const skipped = detail.getByTestId('run-row').filter({ hasText: 'existing.user' });
  await skipped.click();
  const more = detail.getByTestId('run-row-details');
  await expect(more).toBeInViewport();
  await expect(more).toContainText(/Already has an account \(user since \d{4}-\d{2}-\d{2}\): not invited \(Clerk would refuse it\)/);
  await expect(more).toContainText('existing.user@sandbox.example');

  // The options, as the review named them.
  await detail.getByTestId('run-options').locator('summary').click();
  await expect(detail.getByTestId('run-options')).toContainText(/notify\s*yes/);
  await expect(detail.getByTestId('run-options')).toContainText(/expires_in_days\s*not sent: Clerk’s default/);
  await expect(detail.getByTestId('run-options')).not.toContainText('"notify"');
});

test('a reload keeps the open run on screen; a revoke run says “revoked” and offers no resend', async ({ app }) => {
  const page = await openSheetsPage(app);
  await sendSheet(page, ['rev1@acme.test', 'rev2@acme.test']);
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toHaveText('2 sent · 0 failed · 0 skipped · 0 remaining');
  await page.reload();
  // Before: the Sheets page, no run selected.
  await expect(page.getByTestId('page-runs')).toBeVisible();
  await expect(detail.getByTestId('run-title')).toHaveText('Pasted cells');

  await page.getByTestId('follow-revoke').click();
  await page.getByTestId('revoke-go').click();
  await expect(detail.getByTestId('run-title')).toHaveText('Pasted cells (revoke pending)');
  await expect(detail.getByTestId('run-counts')).toHaveText('2 revoked · 0 failed · 0 skipped · 0 remaining');
  await expect(detail.getByTestId('run-row').first()).toContainText('Revoked');
  await expect(detail.getByTestId('follow-resend')).toHaveCount(0);
});
