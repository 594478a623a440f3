// @ts-check
// The I/O half of the project's scripts: pick (or fetch) a Node that satisfies the project, run the project's
// tools on it, fetch Electron's binary. Cross-platform: no shell, paths through node:path.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronMissingMessage, envWithNode, nodePackageFor, pinnedNodeLayout, satisfiesMin, MIN_NODE } from './platform.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {string} message */
export function fail(message) {
  console.error(message);
  process.exit(1);
}

/** Runs npm itself: the npm that runs this script when there is one (npm_execpath), else npm from PATH. */
export function npmArgs(/** @type {string[]} */ args) {
  const cli = process.env['npm_execpath'];
  if (cli && /\.c?js$/.test(cli)) return { cmd: process.execPath, args: [cli, ...args], shell: false };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', args, shell: process.platform === 'win32' };
}

/**
 * The Node to run the project's tools on: this one when it is new enough, else one fetched from the npm
 * registry into .tools/ for this platform and arch (once).
 * @returns {{ node: string, env: NodeJS.ProcessEnv }}
 */
export function ensureNode() {
  if (satisfiesMin(process.version) && !process.env['FORCE_PINNED_NODE']) return { node: process.execPath, env: { ...process.env } };
  const pkg = nodePackageFor(process.platform, process.arch);
  if (!pkg.ok) fail(`${pkg.message} (this Node is ${process.version})`);
  const { name, spec } = /** @type {{ name: string, spec: string }} */ (pkg);
  const layout = pinnedNodeLayout(ROOT, process.platform, name, path);
  if (!existsSync(layout.nodeExe)) {
    console.error(`setup: Node ${process.version} is older than ${MIN_NODE}; fetching ${spec} into .tools/ (once)`);
    const npm = npmArgs(['install', '--global', '--prefix', layout.prefix, '--no-audit', '--no-fund', '--loglevel=error', spec]);
    const r = spawnSync(npm.cmd, npm.args, { stdio: 'inherit', shell: npm.shell });
    if (r.status !== 0 || !existsSync(layout.nodeExe))
      fail(
        `setup: could not install ${spec} from the npm registry. Install Node ${MIN_NODE} or newer yourself, then run npm install again.`,
      );
  }
  return { node: layout.nodeExe, env: envWithNode(process.env, layout, process.platform) };
}

/**
 * A package's command-line entry (its package.json `bin`), run as a script on our Node: no .cmd shims, no shell.
 * @param {string} pkg @param {string} [bin]
 */
export function binOf(pkg, bin = pkg) {
  const dir = path.join(ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!rel) throw new Error(`${pkg} has no bin ${bin}`);
  return path.join(dir, rel);
}

/**
 * Runs `node <args>` and resolves with its exit code; Ctrl+C reaches the child, which decides.
 * @param {{ node: string, env: NodeJS.ProcessEnv }} rt @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 * @returns {Promise<number>}
 */
export function runNode(rt, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(rt.node, args, { stdio: 'inherit', cwd: opts.cwd ?? ROOT, env: { ...rt.env, ...opts.env } });
    const forward = () => {};
    process.on('SIGINT', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
    child.on('error', (e) => {
      console.error(e.message);
      resolve(1);
    });
  });
}

/**
 * Electron 42+ fetches its binary lazily; electron-vite 6 throws "Electron uninstall" instead of fetching
 * (electron-vite#904). So fetch it first with Electron's own installer (idempotent: a no-op once installed).
 * @param {{ node: string, env: NodeJS.ProcessEnv }} rt
 * @returns {{ ok: true, path: string } | { ok: false, message: string }}
 */
export function ensureElectron(rt) {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  if (!existsSync(path.join(dir, 'install.js')))
    return { ok: false, message: 'Invite Desk: node_modules/electron is missing: run npm install first.' };
  const r = spawnSync(rt.node, [path.join(dir, 'install.js')], { env: rt.env, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  const pathTxt = path.join(dir, 'path.txt');
  if (r.status === 0 && existsSync(pathTxt)) {
    const exe = path.join(process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? path.join(dir, 'dist'), readFileSync(pathTxt, 'utf8'));
    if (existsSync(exe)) return { ok: true, path: exe };
  }
  const lines = (r.stderr ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const detail =
    lines.find((l) => /^(Error|RequestError|HTTPError)\b|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|404/.test(l)) ??
    lines[0] ??
    `exit code ${r.status}`;
  return { ok: false, message: electronMissingMessage(detail.replace(/^Error: /, '').slice(0, 300)) };
}
