// @ts-check
// `npm run dist`: installers for the OS this runs on, from the build in out/ (electron-builder.yml): macOS dmg +
// zip (hardened runtime, notarized when Apple's credentials are set), Windows NSIS, Linux AppImage + deb.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { notarizeDecision } from './lib/platform.mjs';
import { binOf, ROOT } from './lib/runtime.mjs';

const args = process.argv.slice(2);
if (process.platform === 'darwin') {
  const n = notarizeDecision(process.env);
  console.log(n.message);
  args.push(`-c.mac.notarize=${n.notarize}`);
}
const r = spawnSync(process.execPath, [binOf('electron-builder'), ...args], { cwd: ROOT, stdio: 'inherit' });
if (r.status === 0) console.log(`dist: installers are in ${path.join(ROOT, 'dist')}`);
process.exit(r.status ?? 1);
