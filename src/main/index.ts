/** Composition root: lifecycle and wiring only. Logic lives in services/, reachable without Electron. */
import { app, BrowserWindow, dialog, Notification, shell, type BrowserWindow as Win } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from './adapters/sqliteDb.ts';
import { createKeytarSecretStore } from './adapters/keytarSecretStore.ts';
import { emitter, registerIpc } from './ipc/register.ts';
import { startupConfig, type StartupConfig } from './services/lifecycle/startupConfig.ts';
import { describeStartupFailure, OPEN_DATA_FOLDER } from './services/lifecycle/startupFailure.ts';
import { createMainServices, type MainServices } from './services/mainServices.ts';
import { createMainWindow } from './window/createWindow.ts';

let win: Win | null = null;
let services: MainServices | null = null;
const getWindow = () => win;

if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

async function start(): Promise<void> {
  let config: StartupConfig | null = null;
  try {
    config = startupConfig({
      isPackaged: app.isPackaged,
      env: process.env,
      mainDir: import.meta.dirname,
      userData: app.getPath('userData'),
      path,
      toFileUrl: (p) => pathToFileURL(p).toString(),
    });
    if (config.ignored.length) console.warn(`Ignored in a packaged build: ${config.ignored.join(', ')}`);
    const cfg = config;
    services = createMainServices({
      db: openDatabase(cfg.dbPath),
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
    registerIpc(services.handlers, getWindow, cfg.rendererUrl);
    void services.resumeRuns();
    const open = () => {
      win = createMainWindow({ preloadPath: cfg.preloadPath, rendererUrl: cfg.rendererUrl, iconPath: cfg.iconPath });
      win.on('closed', () => (win = null));
    };
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  } catch (error) {
    await failToStart(error, config);
  }
}

/** Say what happened and what to do, then exit: never a windowless process holding the single-instance lock. */
async function failToStart(error: unknown, config: StartupConfig | null): Promise<void> {
  const dataDir = config?.dataDir ?? app.getPath('userData');
  const failure = describeStartupFailure(error, { dbPath: config?.dbPath ?? path.join(dataDir, 'invite-desk.sqlite'), dataDir });
  console.error(failure.message, error);
  const choice = dialog.showMessageBoxSync({
    type: 'error',
    title: failure.title,
    message: failure.message,
    detail: failure.detail,
    buttons: failure.buttons,
    defaultId: failure.buttons.length - 1,
    noLink: true,
  });
  if (choice === OPEN_DATA_FOLDER) await shell.openPath(dataDir);
  app.exit(1);
}

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
