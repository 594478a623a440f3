/**
 * The Invitations page (issue 25): sync the instance's invitations with progress, filter them (status, domain, made
 * outside Invite Desk, expiring soon), select every shown row and export it; the page opens at once from the local
 * copy, even with Clerk unreachable.
 */
import { addOrg } from '../../src/main/emulator/store.ts';
import { checkScreen } from './a11y.ts';
import { expect, test } from './harness.ts';
import { addProductionProfile } from './profileHelpers.ts';

test('sync → filter → select all shown → export; opens from the local copy with Clerk unreachable', async ({ app }) => {
  test.setTimeout(60_000);
  await app.open();
  const prod = await addProductionProfile(app, 'Prod');
  addOrg(prod, { name: 'Open Org', maxAllowedMemberships: 0 }, Date.now());
  const seeded = app.emulator.seedOutside({ count: 3000, domains: ['acme.com', 'globex.example'] }, prod);
  const { page } = app;
  await page.getByTestId('nav-invitations').click();
  await expect(page.getByTestId('inventory-empty')).toBeVisible();
  // Every text the sync's status line shows, as it shows it (a fast sync's progress is on screen for a moment only:
  // polling for it missed it once in CI).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { syncTexts: string[] }).syncTexts = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="inventory-sync-status"]')?.textContent;
      if (t && seen.at(-1) !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('inventory-sync').click();
  // Meanwhile the page says how far it is (progress events), then the whole copy.
  await expect(page.getByTestId('inventory-sync-status')).toContainText('3,000 invitations · synced', { timeout: 30_000 });
  const seen = await page.evaluate(() => (window as unknown as { syncTexts: string[] }).syncTexts);
  expect(seen.filter((t) => /Syncing… [\d,]+/.test(t)).length, seen.join(' | ')).toBeGreaterThan(0);
  await expect(page.getByTestId('inventory-count')).toHaveText('3,000 shown');
  // Only the rows in view are in the DOM.
  expect(await page.getByTestId('inventory-row').count()).toBeLessThan(100);

  await page.getByTestId('inventory-status-revoked').check();
  await expect(page.getByTestId('inventory-count')).toHaveText(`${seeded.byStatus.revoked.toLocaleString('en')} shown of 3,000`);
  for (const s of await page.getByTestId('inventory-status').allTextContents()) expect(s).toBe('Revoked');
  await page.getByTestId('inventory-status-revoked').uncheck();

  // A search that matches nothing says so, with the way back (the table stood empty).
  await page.getByTestId('inventory-search').fill('@nomatch.example');
  await expect(page.getByTestId('inventory-no-match')).toContainText('None of the 3,000 invitations of this copy matches');
  await page.getByTestId('inventory-no-match').getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('inventory-count')).toHaveText('3,000 shown');
  await page.getByTestId('inventory-search').fill('@globex.example');
  await expect(page.getByTestId('inventory-row').first()).toContainText('@globex.example');
  await page.getByTestId('inventory-origin-filter').selectOption('outside');
  await expect(page.getByTestId('inventory-origin').first()).toHaveText('Made outside Invite Desk');
  // A number of days that is not one says so and keeps what was typed.
  await page.getByTestId('inventory-expiring').fill('7x');
  await expect(page.getByRole('alert').filter({ hasText: 'not a whole number of days' })).toBeVisible();
  await expect(page.getByTestId('inventory-expiring')).toHaveValue('7x');
  await page.getByTestId('inventory-expiring').fill('7');
  await expect(page.getByTestId('inventory-status').first()).toContainText('Pending · expires in');
  const shown = (await page.getByTestId('inventory-count').textContent())!.split(' ')[0]!;
  await page.getByTestId('inventory-select-all').check();
  await expect(page.getByTestId('inventory-count')).toContainText(`${shown} selected`);
  // At 1024 × 700: the actions stay on one row (Export shown wrapped alone), and status, dates and sender are whole
  // (“yesterday 11…”, “Jan 3, 2027, …”, “Made outside In…” before).
  await page.setViewportSize({ width: 1024, height: 700 });
  const boxes = await page.locator('.inv-actions > *').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(Math.max(...boxes.map((b) => b.top)), 'every action on the first one’s row').toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
  const cut = await page
    .getByTestId('inventory-row')
    .locator('td:nth-child(n+3):not(:nth-child(4))')
    .evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth).map((td) => td.textContent));
  expect(cut).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 720 });
  const download = page.waitForEvent('download');
  await page.getByTestId('inventory-export-selected').click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').trim().split('\r\n');
  expect(lines).toHaveLength(Number(shown.replace(/,/g, '')) + 1);
  expect(lines.slice(1).every((l) => l.includes('@globex.example') && l.includes(',pending,') && l.includes('outside Invite Desk'))).toBe(
    true,
  );

  // Away and back with Clerk unreachable: the local copy is there at once.
  app.emulator.faults.inject({ kind: 'status', status: 503, probability: 1 });
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('nav-invitations').click();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('inventory-count')).toHaveText('3,000 shown');
  await expect(page.getByTestId('inventory-row').first()).toBeVisible();
  // A failed sync says so on a line of its own, below Sync again (it wrapped around the button). Clerk refusing the
  // read (a 400 is not retried) says so at once; a 503 is tried again for a while first.
  app.emulator.faults.clear();
  app.emulator.faults.inject({ kind: 'status', status: 400, probability: 1 });
  await page.getByTestId('inventory-sync').click();
  const failed = page.getByTestId('inventory-sync-error');
  await expect(failed).toContainText('The sync stopped');
  const button = (await page.getByTestId('inventory-sync').boundingBox())!;
  expect((await failed.boundingBox())!.y).toBeGreaterThanOrEqual(button.y + button.height);
});

