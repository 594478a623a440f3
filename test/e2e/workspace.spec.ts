/**
 * The Workspace screen against a real PostgreSQL started for this spec: a member's role that signs in with a password
 * and a team database already holding a colleague's run. A wrong password is refused next to the password field,
 * naming the user and host and never the password, with everything typed kept; the right one tests ok with what the
 * database holds; the switch says exactly what moves where, copies and checks this computer’s history, and asks the
 * app to restart with the choice written. Back to this computer leaves the team database as it is.
 */
import { openDatabase } from '../../src/main/adapters/sqliteDb.ts';
import { openTeamPool } from '../../src/main/adapters/teamPool.ts';
import { createRunsRepo } from '../../src/main/services/runs/runsRepo.ts';
import { migratePg } from '../../src/main/services/team/pgMigrations.ts';
import { writeWorkspaceConfig } from '../../src/main/services/team/workspaceConfig.ts';
import { appRun } from '../helpers/computer.ts';
import { startPostgres, type PgServer } from '../helpers/postgres.ts';
import { passwordDatabase } from '../helpers/pgRoles.ts';
import { appRequest } from '../helpers/runFixture.ts';
import { checkScreen } from './a11y.ts';
import { expect, test, type Harness } from './harness.ts';

// Each screen state is checked by axe in two themes and shot at two widths (10–40 s on a loaded 2-core machine).
test.describe.configure({ timeout: 180_000 });

let server: PgServer;
test.beforeAll(async () => {
  server = await startPostgres();
});
test.afterAll(() => server?.stop());

/** A team database as a colleague left it: set up, one run of theirs in it. */
async function teamWithColleaguesRun() {
  const team = await passwordDatabase(server.url);
  const pool = openTeamPool({ url: team.url, password: team.password, tls: false });
  await migratePg(pool);
  await pool.query(
    `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, sheet_name, options, state, window_ms, created_at)
     VALUES ('colleague-run', 'p', 'Acme', 'production', 'ins_x', 'app', 'create', 'their sheet', '{}', 'finished', 3600000, 1)`,
  );
  await pool.end();
  return team;
}

/** Two finished runs on this computer (3 and 2 rows), written as the app's journal would. */
function localHistory(app: Harness) {
  const db = openDatabase(app.services.dbPath);
  const repo = createRunsRepo(db);
  for (const [name, emails] of [
    ['march', ['a', 'b', 'c']],
    ['april', ['d', 'e']],
  ] as const) {
    const run = appRun(
      'ins_1',
      emails.map((e) => appRequest(`${e}@ws.test`)),
      3_600_000,
      name,
    );
    repo.create(run, Date.now() - 10_000, 'me');
    repo.setState(run.id, 'finished', Date.now() - 5_000);
  }
  db.close();
}

test('wrong password refused inline, right one tested with counts, switch confirmed and restarted with the choice written', async ({
  app,
}) => {
  const team = await teamWithColleaguesRun();
  const port = new URL(team.url).port;
  const db = new URL(team.url).pathname.slice(1);
  localHistory(app);
  await app.open();
  const { page } = app;
  await page.keyboard.press('Control+,');
  await expect(page.getByTestId('page-workspace')).toBeVisible();
  await expect(page.getByTestId('ws-local')).toBeChecked();
  await expect(page.getByTestId('ws-switch')).toHaveText('In use');

  await page.getByTestId('ws-team').check();
  await expect(page.getByTestId('ws-tls')).toBeChecked(); // TLS on by default
  await page.getByTestId('ws-url').fill(team.url);
  await page.getByTestId('ws-password').fill('wrong-Secret-9');
  await page.getByTestId('ws-tls').uncheck();
  await expect(page.getByTestId('ws-tls-warning')).toContainText(
    'Without TLS the password and every email address cross the network readable',
  );
  await page.getByTestId('ws-test').click();
  const refused = page.getByTestId('ws-error-password');
  await expect(refused).toHaveText(
    `The team database at ${team.user}@127.0.0.1:${port}/${db} (TLS off) refused the user or password. Enter the password again (it is kept in your keychain).`,
  );
  await expect(page.getByTestId('ws-password')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed is lost, and the password is nowhere but in its own field.
  await expect(page.getByTestId('ws-url')).toHaveValue(team.url);
  await expect(page.getByTestId('ws-password')).toHaveValue('wrong-Secret-9');
  expect(JSON.stringify(app.fromMain)).not.toContain('wrong-Secret-9');
  expect(await page.locator('body').innerText()).not.toContain('wrong-Secret-9');
  await checkScreen(page, 'workspace-wrong-password');

  await page.getByTestId('ws-password').fill(team.password);
  await page.getByTestId('ws-test').click();
  await expect(page.getByTestId('ws-test-ok')).toContainText(`Connected to ${team.user}@127.0.0.1:${port}/${db} (TLS off), PostgreSQL 1`);
  await expect(page.getByTestId('ws-holds')).toContainText(/^The team workspace holds 1 run\b/);
  await expect(page.getByTestId('ws-error-password')).toHaveCount(0);

  await page.getByTestId('ws-copy-history').check();
  await page.getByTestId('ws-switch').click();
  const dialog = page.getByTestId('ws-confirm');
  await expect(dialog.getByTestId('ws-summary').locator('li')).toHaveText([
    `Runs, sheets and profiles will be read from and written to ${team.user}@127.0.0.1:${port}/${db} (TLS off).`,
    'Keys stay in this computer’s keychain; the database password is kept there too, never in a file.',
    'This computer’s history (2 runs, 5 rows) is copied into the team database and checked (counted before and after); it also stays here.',
    'This computer’s profiles and sheets are brought along (copied; one the team already has for an instance is joined, with your key).',
    'Invite Desk restarts to switch.',
  ]);
  await expect(page.getByTestId('ws-confirm-cancel')).toBeFocused();
  await checkScreen(page, 'workspace-confirm');
  expect(app.services.restarts).toEqual([]);
  await page.getByTestId('ws-confirm-go').click();
  await expect(page.getByTestId('ws-switched')).toHaveText(
    `Switched to the team workspace at ${team.user}@127.0.0.1:${port}/${db} (TLS off). Copied and checked: 2 runs, 5 rows. Restarting…`,
  );
  await expect
    .poll(() => app.services.restarts)
    .toEqual([{ config: { kind: 'team', url: team.url, tls: false, fourEyes: false }, warning: null }]);
  expect(JSON.stringify(app.fromMain)).not.toContain(team.password);
  await expect(page.getByTestId('ws-password')).toHaveValue('');

  // The team database holds the colleague's run and this computer’s two.
  const pool = openTeamPool({ url: team.url, password: team.password, tls: false });
  expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 3 });
  await pool.end();
});

