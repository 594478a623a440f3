// A stand-in for the `electron` module, for booting the BUILT main bundle without Electron's binary. It records
// what the app asks of Electron (IPC channels, window options, loads, dialogs, quits…) and sends each record to
// the test over the fork IPC channel; the test drives it with messages (invoke a channel as some sender, quit…).
// What the app uses and the stand-in does not model is answered by a recording no-op, so new wiring never crashes
// it. Environment: STANDIN_USERDATA (app.getPath base), STANDIN_PACKAGED=1, STANDIN_DIALOG_CHOICE.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;
const plain = (v, depth = 0) => {
  if (typeof v === 'function') return '[function]';
  if (v === null || typeof v !== 'object') return v;
  if (depth > 4) return '[deep]';
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, depth + 1)]));
};
const record = (kind, data = {}) => process.send?.({ type: 'record', kind, data: plain(data) });
const exit = (code) => (process.send ? process.send({ type: 'exit', code }, () => process.exit(code)) : process.exit(code));

/** Any property, any call, any construction: recorded, and answered with another recorder. */
function recorder(name) {
  return new Proxy(function () {}, {
    get: (_t, prop) => (prop === 'then' || typeof prop === 'symbol' ? undefined : recorder(`${name}.${String(prop)}`)),
    apply: (_t, _this, args) => (record('call', { name, args }), recorder(`${name}()`)),
    construct: (_t, args) => (record('new', { name, args }), recorder(`new ${name}`)),
  });
}
/** A real object first, a recorder for whatever it lacks. */
const withFallback = (name, target) =>
  new Proxy(target, {
    get: (t, prop, r) => (prop in t || typeof prop === 'symbol' ? Reflect.get(t, prop, r) : recorder(`${name}.${String(prop)}`)),
  });

let nextId = 1;
const windows = [];
const handlers = new Map();
const headerListeners = [];

class StandInApp extends EventEmitter {
  isPackaged = env.STANDIN_PACKAGED === '1';
  getPath(name) {
    return name === 'userData' ? env.STANDIN_USERDATA : join(env.STANDIN_USERDATA, `..`, name);
  }
  getVersion() {
    return '0.0.0-standin';
  }
  getName() {
    return 'Invite Desk';
  }
  requestSingleInstanceLock() {
    record('requestSingleInstanceLock');
    return true;
  }
  whenReady() {
    return new Promise((resolve) => setImmediate(() => (this.emit('ready'), resolve())));
  }
  quit() {
    record('quit');
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => ((prevented = true), record('before-quit-prevented')) });
    if (!prevented) {
      record('quitted');
      exit(0);
    }
  }
  exit(code = 0) {
    record('exit', { code });
    exit(code);
  }
}
export const app = withFallback('app', new StandInApp());

