/**
 * The real app through Electron. Electron's binary cannot be downloaded on our build machines, so this runs
 * only where it exists (`npm run test:electron` on a developer laptop); elsewhere it is skipped, saying why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pathFile = join(require.resolve('electron/package.json'), '..', 'path.txt');
    if (!existsSync(pathFile)) return null;
    const path = require('electron') as unknown as string;
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test.skip(!binary, 'No Electron binary on this machine (its download is not reachable here)');

test('the app window opens with security defaults and the Sandbox ready', async () => {
  const app = await electron.launch({
    executablePath: binary!,
    args: [join(import.meta.dirname, '../../out/main/index.js')],
    env: { ...process.env, INVITE_DESK_DB: join(mkdtempSync(join(tmpdir(), 'invite-desk-e2e-')), 'db.sqlite') },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('profile-switcher').getByTestId('env-badge')).toHaveText('Sandbox');
    // contextIsolation + sandbox + no nodeIntegration: the page sees neither require nor process, only window.api.
    expect(await window.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).length)).toBeGreaterThan(5);
  } finally {
    await app.close();
  }
});
