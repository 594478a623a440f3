import { expect, test, type Harness } from './harness.ts';
import { placeInRows } from './runHelpers.ts';

async function addDevProfile(app: Harness) {
  const dev = [...app.emulator.instances.values()][0]!;
  const { page } = app;
  await page.getByTestId('nav-profiles').click();
  await page.getByTestId('profile-name').fill('Acme dev');
  await page.getByTestId('profile-key').fill(dev.secretKey);
  await page.getByRole('button', { name: 'Advanced: API base URL' }).click();
  await page.getByTestId('profile-base-url').fill(app.emulator.apiUrl);
  await page.getByTestId('profile-activate').check();
  await page.getByTestId('add-profile-submit').click();
  await expect(page.getByTestId('profile-switcher')).toContainText('Acme dev');
}

test('Clerk 503s: the run page says what Clerk answered and when it tries next; a domain search hit opens the run at its row (issue 13)', async ({
  app,
}) => {
  test.setTimeout(60_000); // a few compressed hourly windows
  await app.open();
  await addDevProfile(app);
  const { page } = app;
  const emails = [...Array.from({ length: 24 }, (_, i) => `person${i}@acme.test`), 'zed@far.example'];
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(['email', ...emails].join('\n'));
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
  // Clerk answers the first two invitation requests with 503.
  app.emulator.faults.inject({ kind: 'status', status: 503, method: 'POST', path: '/invitations', times: 2 });
  await page.getByTestId('send-open').click();
  await page.getByTestId('review-start').click();

  const detail = page.getByTestId('run-detail');
  // Before: “Running · About 1 s left”, nothing about the 503s.
  await expect(detail.getByTestId('run-retry')).toHaveText(
    /^Clerk answered 503, (1st|2nd) try; (next at \d{1,2}:\d\d:\d\d(\s?[AP]M)? \(in \d+ s\)|trying again now)\.$/,
  );
  await expect(detail.getByTestId('run-eta')).toHaveText('Time left unknown until Clerk answers again.');
  await expect(detail.getByTestId('run-counts')).toHaveText('25 sent · 0 failed · 0 skipped · 0 remaining', { timeout: 30_000 });
  await expect(detail.getByTestId('run-state')).toHaveText('finished');
  await expect(detail.getByTestId('run-retry')).toHaveCount(0);
  // The rows table agrees with the counts.
  await detail.getByTestId('run-filter').selectOption('sent');
  await expect(detail.getByTestId('run-rows-count')).toHaveText('25 sent rows');
  await detail.getByTestId('run-filter').selectOption('all');
  expect(app.emulator.requests.filter((r) => r.status === 503)).toHaveLength(2);

  // History: a domain finds its address (before: a prefix of the address only, so nothing), and opens the run there.
  await page.getByTestId('history-query').fill('far.example');
  await expect(page.getByTestId('history-hit')).toHaveCount(1);
  await page.getByTestId('history-query').fill('acme.test');
  await expect(page.getByTestId('history-hit')).toHaveCount(24);
  await page.getByTestId('history-query').fill('@far');
  await page.getByTestId('history-hit').click();
  const row = detail.getByTestId('run-row').filter({ hasText: 'zed@far.example' });
  await expect(row).toHaveClass(/row-focus/);
  expect(await row.evaluate((tr) => Math.round(tr.getBoundingClientRect().height))).toBe(33); // the virtualizer's row height
  // Scrolled to: inside the rows' scroll box, which had to move.
  // It had to move if the rows overflow the box (they do at the default height, not on a tall window).
  await expect.poll(async () => placeInRows(row).then((p) => (!p.overflows || p.scrollTop > 0) && p.inside)).toBe(true);
  await expect(detail.getByTestId('run-row').filter({ hasText: 'person0@acme.test' })).not.toHaveClass(/row-focus/);
});
