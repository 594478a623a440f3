/**
 * The Workspace setting's service against a real PostgreSQL: a test tells what the team database holds, a wrong
 * password is team_auth naming the user and host (never the password), a switch keeps the password only once it
 * worked, copies the history with counts when asked, writes the choice and restarts; going back leaves the team alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { openTeamPool } from '../../../src/main/adapters/teamPool.ts';
import { createProfilesRepo } from '../../../src/main/services/profiles/profilesRepo.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { createSheetsRepo } from '../../../src/main/services/sheets/sheetsRepo.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { TEAM_PASSWORD_ACCOUNT, type OpenPool } from '../../../src/main/services/team/workspace.ts';
import { readWorkspaceConfig, workspaceConfigPath, writeWorkspaceConfig } from '../../../src/main/services/team/workspaceConfig.ts';
import { createWorkspaceService } from '../../../src/main/services/team/workspaceService.ts';
import { appRun } from '../../helpers/computer.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { passwordDatabase } from '../../helpers/pgRoles.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(o: { sending?: number } = {}) {
  const dir = makeTempDir();
  const dbPath = join(dir.path, 'invite-desk.sqlite');
  const db = openDatabase(dbPath);
  cleanups.push(
    () => dir.remove(),
    () => db.close(),
  );
  const secrets = createMemorySecretStore();
  const file = workspaceConfigPath(dbPath);
  let restartedWith: unknown = 'not restarted';
  let onRestart: () => void = () => {};
  const restarted = new Promise<void>((r) => (onRestart = r));
  const passwords: (string | null)[] = [];
  const openPool: OpenPool = (p) => (passwords.push(p.password), openTeamPool(p));
  const service = createWorkspaceService({
    file,
    secrets,
    localDb: db,
    openPool,
    now: Date.now,
    sending: () => o.sending ?? 0,
    restart: () => {
      restartedWith = readWorkspaceConfig(file);
      onRestart();
    },
  });
  return { db, secrets, file, service, passwords, restarted, restartedWith: () => restartedWith };
}

/** Two finished runs of this computer: 3 rows and 2 rows. */
function localHistory(db: ReturnType<typeof openDatabase>) {
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
}

