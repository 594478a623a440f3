import { readFileSync } from 'node:fs';
import { acceptInvitation } from '../../src/main/emulator/store.ts';
import { invitationsPerEmail } from '../helpers/runFixture.ts';
import { expect, test, type Harness } from './harness.ts';
import { addProductionProfile } from './profileHelpers.ts';

async function pasteSheet(app: Harness, emails: string[]) {
  const { page } = app;
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page
    .getByTestId('import-paste-text')
    .fill(['email\tpublic.cohort', ...emails.map((e) => `${e}\tfall`), 'not-an-email\tfall'].join('\n'));
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
}

test('review, confirm production, watch progress, pause and resume, reload mid-run: every row sent once', async ({ app }) => {
  test.setTimeout(60_000); // the run itself spans several (compressed) hourly windows
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production');
  const emails = Array.from({ length: 30 }, (_, i) => `person${i}@acme.test`);
  await pasteSheet(app, emails);
  const { page } = app;

  await page.getByTestId('send-open').click();
  const review = page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-target')).toContainText('Production');
  await expect(review.getByTestId('review-target')).toContainText('Acme production');
  await expect(review.getByTestId('review-counts')).toHaveText('30 invitations will be sent, 1 row skipped.');
  await expect(review.getByTestId('review-skips')).toContainText('“not-an-email” is not a valid email address');
  // 30 rows at 11 a window (one bulk of 10 + one single): 3 bulk calls and 0–3 singles.
  await expect(review.getByTestId('review-plan')).toContainText('Bulk (≤10 each)');
  await expect(review.getByTestId('review-eta')).toContainText(/Done in about|Done in about a minute/);
  await review.getByTestId('review-dry-run').click();
  await expect(review.getByTestId('review-dry-result')).toHaveText(
    'Dry run: none of the 30 rows has a pending invitation already. Nothing was created.',
  );
  expect(prod.invitations).toHaveLength(0);
  const start = review.getByTestId('review-start');
  await expect(start).toBeDisabled();
  await review.getByTestId('review-confirm').fill('Acme prod');
  await expect(start).toBeDisabled();
  await review.getByTestId('review-confirm').fill('Acme production');
  await start.click();

  const detail = page.getByTestId('run-detail');
  await expect(page.getByTestId('page-runs')).toBeVisible();
  await expect(detail.getByTestId('run-wait')).toContainText('Hourly limit');
  // Paced by whole windows of 11 (one bulk of 10 + one single); the page may first show the 1st or the 2nd wait.
  await expect(detail.getByTestId('run-counts')).toContainText(/\b(11|22) sent · 0 failed · 1 skipped · (19|8) remaining/);
  await detail.getByTestId('run-pause').click();
  await expect(detail.getByTestId('run-state')).toHaveText('paused');
  await expect(detail.getByTestId('run-reason')).toHaveText('Paused by you');
  await detail.getByTestId('run-resume').click();
  await expect(detail.getByTestId('run-state')).toHaveText('running');

  // The window reloads; the run lives in main and keeps going.
  await page.reload();
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-item').first().click();
  await expect(page.getByTestId('run-detail').getByTestId('run-state')).toHaveText(/running|finished/);
  await expect(page.getByTestId('run-detail').getByTestId('run-counts')).toHaveText('30 sent · 0 failed · 1 skipped · 0 remaining', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('run-detail').getByTestId('run-state')).toHaveText('finished');
  const per = invitationsPerEmail(app.emulator, prod.secretKey);
  expect(per.size).toBe(30);
  expect([...per.values()].every((n) => n === 1)).toBe(true);
  await expect(page.getByTestId('run-rows').getByTestId('run-row').first()).toContainText('Sent');

  // History: find a person across runs by email, audit the run's options, export it.
  await page.getByTestId('history-query').fill('PERSON1');
  await expect(page.getByTestId('history-hit')).toHaveCount(11); // person1, person10–19
  await page.getByTestId('history-query').fill('person29@');
  await expect(page.getByTestId('history-hit')).toHaveCount(1);
  await expect(page.getByTestId('history-hit')).toContainText('Sent');
  await page.getByTestId('run-options').locator('summary').click();
  await expect(page.getByTestId('run-options')).toContainText(/notify\s*yes/);
  const download = page.waitForEvent('download');
  await page.getByTestId('run-export').click();
  const csv = readFileSync(await (await download).path(), 'utf8')
    .replace(/^\ufeff/, '')
    .split('\r\n');
  expect(csv[0]).toBe('sheet_row,email,outcome,status,invitation_id,error_code,message,public_metadata,private_metadata,accept_url');
  expect(csv.filter((l) => /,sent,pending,inv_/.test(l))).toHaveLength(30);
  expect(csv.find((l) => l.startsWith('1,'))).toContain('{""cohort"":""fall""}');
});

