/**
 * Issue 23's e2e: a production instance's waitlist synced, filtered by domain, 200 entries invited (paced on the
 * general limit, the profile's name typed), 10 ticked entries rejected after the confirmation, then the runs in the
 * history as waitlist runs, found by email, and exported.
 */
import { readFileSync } from 'node:fs';
import { addWaitlistEntry } from '../../src/main/emulator/waitlist.ts';
import { expect, test } from './harness.ts';
import { addProductionProfile } from './profileHelpers.ts';

const DAY = 86_400_000;

test('waitlist: sync → filter → invite 200 → reject 10 with confirmation → history → export', async ({ app }) => {
  test.setTimeout(120_000); // 200 invites at 90 per 10 s
  const { page } = app;
  await app.open();
  const prod = await addProductionProfile(app, 'Acme live');
  const t0 = Date.now() - 20 * DAY;
  for (let i = 0; i < 200; i++) addWaitlistEntry(prod, `p${i}@acme.test`, t0 + i * 60_000);
  for (let i = 0; i < 60; i++) addWaitlistEntry(prod, `g${i}@globex.test`, t0 + DAY + i * 60_000);

  // Sync: 260 entries, all pending, kept with the time of the sync.
  await page.getByTestId('nav-waitlist').click();
  await expect(page.getByTestId('waitlist-empty')).toBeVisible();
  await page.getByTestId('waitlist-sync').click();
  await expect(page.getByTestId('waitlist-last-sync')).toContainText('260 entries');
  await expect(page.getByTestId('waitlist-count-pending')).toContainText('260');
  await expect(page.getByTestId('waitlist-row').first()).toBeVisible();

  // Filter by domain: the 200 at acme.test.
  await page.getByTestId('waitlist-search').fill('@acme.test');
  await expect(page.getByTestId('waitlist-scope')).toHaveText('200 shown');

  // Invite them, on the general limit's pace; production asks for the profile's name.
  await page.getByTestId('waitlist-invite').click();
  const review = page.getByTestId('waitlist-review');
  await expect(review.getByTestId('waitlist-review-title')).toHaveText('Invite 200 waitlist entries?');
  await expect(review.getByTestId('waitlist-plan')).toContainText('100 invites an hour');
  await review.getByLabel('Clerk’s general limit (fast)').check();
  await expect(review.getByTestId('waitlist-plan')).toContainText('general limit');
  await expect(review.getByTestId('waitlist-review-go')).toBeDisabled();
  await review.getByTestId('waitlist-confirm-name').fill('Acme live');
  await review.getByTestId('waitlist-review-go').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-title')).toHaveText('Waitlist: invite 200 (all “@acme.test”)');
  await expect(detail.getByTestId('run-counts')).toHaveText('200 invited · 0 failed · 0 skipped · 0 remaining', { timeout: 90_000 });
  expect(prod.invitations).toHaveLength(200);
  expect(prod.waitlist.filter((e) => e.status === 'invited')).toHaveLength(200);

  // Reject 10 of the pending ones, ticked; the confirmation says how many and where, and wants the name.
  await page.getByTestId('nav-waitlist').click();
  await expect(page.getByTestId('waitlist-count-invited')).toContainText('200');
  await page.getByTestId('waitlist-search').fill('');
  await page.getByTestId('waitlist-count-pending').click();
  await expect(page.getByTestId('waitlist-scope')).toHaveText('60 shown');
  const boxes = page.getByTestId('waitlist-row').getByRole('checkbox');
  for (let i = 0; i < 10; i++) await boxes.nth(i).check();
  await expect(page.getByTestId('waitlist-reject')).toHaveText('Reject 10 selected…');
  await page.getByTestId('waitlist-reject').click();
  await expect(review.getByTestId('waitlist-review-title')).toHaveText('Reject 10 waitlist entries?');
  await expect(review.getByTestId('waitlist-review-warning')).toContainText('Acme live (production)');
  await review.getByTestId('waitlist-confirm-name').fill('acme');
  await expect(review.getByTestId('waitlist-review-go')).toBeDisabled();
  await review.getByTestId('waitlist-confirm-name').fill('Acme live');
  await review.getByTestId('waitlist-review-go').click();
  await expect(detail.getByTestId('run-counts')).toHaveText('10 rejected · 0 failed · 0 skipped · 0 remaining', { timeout: 30_000 });
  expect(prod.waitlist.filter((e) => e.status === 'rejected')).toHaveLength(10);

  // History: both runs are waitlist runs; a person is found by email; the reject run exports its 10 rows.
  await page.getByTestId('runs-filter-kind').selectOption('waitlist');
  await expect(page.getByTestId('run-item')).toHaveCount(2);
  await expect(page.getByTestId('run-kind-waitlist')).toHaveCount(2);
  await page.getByTestId('runs-filter-kind').selectOption('invitations');
  await expect(page.getByTestId('run-item')).toHaveCount(0);
  await page.getByTestId('runs-filter-kind').selectOption('');
  await page.getByTestId('history-query').fill('globex.test');
  await expect(page.getByTestId('history-hit')).toHaveCount(10);
  await page.getByTestId('history-query').fill('');
  const download = page.waitForEvent('download');
  await detail.getByTestId('run-export').click();
  const csv = readFileSync(await (await download).path(), 'utf8')
    .replace(/^\ufeff/, '')
    .split('\r\n');
  expect(csv.filter((l) => /@globex\.test,sent,rejected,wle_/.test(l))).toHaveLength(10);
});

test('waitlist: invite with metadata opens the pending entries as a sheet sending template_slug waitlist_invitation', async ({ app }) => {
  const { page } = app;
  await app.open();
  const prod = await addProductionProfile(app, 'Acme live');
  for (let i = 0; i < 5; i++) addWaitlistEntry(prod, `m${i}@meta.test`, Date.now() - DAY + i);
  await page.getByTestId('nav-waitlist').click();
  await page.getByTestId('waitlist-sync').click();
  await expect(page.getByTestId('waitlist-count-pending')).toContainText('5');
  // A search matching nothing says so with the way back (an empty table before).
  await page.getByTestId('waitlist-search').fill('@nomatch.test');
  await expect(page.getByTestId('waitlist-no-match')).toContainText('None of the 5 entries of the last sync matches');
  await page.getByTestId('waitlist-no-match').getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('waitlist-scope')).toHaveText('5 shown');
  await expect(page.getByTestId('waitlist-search')).toHaveValue('');
  // A list of people at 1024 px: the words above the box, the four actions on one row (Invite wrapped alone).
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('waitlist-list').click();
  const list = page.getByTestId('waitlist-list-dialog');
  await expect(page.getByTestId('waitlist-paste')).toBeFocused();
  const boxes = await list.locator('.actions > button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(Math.max(...boxes.map((b) => b.top))).toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
  // The box starts at the dialog's left edge under its words, as wide as the dialog (it sat right of them, 170 px wide).
  const paste = (await page.getByTestId('waitlist-paste').boundingBox())!;
  expect(Math.abs(paste.x - boxes[0]!.left)).toBeLessThan(2);
  expect(paste.width).toBeGreaterThan(500);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('waitlist-to-sheet').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  const sheets = await app.services.sheets.list();
  expect(sheets).toHaveLength(1);
  const doc = await app.services.sheets.get(sheets[0]!.id);
  expect(doc.settings.templateSlug).toBe('waitlist_invitation');
  expect(doc.rows.map((r) => r[0]).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `m${i}@meta.test`));
});