test('back to this computer: says the team database is left as it is, and restarts with the choice written', async ({ app }) => {
  const team = await teamWithColleaguesRun();
  await app.open();
  const { page } = app;
  // By mouse: from the Profiles page, which says where things are kept.
  await page.getByTestId('nav-profiles').click();
  await expect(page.getByTestId('ws-line')).toContainText('Runs, sheets and profiles are kept on this computer.');
  await page.getByTestId('ws-open').click();
  await page.getByTestId('ws-team').check();
  await page.getByTestId('ws-url').fill(team.url);
  await page.getByTestId('ws-password').fill(team.password);
  await page.getByTestId('ws-tls').uncheck();
  await page.getByTestId('ws-switch').click();
  await expect(page.getByTestId('ws-summary')).toContainText('This computer’s history (0 runs) stays here and is not copied.');
  await page.getByTestId('ws-confirm-go').click();
  await expect.poll(() => app.services.restarts.length).toBe(1);

  // As after the restart: the page reads the team workspace in use.
  await page.reload();
  await page.keyboard.press('Control+,');
  await expect(page.getByTestId('ws-team')).toBeChecked();
  await expect(page.getByTestId('ws-password')).toHaveAttribute('placeholder', 'Saved in your keychain');
  await expect(page.getByTestId('ws-password')).toHaveValue('');
  await page.getByTestId('ws-local').check();
  await page.getByTestId('ws-switch').click();
  await expect(page.getByTestId('ws-summary')).toContainText(
    `The team database at ${team.user}@127.0.0.1:${new URL(team.url).port}${new URL(team.url).pathname} (TLS off) is left as it is: nothing in it is changed or deleted`,
  );
  await page.getByTestId('ws-confirm-go').click();
  await expect(page.getByTestId('ws-switched')).toContainText('Switched to this computer. The team database');
  await expect.poll(() => app.services.restarts.at(-1)).toEqual({ config: { kind: 'local' }, warning: null });
  await checkScreen(page, 'workspace-local');
});

test('the team database not answering: every page says since when and how to reach it, Try again now, gone when it answers', async ({
  app,
}) => {
  writeWorkspaceConfig(app.services.workspaceFile, {
    kind: 'team',
    url: 'postgres://ops@db.acme.example:6543/invites',
    tls: true,
    fourEyes: false,
  });
  let retried = 0;
  app.services.workspace.bindRetry(() => retried++);
  await app.open();
  const { page } = app;
  const since = new Date(2026, 11, 5, 14, 2).getTime();
  // As the team storage's wait reports it (waitForTeamDb's onWaiting).
  app.services.workspace.waiting(since);
  const banner = page.getByTestId('team-waiting');
  // The time as the user's locale writes it (14:02 or 02:02 PM).
  await expect(banner).toContainText(
    /^Waiting for the team database since (14:02|02:02 PM)\. Nothing is sent meanwhile; runs go on by themselves/,
  );
  await expect(banner).toContainText('It does not answer at ops@db.acme.example:6543/invites (TLS on): check the host and port');
  await page.getByTestId('nav-runs').click();
  await expect(banner).toBeVisible();
  await checkScreen(page, 'workspace-team-waiting');
  await page.getByTestId('team-retry').click();
  await expect.poll(() => retried).toBe(1);
  app.services.workspace.waiting(null);
  await expect(banner).toHaveCount(0);

  // A refusal (the team session's onRefused): said with the way to fix it, never the password.
  app.services.workspace.refused(
    'The team database at ops@db.acme.example:6543/invites (TLS on) refused the user or password. Open Workspace settings to fix it; nothing is sent meanwhile.',
  );
  await expect(page.getByTestId('team-refused')).toContainText('refused the user or password. Open Workspace settings to fix it');
  await page.getByTestId('team-refused-open').click();
  await expect(page.getByTestId('page-workspace')).toBeVisible();
});
