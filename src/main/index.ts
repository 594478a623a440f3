/** Composition root: lifecycle and wiring only. Logic lives in services/, reachable without Electron. */
import { app, BrowserWindow, dialog, shell, type BrowserWindow as Win } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from './adapters/sqliteDb.ts';
import { openTeamPool } from './adapters/teamPool.ts';
import { createKeytarSecretStore } from './adapters/keytarSecretStore.ts';
import type { Events } from '../shared/ipc/contract.ts';
import { emitter, registerIpc } from './ipc/register.ts';
import { startupConfig, type StartupConfig } from './services/lifecycle/startupConfig.ts';
import { describeStartupFailure, OPEN_DATA_FOLDER } from './services/lifecycle/startupFailure.ts';
import { createMainServices, type MainServices } from './services/mainServices.ts';
import { readWorkspaceConfig, workspaceConfigPath } from './services/team/workspaceConfig.ts';
import { createWorkspaceService } from './services/team/workspaceService.ts';
import { workspaceDeps } from './services/team/workspaceDeps.ts';
import { systemClock } from './services/lifecycle/clock.ts';
import { createMainWindow } from './window/createWindow.ts';
import { installShell, networkSource, startLogging } from './window/shell.ts';

let win: Win | null = null;
let services: MainServices | null = null;
let shellApi: ReturnType<typeof installShell> | null = null;
const getWindow = () => win;
const appLog = startLogging();

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
    const toWindow = emitter(getWindow);
    const db = openDatabase(cfg.dbPath);
    const secrets = createKeytarSecretStore();
    // The workspace chosen (workspace.json beside the database). `chosen.config` says which storage to build.
    const workspaceFile = workspaceConfigPath(cfg.dbPath);
    const chosen = readWorkspaceConfig(workspaceFile);
    if (chosen.warning) appLog.warn(chosen.warning);
    const workspace = createWorkspaceService({
      file: workspaceFile,
      secrets,
      localDb: db,
      openPool: openTeamPool,
      now: Date.now,
      sending: () => services?.engine.activeCount() ?? 0,
      // Quitting goes through the close flow (runs stopped, journal kept); the relaunch opens the workspace written.
      restart: () => {
        app.relaunch();
        app.quit();
      },
      log: appLog,
      emitWaiting: (w) => toWindow('workspace:waiting', w),
    });
    services = createMainServices({
      db,
      secrets,
      workspace,
      // This computer's database, or the team workspace's session (team/workspaceDeps.ts).
      ...workspaceDeps(chosen.config, { secrets, openPool: openTeamPool, clock: systemClock, workspace }),
      emit: (event, payload) => {
        if (event === 'runs:progress') shellApi?.onProgress(payload as Events['runs:progress']);
        toWindow(event, payload);
      },
      appVersion: app.getVersion(),
      platform: process.platform,
      network: networkSource(),
      log: appLog,
      onRunFinished: (run) => shellApi?.onRunFinished(run),
    });
    const open = () => {
      const w = createMainWindow({ preloadPath: cfg.preloadPath, rendererUrl: cfg.rendererUrl, iconPath: cfg.iconPath });
      win = w;
      w.on('closed', () => (win = null));
      shellApi?.attachWindow(w);
      return w;
    };
    // Power, network, close/quit, tray, taskbar, menu, crashes: decided in services/lifecycle.
    shellApi = installShell({ services, getWindow, openWindow: open, iconPath: cfg.iconPath, log: appLog, sendToWindow: toWindow });
    registerIpc(services.handlers, getWindow, cfg.rendererUrl);
    void services.resumeRuns();
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
