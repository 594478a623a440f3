/**
 * Electron's side of unattended runs: power, network, tray, taskbar, menu, crashes, notifications, logs.
 * Thin by design: every decision is in services/lifecycle (tested with vitest); this file only adapts
 * Electron's events and objects to those modules.
 */
import {
  app,
  clipboard,
  crashReporter,
  dialog,
  Menu,
  net,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  shell as osShell,
  Tray,
  type BrowserWindow,
  type MenuItemConstructorOptions,
} from 'electron';
// electron-log's node build: electron-log/main would also register an IPC channel any renderer may write to,
// outside our one contract and its sender checks. The files and rotation are the same.
import log from 'electron-log/node';
import { arch, release } from 'node:os';
import type { RunProgress } from '../../shared/domain/send/types.ts';
import type { EventName, Events } from '../../shared/ipc/contract.ts';
import { createAwakeKeeper } from '../services/lifecycle/awake.ts';
import { systemClock } from '../services/lifecycle/clock.ts';
import { watchClockJumps } from '../services/lifecycle/clockJumps.ts';
import { closeQuestion, CLOSE_BUTTONS, createCloseFlow } from '../services/lifecycle/closeFlow.ts';
import { buildDiagnostics } from '../services/lifecycle/diagnostics.ts';
import { configureLogger, type AppLog } from '../services/lifecycle/logger.ts';
import { appMenuTemplate, trayMenuTemplate, type MenuSpec } from '../services/lifecycle/menu.ts';
import { createNetworkMonitor } from '../services/lifecycle/network.ts';
import { notifyRunFinished } from '../services/lifecycle/notify.ts';
import { createRunsTracker, taskbarState } from '../services/lifecycle/progress.ts';
import { createRendererWatchdog } from '../services/lifecycle/watchdog.ts';
import type { MainServices } from '../services/mainServices.ts';

export type Notice = Events['app:notice'];

/** Before ready: crash dumps stay on this computer; main's log and its uncaught errors. */
export function startLogging(): AppLog & { keepEmails: boolean; dir: string } {
  const state = { keepEmails: false, dir: app.getPath('logs') };
  const appLog = configureLogger(log, { dir: state.dir, keepEmails: () => state.keepEmails });
  // Crash dumps stay in the OS's crashDumps folder: nothing is uploaded anywhere.
  crashReporter.start({ uploadToServer: false, compress: true });
  process.on('uncaughtException', (e) => appLog.error('uncaught exception in main', e));
  process.on('unhandledRejection', (e) => appLog.error('unhandled rejection in main', e));
  return Object.assign(state, appLog);
}

export const networkSource = () => createNetworkMonitor({ isOnline: () => net.isOnline(), clock: systemClock });

