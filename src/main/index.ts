/** Composition root: lifecycle and wiring only. Logic lives in services/, reachable without Electron. */
import { app, BrowserWindow, type BrowserWindow as Win } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from './adapters/sqliteDb.ts';
import { createKeytarSecretStore } from './adapters/keytarSecretStore.ts';
import { emitter, registerIpc } from './ipc/register.ts';
import { createMainServices, type MainServices } from './services/mainServices.ts';
import { createMainWindow } from './window/createWindow.ts';

let win: Win | null = null;
let services: MainServices | null = null;
const getWindow = () => win;

const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).toString();

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.whenReady().then(async () => {
  const db = openDatabase(process.env['INVITE_DESK_DB'] ?? join(app.getPath('userData'), 'invite-desk.sqlite'));
  services = createMainServices({
    db,
    secrets: createKeytarSecretStore(),
    emit: emitter(getWindow),
    appVersion: app.getVersion(),
    platform: process.platform,
  });
  registerIpc(services.handlers, getWindow, rendererUrl);
  const open = () => {
    win = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      rendererUrl,
      iconPath: join(import.meta.dirname, '../../resources/icon.png'),
    });
    win.on('closed', () => (win = null));
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void services?.close();
});