test('remind from the page: the review says what the invitee receives; one fresh invitation each, the older one revoked', async ({
  app,
}) => {
  await app.open();
  const prod = await addProductionProfile(app, 'Prod');
  app.emulator.seedOutside({ count: 400, orgShare: 0 }, prod);
  const { page } = app;
  await page.getByTestId('nav-invitations').click();
  await page.getByTestId('inventory-sync').click();
  await expect(page.getByTestId('inventory-sync-status')).toContainText('400 invitations · synced', { timeout: 20_000 });
  await page.getByTestId('inventory-status-pending').check();
  await page.getByTestId('inventory-older').fill('3');
  await expect(page.getByTestId('inventory-row').first()).toBeVisible();
  const rows = page.getByTestId('inventory-row');
  const emails: string[] = [];
  for (let i = 0; i < 3; i++) {
    await rows.nth(i).getByRole('checkbox').check();
    emails.push((await rows.nth(i).locator('td').nth(1).textContent())!);
  }
  await expect(page.getByTestId('inventory-count')).toContainText('3 selected');
  await page.getByTestId('inventory-remind').click();
  const review = page.getByTestId('action-review');
  await expect(review.getByRole('heading', { name: 'Remind 3 invitations?' })).toBeVisible();
  await expect(review.getByTestId('action-receives')).toContainText('One new invitation email');
  await expect(review.getByTestId('action-start')).toBeDisabled(); // production: the name first
  await review.getByTestId('action-confirm-name').fill('Prod');
  await review.getByTestId('action-start').click();
  await expect(review).toBeHidden();
  // The fresh invitations, then the older ones revoked by the second run.
  await expect
    .poll(
      () =>
        emails.map((e) =>
          prod.invitations
            .filter((x) => x.emailAddress === e)
            .map((x) => x.status)
            .sort()
            .join('+'),
        ),
      { timeout: 20_000 },
    )
    .toEqual(emails.map(() => 'pending+revoked'));
  await page.getByRole('button', { name: 'Open run' }).click();
  await expect(page.getByTestId('page-runs')).toBeVisible();

  // Insights: five charts, each with its table beside it, in both themes.
  await page.getByTestId('nav-invitations').click();
  await page.getByTestId('inventory-sync').click();
  await expect(page.getByTestId('inventory-sync-status')).toContainText('403 invitations · synced', { timeout: 20_000 });
  await page.getByTestId('inventory-tab-insights').click();
  const insights = page.getByTestId('insights');
  for (const id of ['chart-curve', 'chart-age', 'chart-expiring', 'chart-domain', 'chart-metadata']) {
    const fig = insights.getByTestId(id);
    await expect(fig.locator('svg')).toBeVisible();
    await expect(fig.getByRole('table')).toBeVisible();
  }
  await expect(insights.getByTestId('chart-metadata').getByRole('columnheader', { name: 'team' })).toBeVisible();
  await expect(insights.getByTestId('insights-timing')).toContainText('403 invitations · counted in');
  // Each table beside its chart is whole at 1440 px, two charts a row: a day on one line, no column cut off.
  await page.setViewportSize({ width: 1440, height: 900 });
  const tables = insights.locator('.chart-table');
  await expect
    .poll(() =>
      tables.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.closest('figure')?.dataset['testid'])),
    )
    .toEqual([]);
  expect(
    await insights
      .locator('.data-table td, .data-table th')
      .evaluateAll((cells) => cells.filter((c) => c.getClientRects().length > 1 || c.scrollHeight > 30).length),
  ).toBe(0);
  await page.setViewportSize({ width: 1280, height: 720 });
  // Per run: the reminder run's three fresh invitations.
  const scope = insights.getByTestId('insights-scope');
  const reminderRun = await scope.locator('option', { hasText: 'Reminder' }).getAttribute('value');
  await scope.selectOption(reminderRun!);
  await expect(insights.getByTestId('insights-timing')).toContainText(/^3 invitations/);
  await scope.selectOption('');
  const fill = () =>
    insights
      .locator('rect.bar')
      .first()
      .evaluate((el) => getComputedStyle(el).fill);
  const light = await fill();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(fill).not.toBe(light);
  console.log(`insights: ${await insights.getByTestId('insights-timing').textContent()}`);
});

