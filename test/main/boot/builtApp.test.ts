/**
 * The built app boots: out/main/index.js (what electron-builder packs) loaded with a stand-in `electron`, so the
 * shell's wiring is tested here, where Electron's binary cannot be downloaded. `npm test` builds first.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/shared/ipc/contract.ts';
import { bootBuiltApp, MAIN_BUNDLE } from '../../helpers/bootApp.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
const apps: ReturnType<typeof bootBuiltApp>[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.kill());
  dirs.splice(0).forEach((d) => d.remove());
});
function boot(env: (dir: string) => Record<string, string>) {
  const dir = makeTempDir('invite-desk-boot-');
  dirs.push(dir);
  const app = bootBuiltApp({ STANDIN_USERDATA: join(dir.path, 'userData'), ...env(dir.path) });
  apps.push(app);
  return { app, dir: dir.path };
}

describe.skipIf(!existsSync(MAIN_BUNDLE))('the built main bundle, booted with a stand-in electron', () => {
  it('registers every channel of the contract, opens a locked-down window on a renderer file that exists', async () => {
    const { app } = boot((d) => ({ INVITE_DESK_DB: join(d, 'db.sqlite') }));
    const load = await app.waitFor('loadFile');
    expect(
      app
        .of('ipcMain.handle')
        .map((r) => r.data['channel'])
        .sort(),
    ).toEqual([...CHANNELS].sort());

    const [win] = app.of('BrowserWindow');
    const prefs = (win!.data['options'] as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    const preload = prefs['preload'] as string;
    expect(existsSync(preload)).toBe(true);
    // A sandboxed preload can require only electron.
    const requires = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));

    const file = load.data['file'] as string;
    expect(file).toMatch(/out[\\/]renderer[\\/]index\.html$/);
    expect(existsSync(file)).toBe(true);
    expect(app.of('loadURL')).toEqual([]);

    // The CSP is also a response header.
    expect((await app.headers())['Content-Security-Policy']?.[0]).toMatch(/default-src 'self'; script-src 'self';/);
  });

  it('answers its own window, refuses a foreign sender, a subframe and another page', async () => {
    const { app } = boot((d) => ({ INVITE_DESK_DB: join(d, 'db.sqlite') }));
    await app.waitFor('loadFile');
    const own = await app.invoke('profiles:list', undefined);
    expect(own.ok).toBe(true);
    for (const [sender, frameUrl] of [
      ['foreign', undefined],
      ['subframe', undefined],
      ['window', pathToFileURL('/tmp/evil/index.html').toString()],
    ] as const) {
      const r = await app.invoke('profiles:list', undefined, sender, frameUrl);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('before-quit holds the quit until the services have closed (runs journaled), then quits', async () => {
    const { app } = boot((d) => ({ INVITE_DESK_DB: join(d, 'db.sqlite') }));
    await app.waitFor('loadFile');
    app.quit();
    expect(await app.exited).toBe(0);
    const kinds = app.records.map((r) => r.kind).filter((k) => ['quit', 'before-quit-prevented', 'quitted'].includes(k));
    // Electron asks, the app holds the quit while services close, then quits for real.
    expect(kinds).toEqual(['quit', 'before-quit-prevented', 'quit', 'quitted']);
  });

  it('a packaged build ignores ELECTRON_RENDERER_URL and INVITE_DESK_DB', async () => {
    const { app, dir } = boot((d) => ({
      STANDIN_PACKAGED: '1',
      ELECTRON_RENDERER_URL: 'https://evil.example/',
      INVITE_DESK_DB: join(d, 'elsewhere.sqlite'),
    }));
    await app.waitFor('loadFile');
    expect(app.of('loadURL')).toEqual([]);
    expect(existsSync(join(dir, 'userData', 'invite-desk.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'elsewhere.sqlite'))).toBe(false);
  });

  it('a damaged database: a dialog says what happened and what to do, opens the data folder if asked, and the process exits', async () => {
    const { app, dir } = boot((d) => {
      writeFileSync(join(d, 'bad.sqlite'), Buffer.alloc(8192, 0x5a));
      return { INVITE_DESK_DB: join(d, 'bad.sqlite'), STANDIN_DIALOG_CHOICE: '0' };
    });
    expect(await app.exited).toBe(1);
    const [dialog] = app.of('dialog');
    expect(dialog?.data).toMatchObject({ type: 'error', message: 'The database file is damaged.', buttons: ['Open data folder', 'Quit'] });
    expect(app.of('shell.openPath')[0]?.data['path']).toBe(join(dir, 'userData'));
    expect(app.of('BrowserWindow')).toEqual([]);
    expect(app.of('exit')[0]?.data).toEqual({ code: 1 });
  });
});