class WebContents extends EventEmitter {
  id = nextId++;
  openHandler = null;
  isDestroyed = () => false;
  send = (channel, payload) => record('webContents.send', { channel, payload });
  setWindowOpenHandler = (fn) => (this.openHandler = fn);
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows = () => windows.slice();
  constructor(options) {
    super();
    this.webContents = withFallback('webContents', new WebContents());
    this.loadedUrl = null;
    windows.push(this);
    record('BrowserWindow', { options, webContentsId: this.webContents.id });
    return withFallback('BrowserWindow', this);
  }
  loadFile(file) {
    this.loadedUrl = pathToFileURL(file).toString();
    record('loadFile', { file });
    return Promise.resolve();
  }
  loadURL(url) {
    this.loadedUrl = url;
    record('loadURL', { url });
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized = () => false;
  isDestroyed = () => false;
}

export const ipcMain = withFallback('ipcMain', {
  handle(channel, fn) {
    handlers.set(channel, fn);
    record('ipcMain.handle', { channel });
  },
});

export const session = {
  defaultSession: withFallback('session', {
    setPermissionRequestHandler: () => record('setPermissionRequestHandler'),
    setPermissionCheckHandler: () => record('setPermissionCheckHandler'),
    webRequest: withFallback('webRequest', { onHeadersReceived: (fn) => headerListeners.push(fn) }),
  }),
};

export const dialog = withFallback('dialog', {
  showMessageBoxSync(...args) {
    const options = args.at(-1);
    record('dialog', options);
    return env.STANDIN_DIALOG_CHOICE !== undefined ? Number(env.STANDIN_DIALOG_CHOICE) : (options.buttons?.length ?? 1) - 1;
  },
  showMessageBox(...args) {
    return Promise.resolve({ response: this.showMessageBoxSync(...args), checkboxChecked: false });
  },
  showErrorBox: (title, content) => record('dialog', { title, message: content }),
});

export const shell = withFallback('shell', {
  openExternal: (url) => (record('shell.openExternal', { url }), Promise.resolve()),
  openPath: (path) => (record('shell.openPath', { path }), Promise.resolve('')),
});

export class Notification {
  static isSupported = () => true;
  constructor(options) {
    this.options = options;
  }
  show() {
    record('Notification', this.options);
  }
  on() {}
}

// Power and network: the test emits powerMonitor events ('resume', 'shutdown'); STANDIN_OFFLINE=1 is no network.
export const powerMonitor = new EventEmitter();
for (const ev of ['on', 'once']) {
  const orig = powerMonitor[ev].bind(powerMonitor);
  powerMonitor[ev] = (name, fn) => (record('powerMonitor.on', { event: name }), orig(name, fn));
}
let blockers = 0;
export const powerSaveBlocker = {
  start: (type) => (record('powerSaveBlocker.start', { type }), ++blockers),
  stop: (id) => record('powerSaveBlocker.stop', { id }),
  isStarted: () => false,
};
export const net = withFallback('net', { isOnline: () => env.STANDIN_OFFLINE !== '1' });

// The test's side: invoke a channel as a given sender, read the response headers the window would get, quit.
process.on('message', async (msg) => {
  const win = windows[0];
  if (msg.cmd === 'invoke') {
    const fn = handlers.get(msg.channel);
    const own = win?.webContents.id ?? -1;
    const event = {
      sender: { id: msg.sender === 'foreign' ? own + 100 : own },
      senderFrame: { parent: msg.sender === 'subframe' ? {} : null, url: msg.frameUrl ?? win?.loadedUrl },
    };
    const result = fn ? await fn(event, msg.arg) : { missing: msg.channel };
    process.send({ type: 'reply', id: msg.id, result: plain(result) });
  } else if (msg.cmd === 'headers') {
    let out = null;
    for (const fn of headerListeners) fn({ url: win?.loadedUrl, responseHeaders: {} }, (r) => (out = r.responseHeaders));
    process.send({ type: 'reply', id: msg.id, result: out });
  } else if (msg.cmd === 'quit') {
    app.quit();
  } else if (msg.cmd === 'power') {
    powerMonitor.emit(msg.event, { preventDefault() {} });
  } else if (msg.cmd === 'close-window') {
    let prevented = false;
    win?.emit('close', { preventDefault: () => (prevented = true) });
    record('window-close', { prevented });
  }
});

const names = [
  'autoUpdater',
  'contentTracing',
  'crashReporter',
  'desktopCapturer',
  'globalShortcut',
  'inAppPurchase',
  'Menu',
  'MenuItem',
  'nativeImage',
  'nativeTheme',
  'net',
  'netLog',
  'powerMonitor',
  'powerSaveBlocker',
  'protocol',
  'safeStorage',
  'screen',
  'systemPreferences',
  'TouchBar',
  'Tray',
  'utilityProcess',
  'webContents',
  'WebContentsView',
  'BaseWindow',
  'clipboard',
  'webUtils',
];
const generic = Object.fromEntries(names.map((n) => [n, recorder(n)]));
export const {
  autoUpdater,
  contentTracing,
  crashReporter,
  desktopCapturer,
  globalShortcut,
  inAppPurchase,
  Menu,
  MenuItem,
  nativeImage,
  nativeTheme,
  netLog,
  protocol,
  safeStorage,
  screen,
  systemPreferences,
  TouchBar,
  Tray,
  utilityProcess,
  webContents,
  WebContentsView,
  BaseWindow,
  clipboard,
  webUtils,
} = generic;
// Main has no renderer-side modules (libraries such as electron-log check for them).
export const contextBridge = undefined;
export const ipcRenderer = undefined;
export const webFrame = undefined;
export default { app, BrowserWindow, ipcMain, session, dialog, shell, Notification, net, powerMonitor, powerSaveBlocker, ...generic };
