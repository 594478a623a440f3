/**
 * The Workspace setting in the built app, booted with the stand-in electron: workspace.json is read beside the
 * database (a broken one starts the app on this computer and says so), and a switch answers the window first, then
 * relaunches through the close flow with the choice written; the team password goes to the real keychain only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SECRET_SERVICE } from '../../../src/main/services/secrets/secretStore.ts';
import { TEAM_PASSWORD_ACCOUNT } from '../../../src/main/services/team/workspace.ts';
import { bootBuiltApp, MAIN_BUNDLE } from '../../helpers/bootApp.ts';
import { realKeyring } from '../../helpers/keyring.ts';
import { passwordDatabase } from '../../helpers/pgRoles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
const apps: ReturnType<typeof bootBuiltApp>[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.kill());
  dirs.splice(0).forEach((d) => d.remove());
});
function folder() {
  const dir = makeTempDir('invite-desk-ws-');
  dirs.push(dir);
  return dir.path;
}
async function boot(dir: string) {
  const app = bootBuiltApp({ STANDIN_USERDATA: join(dir, 'userData'), INVITE_DESK_DB: join(dir, 'db.sqlite') });
  apps.push(app);
  await app.waitFor('loadFile');
  return app;
}
type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
const ask = <T>(app: ReturnType<typeof bootBuiltApp>, channel: string, arg?: unknown) => app.invoke(channel, arg) as Promise<Answer<T>>;
/** What the app asked of Electron, in order, of these kinds. */
const steps = (app: ReturnType<typeof bootBuiltApp>) =>
  app.records
    .filter((r) => (r.kind === 'call' && r.data['name'] === 'app.relaunch') || r.kind === 'quit' || r.kind === 'quitted')
    .map((r) => (r.kind === 'call' ? 'relaunch' : r.kind));

describe.skipIf(!existsSync(MAIN_BUNDLE))('the Workspace setting in the built app', () => {
  it('a broken workspace.json: starts on this computer and says so; switching answers, then relaunches through the close flow', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'workspace.json'), '{"kind": "team", ');
    const app = await boot(dir);
    const got = await ask<{ config: unknown; warning: string }>(app, 'workspace:get');
    expect(got).toMatchObject({
      ok: true,
      value: { config: { kind: 'local' }, warning: expect.stringMatching(/could not be read: it is not JSON/) },
    });
    const switched = await ask<{ message: string }>(app, 'workspace:switch', { kind: 'local' });
    expect(switched).toMatchObject({ ok: true, value: { config: { kind: 'local' } } });
    expect(await app.exited).toBe(0);
    // Relaunch first, then the close flow's quit (held while it stops the services, then again): the app exits.
    expect(steps(app)).toEqual(['relaunch', 'quit', 'quit', 'quitted']);
    expect(JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8'))).toEqual({ kind: 'local' });
  });

  it.skipIf(!realKeyring)(
    'to a team workspace and back: the password in the keychain only, the choice written, relaunched each time',
    async () => {
      const team = await passwordDatabase(inject('pgUrl'));
      const dir = folder();
      let app = await boot(dir);
      const wrong = await ask(app, 'workspace:switch', {
        kind: 'team',
        url: team.url,
        password: 'nope',
        tls: false,
        fourEyes: false,
        copyHistory: false,
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'team_auth', field: 'password' } });
      expect(steps(app)).toEqual([]);
      const ok = await ask(app, 'workspace:switch', {
        kind: 'team',
        url: team.url,
        password: team.password,
        tls: false,
        fourEyes: true,
        copyHistory: true,
      });
      expect(ok).toMatchObject({ ok: true, value: { copied: { runs: 0, rows: 0 } } });
      expect(await app.exited).toBe(0);
      // Relaunch first, then the close flow's quit (held while it stops the services, then again): the app exits.
      expect(steps(app)).toEqual(['relaunch', 'quit', 'quit', 'quitted']);
      const file = readFileSync(join(dir, 'workspace.json'), 'utf8');
      expect(JSON.parse(file)).toEqual({ kind: 'team', url: team.url, tls: false, fourEyes: true });
      expect(file).not.toContain(team.password);
      expect(await keytar.getPassword(SECRET_SERVICE, TEAM_PASSWORD_ACCOUNT)).toBe(team.password);

      // The relaunched app: the team workspace in use, its password from the keychain (none typed).
      app = await boot(dir);
      expect(await ask(app, 'workspace:get')).toMatchObject({ ok: true, value: { config: { kind: 'team' }, passwordSaved: true } });
      expect(await ask(app, 'workspace:test', { url: team.url, tls: false })).toMatchObject({ ok: true, value: { setUp: true } });
      expect(await ask(app, 'workspace:switch', { kind: 'local' })).toMatchObject({ ok: true });
      expect(await app.exited).toBe(0);
      expect(await keytar.getPassword(SECRET_SERVICE, TEAM_PASSWORD_ACCOUNT)).toBeNull();
    },
  );
});
