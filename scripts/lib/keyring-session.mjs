// @ts-check
// Runs inside `dbus-run-session`: a temporary HOME, an unlocked gnome-keyring (Secret Service) on this private
// bus, then the command (node arguments). The temporary HOME is removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const home = mkdtempSync(path.join(tmpdir(), 'invite-desk-keyring-'));
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_RUNTIME_DIR: path.join(home, 'run') };
mkdirSync(path.join(home, 'run'), { recursive: true, mode: 0o700 });
const daemon = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'pw', env, encoding: 'utf8' });
if (daemon.status !== 0) {
  console.error(`keyring: gnome-keyring-daemon failed: ${daemon.stderr}`);
  process.exit(1);
}
for (const line of daemon.stdout.split('\n')) {
  const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
  if (m && m[1] && m[2] !== undefined) env[m[1]] = m[2];
}
const child = spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit', env });
child.on('exit', (code, signal) => {
  rmSync(home, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