test('the Invitations page, an action’s review and the insights fit at 1024–1440 px and pass axe in both themes', async ({ app }) => {
  test.setTimeout(240_000);
  await app.open();
  const prod = await addProductionProfile(app, 'Prod');
  addOrg(prod, { name: 'Open Org', maxAllowedMemberships: 0 }, Date.now());
  app.emulator.seedOutside({ count: 600 }, prod);
  const { page } = app;
  await page.getByTestId('nav-invitations').click();
  await checkScreen(page, 'invitations-empty');
  await page.getByTestId('inventory-sync').click();
  await expect(page.getByTestId('inventory-sync-status')).toContainText('600 invitations · synced', { timeout: 20_000 });
  await page.getByTestId('reminder-rules').locator('summary').click();
  await page.getByTestId('rule-add').click();
  await expect(page.getByTestId('reminder-rule')).toContainText('still pending after 7 days, at most 2 times');
  // On production the due reminders wait for the profile's name, asked in words (an unlabelled box before).
  await expect(page.getByLabel('Type Prod to send them:')).toBeVisible();
  await checkScreen(page, 'invitations');
  await page.getByTestId('inventory-status-pending').check();
  await page.getByTestId('inventory-select-all').check();
  await page.getByTestId('inventory-remind').click();
  await expect(page.getByTestId('action-review')).toBeVisible();
  await checkScreen(page, 'invitations-remind-review');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('action-review')).toBeHidden();
  // Resend on pending invitations: nothing to do, said so, with no name to type and Close in focus.
  await page.getByTestId('inventory-resend').click();
  const none = page.getByTestId('action-review');
  await expect(none.getByRole('heading', { level: 2 })).toHaveText('Nothing to resend');
  await expect(none.getByTestId('action-left-out')).toContainText('still pending: use Remind');
  await expect(none.getByTestId('action-confirm-name')).toHaveCount(0);
  await expect(none.getByTestId('action-start')).toHaveCount(0);
  await expect(none.getByTestId('action-cancel')).toBeFocused();
  await none.getByTestId('action-cancel').click();
  await page.getByTestId('inventory-tab-insights').click();
  await expect(page.getByTestId('chart-curve').locator('svg')).toBeVisible();
  await checkScreen(page, 'invitations-insights');
});
