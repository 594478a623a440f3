/** The one BrowserWindow, with Electron's security checklist applied explicitly. */
import { BrowserWindow, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { rendererTarget } from '../services/lifecycle/startupConfig.ts';
import { allowedPermission, contentSecurityPolicy, externalUrlToOpen } from './policy.ts';

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
  const ses = session.defaultSession;
  // Everything is denied except the clipboard, and only for our own window: the grid pastes blocks from
  // Excel/Google Sheets through navigator.clipboard.read().
  ses.setPermissionRequestHandler((wc, permission, callback) => callback(allowedPermission(permission) && wc === win.webContents));
  ses.setPermissionCheckHandler((wc, permission) => allowedPermission(permission) && wc === win.webContents);
  const csp = contentSecurityPolicy(opts.rendererUrl);
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }),
  );
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const safe = externalUrlToOpen(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  const target = rendererTarget(opts.rendererUrl, (url) => fileURLToPath(url));
  if ('file' in target) void win.loadFile(target.file);
  else void win.loadURL(target.url);
  return win;
}
