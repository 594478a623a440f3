/**
 * Boots the BUILT main bundle (out/main/index.js) in a child Node with `electron` resolved to the stand-in
 * (test/helpers/electron-standin), collecting what the app asked of Electron and driving it like Electron would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type Rec = { kind: string; data: Record<string, unknown> };
const ROOT = join(import.meta.dirname, '../..');
export const MAIN_BUNDLE = join(ROOT, 'out/main/index.js');

export function bootBuiltApp(env: Record<string, string>) {
  const child: ChildProcess = fork(MAIN_BUNDLE, [], {
    cwd: ROOT,
    execArgv: ['--import', join(import.meta.dirname, 'electron-standin/register.mjs'), '--no-warnings'],
    env: { ...process.env, ELECTRON_RENDERER_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const records: Rec[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const replies = new Map<number, (v: unknown) => void>();
  let exitCode: number | null = null;
  let output = '';
  child.stdout?.on('data', (b) => (output += String(b)));
  child.stderr?.on('data', (b) => (output += String(b)));
  const check = () => {
    for (const w of waiters.splice(0)) (w.test() ? w.resolve : () => waiters.push(w))();
  };
  child.on(
    'message',
    (m: { type: string; kind?: string; data?: Record<string, unknown>; id?: number; result?: unknown; code?: number }) => {
      if (m.type === 'record') records.push({ kind: m.kind!, data: m.data ?? {} });
      if (m.type === 'reply') replies.get(m.id!)?.(m.result);
      check();
    },
  );
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code ?? 1;
      resolve(exitCode);
      check();
    }),
  );
  let nextId = 1;
  const ask = (msg: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      replies.set(id, resolve);
      child.send({ ...msg, id });
    });
  return {
    records,
    exited,
    get output() {
      return output;
    },
    get exitCode() {
      return exitCode;
    },
    of: (kind: string) => records.filter((r) => r.kind === kind),
    /** Resolves once a record of this kind arrived (or the process ended: then it rejects with its output). */
    waitFor(kind: string): Promise<Rec> {
      return new Promise((resolve, reject) => {
        const test = () => records.some((r) => r.kind === kind) || exitCode !== null;
        waiters.push({
          test,
          resolve: () => {
            const r = records.find((x) => x.kind === kind);
            if (r) resolve(r);
            else reject(new Error(`the app exited (${exitCode}) before "${kind}":\n${output}`));
          },
        });
        check();
      });
    },
    invoke: (channel: string, arg: unknown, sender: 'window' | 'foreign' | 'subframe' = 'window', frameUrl?: string) =>
      ask({ cmd: 'invoke', channel, arg, sender, ...(frameUrl ? { frameUrl } : {}) }) as Promise<{ ok: boolean; error?: { code: string } }>,
    headers: () => ask({ cmd: 'headers' }) as Promise<Record<string, string[]>>,
    quit: () => child.send({ cmd: 'quit' }),
    /** powerMonitor events as the OS sends them ('resume', 'shutdown', …). */
    power: (event: string) => child.send({ cmd: 'power', event }),
    /** The user closes the window: resolves with whether the app held the close. */
    closeWindow: async () => {
      const before = records.filter((r) => r.kind === 'window-close').length;
      child.send({ cmd: 'close-window' });
      await new Promise<void>((resolve) => {
        const test = () => records.filter((r) => r.kind === 'window-close').length > before || exitCode !== null;
        waiters.push({ test, resolve });
        check();
      });
      return records.filter((r) => r.kind === 'window-close').at(-1)?.data;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
