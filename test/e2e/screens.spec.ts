/**
 * Walks every screen and dialog state once: at each, the layout at 1024/1280/1440 px, axe (0 serious or critical)
 * in the light and the dark theme, and a screenshot of both into test-results/screenshots/ for review.
 */
import type { Locator, Page } from '@playwright/test';
import { checkScreen } from './a11y.ts';
import { expect, test } from './harness.ts';
import { findCell } from './sheetHelpers.ts';

const SHEET = ['email\tpublic.team', 'ann@acme.test\tSupport', 'bob@acme.test\tSales', 'not-an-email\tSales', 'ann@acme.test\tdup'];

/** At the narrowest supported window (1024 × 768), each of these is wholly on screen. */
async function expectOnScreenAt1024(page: Page, what: string, locators: Locator[]): Promise<void> {
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const l of locators) await expect(l, `${what} at 1024 px`).toBeInViewport({ ratio: 1 });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('every screen and dialog: fits at 1024–1440 px, passes axe in both themes, and is photographed', async ({ app }) => {
  test.setTimeout(480_000); // 16 screens × axe in two themes (~2–3 s a call) and 4 screenshots each, on a loaded 2-core machine
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.open();

  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await checkScreen(page, 'runs-empty');

  await page.getByTestId('nav-sheets').click();
  await expect(page.getByTestId('sheets-empty')).toBeVisible();
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(SHEET.join('\n'));
  await checkScreen(page, 'sheets-empty-import');
  await page.getByTestId('import-paste-go').click();
  await expect(page.getByTestId('mapping-step')).toBeVisible();
  await checkScreen(page, 'mapping');

  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('problems-panel')).toBeVisible();
  await checkScreen(page, 'editor-problems');
  await page.getByTestId('tab-settings').click();
  await expect(page.getByTestId('settings-panel')).toBeVisible();
  await checkScreen(page, 'editor-settings');
  await findCell(page, 'bob@acme.test'); // opens Find & Replace and selects the row
  await page.getByTestId('tab-metadata').click();
  await expect(page.getByTestId('row-public-json')).toBeVisible();
  await checkScreen(page, 'editor-metadata-find-replace');

  await page.getByTestId('send-open').click();
  await expect(page.getByTestId('review-counts')).toBeVisible();
  await checkScreen(page, 'review');
  await expectOnScreenAt1024(page, 'review', [page.getByTestId('review-target'), page.getByTestId('review-start')]);
  await page.getByTestId('review-dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.getByTestId('nav-profiles').click();
  await expect(page.getByTestId('add-profile-form')).toBeVisible();
  const prod = [...app.emulator.instances.values()][1]!;
  await page.getByTestId('profile-name').fill('Acme production');
  await page.getByTestId('profile-key').fill(prod.secretKey);
  await page.getByRole('button', { name: 'Advanced: API base URL' }).click();
  await page.getByTestId('profile-base-url').fill(app.emulator.apiUrl);
  await page.getByTestId('add-profile-submit').click();
  await expect(page.getByTestId('profile-card-name').filter({ hasText: 'Acme production' })).toBeVisible();
  await page.getByTestId('profile-select').selectOption({ label: 'Acme production' });
  await expect(page.getByTestId('profile-switcher').getByTestId('env-badge')).toHaveText('Production');
  await checkScreen(page, 'profiles');

  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('send-open').click();
  await expect(page.getByTestId('review-confirm')).toBeVisible();
  await checkScreen(page, 'review-production');
  // The production target, its confirmation and Send stay in view together (the body between them scrolls).
  await expectOnScreenAt1024(page, 'review-production', [
    page.getByTestId('review-target'),
    page.getByTestId('review-confirm'),
    page.getByTestId('review-start'),
  ]);
  await page.getByTestId('review-confirm').fill('Acme production');
  await page.getByTestId('review-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('finished', { timeout: 15_000 });
  await expect(page.getByTestId('follow-revoke')).toBeVisible();
  await checkScreen(page, 'run-detail');
  await expectOnScreenAt1024(page, 'run-detail', [page.getByTestId('row-copy-link').first(), page.getByTestId('run-counts')]);
  // A row's whole message on demand, in view at 1024 px.
  await page.getByTestId('run-row').filter({ hasText: 'not-an-email' }).click();
  await expect(page.getByTestId('run-row-details')).toContainText('“not-an-email” is not a valid email address: it has no @');
  await checkScreen(page, 'run-detail-row');
  await expectOnScreenAt1024(page, 'run-detail-row', [page.getByTestId('run-row-details')]);

  await page.getByTestId('history-query').fill('ann');
  await expect(page.getByTestId('history-hit').first()).toContainText('ann@acme.test');
  await checkScreen(page, 'history-search');
  await page.getByTestId('history-query').fill('');

  await page.getByTestId('follow-revoke').click();
  await expect(page.getByTestId('revoke-confirm')).toBeVisible();
  await checkScreen(page, 'revoke-confirm');
  await page.getByTestId('revoke-cancel').click();

  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('sheet-close').click();
  await expect(page.getByTestId('sheet-list')).toBeVisible();
  await checkScreen(page, 'sheets-list');
});