export function installShell(o: {
  services: MainServices;
  getWindow: () => BrowserWindow | null;
  openWindow: () => BrowserWindow;
  iconPath: string;
  log: ReturnType<typeof startLogging>;
  sendToWindow: <E extends EventName>(event: E, payload: Events[E]) => void;
}) {
  const { services, log: appLog } = o;
  const platform = process.platform;
  let tray: Tray | null = null;
  const running = () => tracker.running();
  const notice = (n: Notice) => o.sendToWindow('app:notice', n);

  const awake = createAwakeKeeper({
    start: () => powerSaveBlocker.start('prevent-app-suspension'),
    stop: (id) => powerSaveBlocker.stop(id),
  });
  const tracker = createRunsTracker((now) => {
    awake.update(now.length);
    showProgress(now);
  });
  function showProgress(now: RunProgress[]) {
    const s = taskbarState(now, Date.now());
    const win = o.getWindow();
    if (win && !win.isDestroyed()) win.setProgressBar(s.fraction, { mode: s.mode });
    app.setBadgeCount(s.badge);
    if (tray) {
      tray.setToolTip(s.tooltip);
      tray.setContextMenu(buildMenu(trayMenuTemplate({ status: s.tooltip, runs: now.length })));
    }
  }

  const flow = createCloseFlow({
    platform,
    activeRuns: () => services.engine.activeCount(),
    ask: async () => {
      const left = running().reduce((n, r) => n + r.counts.queued + r.counts.inflight, 0);
      const q = closeQuestion(services.engine.activeCount(), left, platform);
      const win = o.getWindow();
      const opts = { type: 'question' as const, title: 'Invite Desk', noLink: true, ...q };
      const { response } = win ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
      return CLOSE_BUTTONS[response]?.choice ?? 'cancel';
    },
    toBackground: () => {
      o.getWindow()?.hide();
      if (platform === 'darwin') app.hide();
      else showTray();
    },
    stopAll: (ms) => services.close(ms),
    quit: () => app.quit(),
    log: (m) => appLog.info(m),
  });

  function showTray() {
    if (tray) return;
    tray = new Tray(o.iconPath);
    tray.on('click', openWindow);
    showProgress(running());
  }
  function openWindow() {
    const win = o.getWindow() ?? o.openWindow();
    win.show();
    win.focus();
    tray?.destroy();
    tray = null;
  }

  async function copyDiagnostics() {
    clipboard.writeText(
      buildDiagnostics({
        appVersion: app.getVersion(),
        packaged: app.isPackaged,
        versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
        os: { platform, release: release(), arch: arch() },
        profiles: (await services.profiles.state()).profiles,
        runs: await services.runs.list(),
        activeRunIds: running().map((r) => r.id),
        logDir: appLog.dir,
        now: Date.now(),
      }),
    );
    notice({
      kind: 'info',
      text: 'Diagnostics copied: versions, profile environments and key fingerprints, run states. No key, no email.',
    });
  }
  const commands: Record<string, () => void> = {
    'go:sheets': () => o.sendToWindow('app:menu', { command: 'go:sheets' }),
    'go:runs': () => o.sendToWindow('app:menu', { command: 'go:runs' }),
    'go:profiles': () => o.sendToWindow('app:menu', { command: 'go:profiles' }),
    'go:invitations': () => o.sendToWindow('app:menu', { command: 'go:invitations' }),
    'go:waitlist': () => o.sendToWindow('app:menu', { command: 'go:waitlist' }),
    'go:workspace': () => o.sendToWindow('app:menu', { command: 'go:workspace' }),
    'go:approvals': () => o.sendToWindow('app:menu', { command: 'go:approvals' }),
    showLogs: () => void osShell.openPath(appLog.dir),
    copyDiagnostics: () => void copyDiagnostics(),
    toggleLogEmails: () => {
      appLog.keepEmails = !appLog.keepEmails;
      appLog.info(`email addresses in logs: ${appLog.keepEmails ? 'shown' : 'masked'}`);
      installMenu();
    },
    open: openWindow,
    pauseAll: () => void Promise.all(running().map((r) => services.runs.pause(r.id))),
    quit: () => app.quit(),
  };
  const toElectron = (items: MenuSpec[]): MenuItemConstructorOptions[] =>
    items.map(({ command, submenu, ...rest }) => ({
      ...(rest as MenuItemConstructorOptions),
      ...(command ? { click: () => commands[command]?.() } : {}),
      ...(submenu ? { submenu: toElectron(submenu) } : {}),
    }));
  const buildMenu = (items: MenuSpec[]) => Menu.buildFromTemplate(toElectron(items));
  function installMenu() {
    Menu.setApplicationMenu(
      buildMenu(appMenuTemplate({ platform, packaged: app.isPackaged, appName: app.getName(), logEmails: appLog.keepEmails })),
    );
  }
  installMenu();

  // Sleep, clock jumps, shutdown.
  powerMonitor.on('resume', () => services.engine.wake('resume'));
  powerMonitor.on('shutdown', () => void flow.onSessionEnd());
  watchClockJumps({ clock: systemClock, monotonic: () => performance.now(), onJump: (drift) => services.engine.wake('clock-jump', drift) });
  app.on('before-quit', (event) => {
    if (flow.onBeforeQuit()) event.preventDefault();
  });

  return {
    onProgress: (p: RunProgress) => tracker.update(p),
    onRunFinished: (run: RunProgress) =>
      notifyRunFinished(run, {
        clock: systemClock,
        banner: (text) => notice({ kind: 'info', text }),
        os: {
          supported: Notification.isSupported(),
          show: (title, body, on) => {
            const n = new Notification({ title, body });
            n.on('show', on.shown);
            n.on('failed', on.failed);
            n.on('click', openWindow);
            n.show();
          },
        },
      }),
    /** Every window: close asks while runs are active; a crashed or hung renderer is reloaded. */
    attachWindow(win: BrowserWindow) {
      win.on('close', (event) => {
        if (flow.onWindowClose()) event.preventDefault();
      });
      win.on('query-session-end', () => void flow.onSessionEnd());
      win.on('session-end', () => void flow.onSessionEnd());
      let pending: Notice | null = null;
      const dog = createRendererWatchdog({
        clock: systemClock,
        reload: () => {
          if (!win.webContents.isCrashed()) win.webContents.forcefullyCrashRenderer();
          win.webContents.reload();
        },
        notice: (text) => (pending = { kind: 'warning', text }),
        giveUp: (text) => void dialog.showMessageBox(win, { type: 'error', title: 'Invite Desk', message: text }),
        log: (m) => appLog.warn(m),
      });
      win.webContents.on('render-process-gone', (_e, d) => dog.gone(d.reason));
      win.on('unresponsive', () => dog.unresponsive());
      win.on('responsive', () => dog.responsive());
      win.webContents.on('did-finish-load', () => {
        if (pending) notice(pending);
        pending = null;
        showProgress(running());
      });
    },
  };
}
