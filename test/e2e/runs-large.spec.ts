import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { transaction } from '../../src/main/services/db/types.ts';
import { emailKey } from '../../src/shared/domain/email.ts';
import { expect, test, type Harness } from './harness.ts';
import { placeInRows } from './runHelpers.ts';

const ROWS = 1_500; // several pages of the detail (200 rows each)
const DEEP = 1_234; // a row far from the first page

/** A finished run of ROWS rows in the journal: every 7th failed, the rest sent with an accept link. */
function seedRun(app: Harness) {
  const db = openDatabase(app.services.dbPath);
  transaction(db, () => {
    db.prepare(
      "INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at, finished_at) VALUES ('big', 'sandbox', 'Sandbox', 'development', 'ins_big', 'app', 'Big run', '{}', 'finished', 3600000, 1, 2)",
    ).run();
    const row = db.prepare(
      "INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, invitation_id, url, error_code, message, updated_at) VALUES ('big', ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, 0)",
    );
    for (let i = 0; i < ROWS; i++) {
      const failed = i % 7 === 0;
      const email = i === DEEP ? 'deep@far.example' : `user${i}@big.example`;
      row.run(
        i,
        i,
        email,
        emailKey(email),
        failed ? 'failed' : 'sent',
        failed ? null : `inv_${i}`,
        failed ? null : `https://accept.test/?t=${i}`,
        failed ? 'duplicate_record' : null,
        failed ? 'Already has a pending invitation' : null,
      );
    }
  });
  db.close();
}

const FAILED = Math.ceil(ROWS / 7);

test('a run of 1,500 rows: every row reachable in the virtualized list, filters, a deep history hit, select all, links and export', async ({
  app,
}) => {
  seedRun(app);
  await app.open();
  const { page } = app;
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-item').filter({ hasText: 'Big run' }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-rows-count')).toHaveText('1,500 rows');
  await expect(detail.getByTestId('run-row').first()).toContainText('user0@big.example');
  expect(await detail.getByTestId('run-row').count()).toBeLessThan(100); // only the rows in view are in the DOM

  // The last row is there once scrolled to (its page fetched as it comes into view).
  await detail.getByTestId('run-rows-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(detail.getByTestId('run-row').filter({ hasText: `user${ROWS - 1}@big.example` })).toBeVisible();

  // Filters are counted by main over every row, not the ones fetched.
  await detail.getByTestId('run-filter').selectOption('failed');
  await expect(detail.getByTestId('run-rows-count')).toHaveText(`${FAILED} failed rows`);
  await expect(detail.getByTestId('run-row').first()).toContainText('user0@big.example');
  await detail.getByTestId('run-rows-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(detail.getByTestId('run-row').filter({ hasText: 'user1498@big.example' })).toBeVisible();
  await detail.getByTestId('run-filter').selectOption('all');
  await expect(detail.getByTestId('run-rows-count')).toHaveText('1,500 rows');

  // Follow-ups: the whole run, all of it selected, then one ticked row.
  await expect(detail.getByTestId('follow-failed')).toHaveText(`Retry ${FAILED} failed`);
  await expect(detail.getByTestId('copy-links')).toHaveText(`Copy ${(ROWS - FAILED).toLocaleString('en-US')} accept links`);
  await detail.getByTestId('select-all-rows').check();
  await expect(detail.getByTestId('run-follow-ups')).toContainText('1,500 rows selected');
  await expect(detail.getByTestId('follow-failed')).toHaveText(`Retry ${FAILED} failed`);
  await detail.getByTestId('select-all-rows').uncheck();
  await page.getByRole('checkbox', { name: 'Select user7@big.example' }).check();
  await expect(detail.getByTestId('run-follow-ups')).toContainText('1 row selected');
  await expect(detail.getByTestId('follow-failed')).toHaveText('Retry 1 failed');
  await expect(detail.getByTestId('copy-links')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Select user7@big.example' }).uncheck();

  // Every accept link of the run, asked of main (most rows were never fetched).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await detail.getByTestId('copy-links').click();
  await expect.poll(async () => (await page.evaluate(() => navigator.clipboard.readText())).split('\n').length).toBe(ROWS - FAILED);

  // The export holds every row.
  const download = page.waitForEvent('download');
  await detail.getByTestId('run-export').click();
  const csv = readFileSync(await (await download).path(), 'utf8').split('\r\n');
  expect(csv).toHaveLength(ROWS + 2); // header, rows, and the last line's end
  expect(csv.filter((l) => l.includes(',failed,'))).toHaveLength(FAILED);

  // A history hit far down the run opens it there, highlighted and in view.
  await page.getByTestId('history-query').fill('deep@');
  await page.getByTestId('history-hit').click();
  const row = detail.getByTestId('run-row').filter({ hasText: 'deep@far.example' });
  await expect(row).toHaveClass(/row-focus/);
  // Scrolled to: inside the rows' scroll box, far down it.
  await expect.poll(async () => placeInRows(row).then((p) => p.scrollTop > 30 * 33 && p.inside)).toBe(true);
  // And on screen: the scroll box itself is not below the fold (issue 21 #8).
  await expect(row).toBeInViewport();
  expect(await row.evaluate((tr) => Math.round(tr.getBoundingClientRect().height))).toBe(33);
});
