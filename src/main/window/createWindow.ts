/** The one BrowserWindow, with Electron's security checklist applied explicitly. */
import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { allowedPermission, externalUrlToOpen } from './policy.ts';

export function createMainWindow(opts: { preloadPath: string; rendererUrl: string; iconPath: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Invite Desk',
    icon: opts.iconPath,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  // Everything is denied except the clipboard, and only for our own window: the grid pastes blocks from
  // Excel/Google Sheets through navigator.clipboard.read().
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) =>
    callback(allowedPermission(permission) && wc === win.webContents),
  );
  session.defaultSession.setPermissionCheckHandler((wc, permission) => allowedPermission(permission) && wc === win.webContents);
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const safe = externalUrlToOpen(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  if (opts.rendererUrl.startsWith('file:')) void win.loadFile(join(new URL(opts.rendererUrl).pathname));
  else void win.loadURL(opts.rendererUrl);
  return win;
}
