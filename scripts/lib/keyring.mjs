// @ts-check
// Tests use a real OS keychain without touching the developer's own: on Linux, a private D-Bus session with an
// unlocked gnome-keyring under a temporary HOME. Elsewhere (macOS Keychain, Windows Credential Manager) there is
// no private one to make, so the keyring tests skip with the reason and the rest use an in-memory store.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './runtime.mjs';

/** @param {string} tool */
function has(tool) {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The argv (for the given Node) that runs `args` inside a private keyring, and the environment for it.
 * @param {{ node: string, env: NodeJS.ProcessEnv }} rt @param {string[]} args node arguments
 * @returns {{ cmd: string, args: string[], env: NodeJS.ProcessEnv }}
 */
export function inPrivateKeyring(rt, args) {
  if (rt.env['INVITE_DESK_TEST_KEYRING']) return { cmd: rt.node, args, env: rt.env }; // already inside one
  if (process.platform !== 'linux') {
    const reason = `no private keychain can be made on ${process.platform}: keyring tests skip, the rest use an in-memory store`;
    console.error(`keyring: ${reason}`);
    return { cmd: rt.node, args, env: { ...rt.env, INVITE_DESK_TEST_KEYRING_SKIP: reason } };
  }
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (!has(tool)) {
      console.error(`keyring: ${tool} is missing: sudo apt-get install dbus gnome-keyring`);
      process.exit(1);
    }
  }
  return {
    cmd: 'dbus-run-session',
    args: ['--', rt.node, path.join(ROOT, 'scripts', 'lib', 'keyring-session.mjs'), ...args],
    env: { ...rt.env, INVITE_DESK_TEST_KEYRING: '1' },
  };
}

/**
 * Runs `node <args>` inside a private keyring; resolves with the exit code.
 * @param {{ node: string, env: NodeJS.ProcessEnv }} rt @param {string[]} args
 * @param {NodeJS.ProcessEnv} [extraEnv]
 * @returns {Promise<number>}
 */
export function runInKeyring(rt, args, extraEnv = {}) {
  const k = inPrivateKeyring(rt, args);
  return new Promise((resolve) => {
    const child = spawn(k.cmd, k.args, { stdio: 'inherit', cwd: ROOT, env: { ...k.env, ...extraEnv } });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', (e) => {
      console.error(e.message);
      resolve(1);
    });
  });
}