test('status sync picks up an accepted invitation; retry-failed sends only the failed row', async ({ app }) => {
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production');
  const pre = await fetch(`${app.emulator.apiUrl}/invitations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${prod.secretKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email_address: 'bea@acme.test', notify: false }),
  });
  expect(pre.status).toBe(200);
  await pasteSheet(app, ['amy@acme.test', 'bea@acme.test', 'cid@acme.test']);
  const { page } = app;
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-confirm').fill('Acme production');
  await page.getByTestId('review-start').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toHaveText('2 sent · 1 failed · 1 skipped · 0 remaining');
  await expect(detail.getByTestId('run-rows')).toContainText('Already has a pending invitation');

  // In Clerk: Amy accepts; Bea's old invitation is revoked, so a retry can go through.
  expect(acceptInvitation(prod, 'amy@acme.test', Date.now())).toBe(true);
  prod.invitations.find((i) => i.emailAddress === 'bea@acme.test')!.status = 'revoked';

  await detail.getByTestId('run-sync').click();
  await expect(detail.getByTestId('run-synced')).toContainText('Statuses synced from Clerk');
  await expect(detail.getByTestId('run-row').filter({ hasText: 'amy@acme.test' })).toContainText('Sent · accepted');
  await expect(detail.getByTestId('run-row').filter({ hasText: 'cid@acme.test' })).toContainText('Sent · pending');

  await detail.getByTestId('follow-confirm').fill('Acme production');
  await detail.getByTestId('follow-failed').click();
  await expect(page.getByTestId('run-detail').locator('h2')).toHaveText('Pasted cells (retry failed)');
  await expect(page.getByTestId('run-detail').getByTestId('run-counts')).toHaveText('1 sent · 0 failed · 0 skipped · 0 remaining');
  await expect(page.getByTestId('run-detail').getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-detail').getByTestId('run-row')).toContainText('bea@acme.test');
  expect(prod.invitations.filter((i) => i.emailAddress === 'bea@acme.test').map((i) => i.status)).toEqual(['revoked', 'pending']);
  expect(prod.invitations.filter((i) => i.emailAddress === 'amy@acme.test')).toHaveLength(1);

  // The first run's failed row can also become a sheet of its own, to fix and send later.
  await page.getByTestId('run-item').filter({ hasNotText: 'retry' }).click();
  await page.getByTestId('run-to-sheet').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  await expect(page.getByTestId('sheet-name')).toHaveValue('Pasted cells (failed rows)');
  await expect(page.getByTestId('glide-cell-2-0')).toHaveText('bea@acme.test');
});

test('revoking pending invitations is a run of its own; the status changes in the emulator and in the app', async ({ app }) => {
  await app.open();
  const prod = await addProductionProfile(app, 'Acme production');
  await pasteSheet(app, ['rev1@acme.test', 'rev2@acme.test']);
  const { page } = app;
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-confirm').fill('Acme production');
  await page.getByTestId('review-start').click();
  await expect(page.getByTestId('run-detail').getByTestId('run-counts')).toHaveText('2 sent · 0 failed · 1 skipped · 0 remaining');

  // Copy the accept links of the whole run (one per line).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-links').click();
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).split('\n');
  expect(copied).toHaveLength(2);
  expect(copied.every((l) => l.includes('/v1/tickets/accept?ticket='))).toBe(true);

  // Revoke only the selected row: irreversible in Clerk, so it asks first, with the count and the target.
  await page.getByRole('checkbox', { name: 'Select rev1@acme.test' }).check();
  await expect(page.getByTestId('follow-revoke')).toHaveText('Revoke 1 pending…');
  await page.getByTestId('follow-revoke').click();
  const confirm = page.getByRole('alertdialog', { name: 'Revoke 1 pending invitation?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('revoke-target')).toContainText('In the application of Acme production (production)');
  await expect(confirm.getByTestId('revoke-confirm-name')).toBeFocused();
  // Nothing happens before the confirmation; Escape backs out and nothing is revoked.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  expect(prod.invitations.map((i) => i.status)).toEqual(['pending', 'pending']);
  await page.getByTestId('follow-revoke').click();
  await expect(confirm.getByTestId('revoke-go')).toBeDisabled();
  await confirm.getByTestId('revoke-confirm-name').fill('Acme productio');
  await expect(confirm.getByTestId('revoke-go')).toBeDisabled();
  await confirm.getByTestId('revoke-confirm-name').fill('Acme production');
  await confirm.getByTestId('revoke-go').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.locator('h2')).toHaveText('Pasted cells (revoke pending)');
  await expect(detail.getByTestId('run-counts')).toHaveText('1 revoked · 0 failed · 0 skipped · 0 remaining');
  await expect(detail.getByTestId('run-row')).toHaveCount(1);
  await expect(detail.getByTestId('run-row').first()).toContainText('Revoked');
  expect(prod.invitations.map((i) => [i.emailAddress, i.status])).toEqual([
    ['rev1@acme.test', 'revoked'],
    ['rev2@acme.test', 'pending'],
  ]);

  // Back on the original run, a sync shows them revoked.
  await page.getByTestId('run-item').filter({ hasText: 'Pasted cells' }).filter({ hasNotText: 'revoke' }).click();
  await page.getByTestId('run-sync').click();
  await expect(page.getByTestId('run-detail').getByTestId('run-row').filter({ hasText: 'rev1@acme.test' })).toContainText('Sent · revoked');
  await expect(page.getByTestId('run-detail').getByTestId('run-row').filter({ hasText: 'rev2@acme.test' })).toContainText('Sent · pending');

  // A person reads each run's whole name in the list (cut after a few words, its counts pushed out of the box), each
  // row's outcome (“Sent · pending ·…” was cut at 1024 and at 1440 px) and what the confirmation field wants (its
  // placeholder was cut): at 1024 × 700 and at 1440 × 900.
  await expect(page.getByTestId('run-row').filter({ hasText: 'rev2@acme.test' }).getByTestId('row-expiry')).toHaveText(
    /expiring in \d+ days/,
  );
  const cut = (css: string) =>
    page.locator(css).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent));
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    const box = page.getByTestId('runs-list').locator('..');
    expect(await box.evaluate((el) => el.scrollWidth - el.clientWidth), `the list scrolls sideways at ${width} px`).toBe(0);
    const clamped = await page
      .locator('[data-testid="run-item"] .run-name')
      .evaluateAll((els) => els.filter((el) => el.scrollHeight > el.clientHeight).map((el) => el.textContent));
    expect([...clamped, ...(await cut('[data-testid="run-item"] .run-name'))], `run names at ${width} px`).toEqual([]);
    expect(await cut('[data-testid="run-row"] td:nth-child(4)'), `outcomes at ${width} px`).toEqual([]);
    await expect(page.getByRole('textbox', { name: 'Type Acme production to confirm:' })).toBeInViewport();
    expect(await cut('.follow-confirm > span'), `the confirmation's words at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
});
