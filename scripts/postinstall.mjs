// @ts-check
// After `npm install`: a Node that satisfies the project (fetched into .tools/ only when the running one is too
// old), and keytar's native module loading on it. keytar is N-API (one binary serves Node and Electron), so its
// prebuilt binary is used wherever it loads; it is built from source only when it does not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { keytarBuildHelp } from './lib/platform.mjs';
import { ensureNode, fail, npmArgs, ROOT } from './lib/runtime.mjs';

const rt = ensureNode();
const loads = () => spawnSync(rt.node, ['-e', "require('keytar')"], { cwd: ROOT, env: rt.env, encoding: 'utf8' });

if (existsSync(path.join(ROOT, 'node_modules', 'keytar'))) {
  let r = loads();
  if (r.status !== 0) {
    console.error(
      `postinstall: keytar's binary does not load here (${(r.stderr.split('\n').find((l) => /Error/.test(l)) ?? '').trim()}); building it from source`,
    );
    const npm = npmArgs(['rebuild', 'keytar', '--build-from-source', '--ignore-scripts=false', '--loglevel=error']);
    spawnSync(npm.cmd, npm.args, { cwd: ROOT, env: rt.env, stdio: ['ignore', 'ignore', 'inherit'], shell: npm.shell });
    r = loads();
    if (r.status !== 0)
      fail(
        `postinstall: keytar (the OS keychain module) could not be built: ${keytarBuildHelp(process.platform)}; then run npm install again.`,
      );
  }
}
