/** Paths and URLs the shell uses, on Windows and POSIX, and the dev-only variables a packaged build ignores. */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../src/main/ipc/sender.ts';
import { rendererTarget, startupConfig } from '../../../src/main/services/lifecycle/startupConfig.ts';

const win = {
  path: path.win32,
  toFileUrl: (p: string) => pathToFileURL(p, { windows: true }).toString(),
  toPath: (u: string) => fileURLToPath(u, { windows: true }),
  mainDir: 'C:\\Program Files\\Invite Desk\\resources\\app.asar\\out\\main',
  userData: 'C:\\Users\\Ops Person\\AppData\\Roaming\\Invite Desk',
};
const posix = {
  path: path.posix,
  toFileUrl: (p: string) => pathToFileURL(p, { windows: false }).toString(),
  toPath: (u: string) => fileURLToPath(u, { windows: false }),
  mainDir: '/Applications/Invite Desk.app/Contents/Resources/app.asar/out/main',
  userData: '/Users/ops/Library/Application Support/Invite Desk',
};

describe.each([
  ['win32', win],
  ['posix', posix],
])('%s', (_name, os) => {
  const config = (isPackaged: boolean, env: Record<string, string> = {}) =>
    startupConfig({ isPackaged, env, mainDir: os.mainDir, userData: os.userData, path: os.path, toFileUrl: os.toFileUrl });

  it('loads the built renderer file: its URL turns back into the same path (spaces and all) for loadFile', () => {
    const c = config(true);
    expect(c.rendererFile).toBe(os.path.join(os.mainDir, '..', 'renderer', 'index.html'));
    expect(c.rendererUrl).toMatch(/^file:\/\/\/.*Invite%20Desk/);
    expect(rendererTarget(c.rendererUrl, os.toPath)).toEqual({ file: c.rendererFile });
    expect(c.preloadPath).toBe(os.path.join(os.mainDir, '..', 'preload', 'index.cjs'));
    expect(c.dbPath).toBe(os.path.join(os.userData, 'invite-desk.sqlite'));
  });

  it('the window that loaded that file is trusted; the same file name elsewhere is not', () => {
    const c = config(true);
    const trusted = { webContentsId: 1, rendererUrl: c.rendererUrl };
    expect(isTrustedSender({ webContentsId: 1, isMainFrame: true, frameUrl: c.rendererUrl }, trusted)).toBe(true);
    expect(isTrustedSender({ webContentsId: 1, isMainFrame: true, frameUrl: `${c.rendererUrl}#/runs` }, trusted)).toBe(true);
    const other = os.toFileUrl(os.path.join(os.userData, 'index.html'));
    expect(isTrustedSender({ webContentsId: 1, isMainFrame: true, frameUrl: other }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 2, isMainFrame: true, frameUrl: c.rendererUrl }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 1, isMainFrame: false, frameUrl: c.rendererUrl }, trusted)).toBe(false);
  });

  it('a packaged build ignores ELECTRON_RENDERER_URL and INVITE_DESK_DB, and says so', () => {
    const env = { ELECTRON_RENDERER_URL: 'https://evil.example/', INVITE_DESK_DB: os.path.join(os.userData, '..', 'x.sqlite') };
    const c = config(true, env);
    expect(c.rendererUrl.startsWith('file:')).toBe(true);
    expect(c.dbPath).toBe(os.path.join(os.userData, 'invite-desk.sqlite'));
    expect(c.ignored).toEqual(['ELECTRON_RENDERER_URL', 'INVITE_DESK_DB']);
  });

  it('an unpackaged (development) build honours them', () => {
    const c = config(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/', INVITE_DESK_DB: 'dev.sqlite' });
    expect(c.rendererUrl).toBe('http://localhost:5173/');
    expect(rendererTarget(c.rendererUrl, os.toPath)).toEqual({ url: 'http://localhost:5173/' });
    expect(c.dbPath).toBe('dev.sqlite');
    expect(c.ignored).toEqual([]);
  });
});

it('Windows: a frame URL Chromium spelled differently (drive letter case, encoding) is still our file', () => {
  const ours = 'file:///C:/Users/Ops%20O%27Brien/Invite%20Desk/out/renderer/index.html';
  const chromium = "file:///c:/Users/Ops%20O'Brien/Invite%20Desk/out/renderer/index.html";
  expect(isTrustedSender({ webContentsId: 1, isMainFrame: true, frameUrl: chromium }, { webContentsId: 1, rendererUrl: ours })).toBe(true);
  const other = 'file:///D:/Users/Ops%20O%27Brien/Invite%20Desk/out/renderer/index.html';
  expect(isTrustedSender({ webContentsId: 1, isMainFrame: true, frameUrl: other }, { webContentsId: 1, rendererUrl: ours })).toBe(false);
});

it('the old Windows bug stays fixed: a URL pathname is not a Windows path', () => {
  const url = win.toFileUrl('C:\\Program Files\\Invite Desk\\out\\renderer\\index.html');
  expect(new URL(url).pathname).toBe('/C:/Program%20Files/Invite%20Desk/out/renderer/index.html');
  expect(rendererTarget(url, win.toPath)).toEqual({ file: 'C:\\Program Files\\Invite Desk\\out\\renderer\\index.html' });
});
