/**
 * The unattended-run wiring of the built app (window/shell.ts), booted with the stand-in electron: crash dumps
 * local only, our menu, power events listened to, the log file in the OS log folder, an OS shutdown quits
 * without asking. The decisions themselves are tested in test/main/lifecycle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootBuiltApp, MAIN_BUNDLE } from '../../helpers/bootApp.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
const apps: ReturnType<typeof bootBuiltApp>[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.kill());
  dirs.splice(0).forEach((d) => d.remove());
});
function boot() {
  const dir = makeTempDir('invite-desk-shell-');
  dirs.push(dir);
  const app = bootBuiltApp({ STANDIN_USERDATA: join(dir.path, 'userData'), INVITE_DESK_DB: join(dir.path, 'db.sqlite') });
  apps.push(app);
  return { app, dir: dir.path };
}
const calls = (app: ReturnType<typeof bootBuiltApp>, name: string) =>
  app
    .of('call')
    .filter((r) => r.data['name'] === name)
    .map((r) => r.data['args'] as unknown[]);

describe.skipIf(!existsSync(MAIN_BUNDLE))('unattended-run wiring of the built app', () => {
  it('crash dumps stay local, our menu is installed, sleep/resume and shutdown are listened to, the window close is checked', async () => {
    const { app, dir } = boot();
    await app.waitFor('loadFile');
    expect(calls(app, 'crashReporter.start')[0]?.[0]).toMatchObject({ uploadToServer: false });
    expect(calls(app, 'Menu.setApplicationMenu')).toHaveLength(1);
    const template = calls(app, 'Menu.buildFromTemplate')[0]?.[0] as { label?: string }[];
    expect(template.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const events = app.of('powerMonitor.on').map((r) => r.data['event']);
    expect(events).toEqual(expect.arrayContaining(['resume', 'shutdown']));
    // No run is active: closing the window is not held, and the blocker was never taken.
    const close = await app.closeWindow();
    expect(close).toMatchObject({ prevented: false });
    expect(app.of('powerSaveBlocker.start')).toEqual([]);
    app.quit();
    expect(await app.exited).toBe(0);
    const logFile = join(dir, 'logs', 'main.log');
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toMatch(/quitting \(no runs active\)/);
  });

  it('an OS shutdown journals and quits without a question', async () => {
    const { app } = boot();
    await app.waitFor('loadFile');
    app.power('shutdown');
    expect(await app.exited).toBe(0);
    expect(app.of('dialog')).toEqual([]);
    expect(app.records.map((r) => r.kind)).toContain('quitted');
  });
});
