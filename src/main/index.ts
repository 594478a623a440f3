/** Composition root: lifecycle and wiring only. Logic lives in services/, reachable without Electron. */
import { app, BrowserWindow, Notification, type BrowserWindow as Win } from 'electron';
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
    onRunFinished: (run) => {
      // A long run ends while the user is elsewhere: tell them.
      if (!Notification.isSupported() || (run.finishedAt ?? 0) - (run.startedAt ?? 0) < 60_000) return;
      new Notification({
        title: `Invite Desk: ${run.sheetName}`,
        body: `${run.counts.sent} sent, ${run.counts.failed} failed, ${run.counts.skipped} skipped (${run.profileName}).`,
      }).show();
    },
  });
  registerIpc(services.handlers, getWindow, rendererUrl);
  void services.resumeRuns();
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

let quitting = false;
app.on('before-quit', (event) => {
  // Let requests in flight finish and be journaled; runs resume on the next start.
  if (quitting || !services) return;
  event.preventDefault();
  quitting = true;
  void services.close().finally(() => app.quit());
});