describe('workspace service', () => {
  it('get: this computer by default, with its history counted', async () => {
    const { db, service } = setup();
    localHistory(db);
    expect(await service.get()).toEqual({
      config: { kind: 'local' },
      target: null,
      passwordSaved: false,
      warning: null,
      local: { runs: 2, rows: 5 },
      waitingSince: null,
      refused: null,
    });
  });

  it('test: a wrong password is team_auth on the password field, naming user and host, never the password', async () => {
    const { service } = setup();
    const team = await passwordDatabase(inject('pgUrl'));
    const host = new URL(team.url);
    const got = await service.test({ url: team.url, password: 'not-the-Password-42', tls: false }).catch((e: unknown) => e);
    expect(got).toMatchObject({
      code: 'team_auth',
      field: 'password',
      message: `The team database at ${team.user}@127.0.0.1:${host.port}${host.pathname} (TLS off) refused the user or password. Enter the password again (it is kept in your keychain).`,
    });
    expect(JSON.stringify(got) + String((got as Error).stack)).not.toContain('not-the-Password-42');
    // No password at all is the same refusal (the role signs in with one).
    await expect(service.test({ url: team.url, tls: false })).rejects.toMatchObject({ code: 'team_auth', field: 'password' });
  });

  it('test: the right password opens it, tells the version and what it holds, and changes nothing', async () => {
    const { service, secrets, file } = setup();
    const team = await passwordDatabase(inject('pgUrl'));
    const got = await service.test({ url: team.url, password: team.password, tls: false });
    expect(got).toMatchObject({
      target: expect.stringMatching(new RegExp(`^${team.user}@127\\.0\\.0\\.1:\\d+/team_\\w+ \\(TLS off\\)$`)),
      serverVersion: expect.stringMatching(/^\d+\.\d+/),
      holds: { runs: null, profiles: null, sheets: null },
      setUp: false,
      note: null,
    });
    expect(secrets.entries.size).toBe(0);
    expect(readWorkspaceConfig(file).config).toEqual({ kind: 'local' });
    const c = new pg.Client({ connectionString: inject('pgUrl').replace(/\/postgres$/, new URL(team.url).pathname) });
    await c.connect();
    expect((await c.query("SELECT to_regclass('public.runs') AS t")).rows[0]).toEqual({ t: null });
    await c.end();
  });

  it.each([
    ['an unreachable host', 'postgres://app@127.0.0.1:9/team', false, 'team_unreachable', 'url'],
    ['TLS on against a server without it', null, true, 'team_tls', 'tls'],
    ['a missing database', 'nope', false, 'team_no_database', 'url'],
    ['a URL that is not postgres', 'https://db.example/x', false, 'invalid_url', 'url'],
  ])('test: %s names the field to fix', async (_what, url, tls, code, field) => {
    const { service } = setup();
    const base = new URL(inject('pgUrl'));
    const full = url === null ? base.toString() : url === 'nope' ? `postgres://app@127.0.0.1:${base.port}/nope` : url;
    await expect(service.test({ url: full, tls })).rejects.toMatchObject({ code, field });
  });

  it('test: counts what each table holds, leaving out what is in the trash', async () => {
    const { service } = setup();
    const url = await freshPgUrl();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)');
    await admin.query('CREATE TABLE runs (id TEXT)');
    await admin.query("INSERT INTO runs VALUES ('a'), ('b'), ('c')");
    await admin.query('CREATE TABLE sheets (id TEXT, deleted_at DOUBLE PRECISION)');
    await admin.query("INSERT INTO sheets VALUES ('s1', NULL), ('s2', 5), ('s3', NULL)");
    await admin.end();
    expect(await service.test({ url, tls: false })).toMatchObject({ setUp: true, holds: { runs: 3, profiles: null, sheets: 2 } });
    // Set up by a newer app (a migration this one does not know): said before anything is switched.
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    await again.query('INSERT INTO schema_migrations VALUES (999)');
    await again.end();
    await expect(service.test({ url, tls: false })).rejects.toMatchObject({
      code: 'team_newer',
      message: expect.stringMatching(/was set up by a newer Invite Desk: update this app first\.$/),
    });
  });

  it('test: a role that may not create tables is told so before switching', async () => {
    const { service } = setup();
    const url = await freshPgUrl();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await admin.query('CREATE ROLE reader_only LOGIN').catch(() => {});
    await admin.end();
    const u = new URL(url);
    u.username = 'reader_only';
    expect((await service.test({ url: u.toString(), tls: false })).note).toMatch(
      /^The user reader_only may not create tables in “t_\w+”: ask your admin to make reader_only the database's owner/,
    );
  });

  it('switch with the history copied: counts checked, password kept only then, choice written, restart called after', async () => {
    const { db, service, secrets, file, restarted, restartedWith } = setup();
    localHistory(db);
    const team = await passwordDatabase(inject('pgUrl'));
    // A wrong password: nothing kept, nothing written, no restart.
    await expect(
      service.switch({ kind: 'team', url: team.url, password: 'wrong', tls: false, fourEyes: true, copyHistory: true }),
    ).rejects.toMatchObject({ code: 'team_auth', field: 'password' });
    expect(secrets.entries.size).toBe(0);
    expect(readWorkspaceConfig(file).config).toEqual({ kind: 'local' });
    expect(restartedWith()).toBe('not restarted');

    const result = await service.switch({
      kind: 'team',
      url: team.url,
      password: team.password,
      tls: false,
      fourEyes: true,
      copyHistory: true,
    });
    expect(result).toMatchObject({
      config: { kind: 'team', url: team.url, tls: false, fourEyes: true },
      copied: { runs: 2, rows: 5, requests: 0, alreadyThere: 0 },
      message: expect.stringMatching(
        /^Switched to the team workspace at member_\w+@127\.0\.0\.1:\d+\/team_\w+ \(TLS off\)\. Copied and checked: 2 runs, 5 rows\. Restarting…$/,
      ),
    });
    expect(restartedWith()).toBe('not restarted'); // the answer goes out first
    await restarted;
    expect(restartedWith()).toEqual({ config: { kind: 'team', url: team.url, tls: false, fourEyes: true }, warning: null });
    expect(secrets.entries.get(TEAM_PASSWORD_ACCOUNT)).toBe(team.password);
    expect(readFileSync(file, 'utf8')).not.toContain(team.password);
    // The team database now holds them, and says so to a test (with the keychain's password: none typed).
    expect(await service.test({ url: team.url, tls: false })).toMatchObject({ setUp: true, holds: { runs: 2 } });
    expect(await service.get()).toMatchObject({ target: expect.stringContaining('(TLS off)'), passwordSaved: true });
  });

  it('the switch brings this computer’s profiles and sheets along, and says what it brought', async () => {
    const { db, service, secrets, restarted } = setup();
    const profiles = createProfilesRepo(db);
    profiles.insert({
      id: 'p-acme',
      name: 'Acme',
      environment: 'development',
      instanceId: 'ins_acme',
      fingerprint: 'sk_test_…AAAA',
      baseUrl: 'https://api.clerk.com/v1',
      createdAt: 1,
      updatedAt: 1,
    });
    await secrets.set('p-acme', 'sk_test_acmeacmeacAAAA');
    createSheetsRepo(db).insert({
      id: 's1',
      name: 'Hires',
      settings: defaultSettings(),
      columns: [],
      rows: [['a']],
      createdAt: 1,
      updatedAt: 1,
    });
    const team = await passwordDatabase(inject('pgUrl'));
    const result = await service.switch({
      kind: 'team',
      url: team.url,
      password: team.password,
      tls: false,
      fourEyes: false,
      copyHistory: false,
    });
    expect(result.message).toMatch(/This computer’s runs stay here\. Brought along: 1 profile, 1 sheet\. Restarting…$/);
    await restarted;
    // In the team database, under the same ids (the key keeps working from this computer's keychain).
    const signedIn = new URL(team.url);
    signedIn.password = team.password;
    const pool = new pg.Pool({ connectionString: signedIn.toString(), max: 1 });
    cleanups.push(() => pool.end());
    const shared = pgAppStores(pool, { member: 'another member' });
    expect((await shared.profiles.get('p-acme'))?.name).toBe('Acme');
    expect((await shared.sheets.summary('s1'))?.name).toBe('Hires');
  });

  it('a history not copied at the switch can be copied later into the workspace in use (what is there stays)', async () => {
    const { db, service, restarted } = setup();
    localHistory(db);
    const team = await passwordDatabase(inject('pgUrl'));
    const args = { kind: 'team', url: team.url, password: team.password, tls: false, fourEyes: false } as const;
    expect(await service.switch({ ...args, copyHistory: false })).toMatchObject({ copied: null });
    await restarted;
    expect(await service.switch({ kind: 'team', url: team.url, tls: false, fourEyes: false, copyHistory: true })).toMatchObject({
      copied: { runs: 2, rows: 5, alreadyThere: 0 },
    });
    expect(await service.switch({ ...args, copyHistory: true })).toMatchObject({
      copied: { runs: 0, rows: 0, alreadyThere: 2 },
      message: expect.stringContaining('Copied and checked: 0 runs, 0 rows (2 already there)'),
    });
  });

  it('the keychain’s password is never sent to another server than the one it was saved for', async () => {
    const { service, secrets, file, passwords } = setup();
    const team = await passwordDatabase(inject('pgUrl'));
    writeWorkspaceConfig(file, { kind: 'team', url: team.url, tls: false, fourEyes: false });
    await secrets.set(TEAM_PASSWORD_ACCOUNT, team.password);
    const other = await passwordDatabase(inject('pgUrl'));
    await expect(service.test({ url: other.url, tls: false })).rejects.toMatchObject({ code: 'team_auth' });
    await service.test({ url: team.url, tls: false });
    expect(passwords).toEqual([null, team.password]);
  });

  it('switch back to this computer: the team database left as it is, the password removed, the choice written', async () => {
    const { db, service, secrets, file, restarted } = setup();
    localHistory(db);
    const team = await passwordDatabase(inject('pgUrl'));
    await service.switch({ kind: 'team', url: team.url, password: team.password, tls: false, fourEyes: false, copyHistory: true });
    await restarted;
    const back = await service.switch({ kind: 'local' });
    expect(back.message).toMatch(
      /^Switched to this computer\. The team database at member_\w+@127\.0\.0\.1:\d+\/team_\w+ \(TLS off\) is left as it is: nothing in it was changed\./,
    );
    expect(readWorkspaceConfig(file).config).toEqual({ kind: 'local' });
    expect(secrets.entries.has(TEAM_PASSWORD_ACCOUNT)).toBe(false);
    const c = openTeamPool({ url: team.url, password: team.password, tls: false });
    expect((await c.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 2 });
    await c.end();
  });

  it('a switch waits for a run sending on this computer', async () => {
    const { service, file } = setup({ sending: 2 });
    await expect(service.switch({ kind: 'local' })).rejects.toThrow(
      '2 runs are still sending on this computer: pause them or let them finish, then switch.',
    );
    expect(readWorkspaceConfig(file)).toEqual({ config: { kind: 'local' }, warning: null });
  });

  it('the team database’s wait: the window told since when and where (never the password), Try again calls the wait', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const db = openDatabase(join(dir.path, 'invite-desk.sqlite'));
    cleanups.push(() => db.close());
    const file = workspaceConfigPath(join(dir.path, 'invite-desk.sqlite'));
    writeWorkspaceConfig(file, { kind: 'team', url: 'postgres://ops@db.acme.example/invites', tls: true, fourEyes: false });
    const told: unknown[] = [];
    let retried = 0;
    const service = createWorkspaceService({
      file,
      secrets: createMemorySecretStore(),
      localDb: db,
      openPool: openTeamPool,
      now: Date.now,
      restart: () => {},
      emitWaiting: (w) => told.push(w),
    });
    service.bindRetry(() => retried++);
    // As waitForTeamDb's onWaiting calls it.
    service.waiting(1_764_943_320_000);
    expect(told).toEqual([{ since: 1_764_943_320_000, target: 'ops@db.acme.example:5432/invites (TLS on)', refused: null }]);
    expect((await service.get()).waitingSince).toBe(1_764_943_320_000);
    expect(service.retry()).toEqual({ waitingSince: 1_764_943_320_000 });
    expect(retried).toBe(1);
    service.waiting(null);
    expect(told.at(-1)).toEqual({ since: null, target: 'ops@db.acme.example:5432/invites (TLS on)', refused: null });
    expect((await service.get()).waitingSince).toBeNull();
    // A refusal (the team session's onRefused): told, kept for a window opened later, settled once it answers.
    service.refused('The team database at ops@db.acme.example:5432/invites (TLS on) refused the user or password.');
    expect(told.at(-1)).toMatchObject({ since: null, refused: expect.stringMatching(/refused the user or password/) });
    expect((await service.get()).refused).toMatch(/refused the user or password/);
    service.waiting(null);
    expect((await service.get()).refused).toBeNull();
  });
});
