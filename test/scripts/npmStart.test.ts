/**
 * `npm start` on a fresh checkout fetches Electron's binary before launching (Electron 42+ has no postinstall
 * download, and electron-vite 6 throws "Electron uninstall" without it). Proven offline: a stub Electron (a
 * script that records how it was launched) served from a local mirror on 127.0.0.1, on a copy of the project.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tempDir.ts';
import { makeZip } from '../helpers/zip.ts';

const ROOT = join(import.meta.dirname, '../..');
const ELECTRON_DIR = join(ROOT, 'node_modules/electron');
const version = (JSON.parse(readFileSync(join(ELECTRON_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const supported = process.platform === 'linux' || process.platform === 'darwin';
const exeInZip = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, shell: process.platform === 'win32' });
    let output = '';
    child.stdout.on('data', (b) => (output += String(b)));
    child.stderr.on('data', (b) => (output += String(b)));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe.skipIf(!supported)('npm start on a fresh checkout', () => {
  const tmp = makeTempDir('invite-desk-start-');
  const project = join(tmp.path, 'project');
  const record = join(tmp.path, 'launched.txt');
  const requests: string[] = [];
  let server: Server;
  let mirror = '';
  const clean = () => {
    rmSync(join(ELECTRON_DIR, 'path.txt'), { force: true });
    rmSync(join(ELECTRON_DIR, 'dist'), { recursive: true, force: true });
  };

  beforeAll(async () => {
    // The project as a user clones it (no out/, no Electron binary), sharing node_modules.
    mkdirSync(project);
    for (const f of ['package.json', 'electron.vite.config.ts', 'src', 'resources', 'scripts'])
      cpSync(join(ROOT, f), join(project, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'junction');
    clean();
    const stub = Buffer.from(`#!/bin/sh\n{ pwd; for a in "$@"; do echo "$a"; done; } > "$INVITE_DESK_STUB_RECORD"\n`);
    const zip = makeZip([
      { name: exeInZip, data: stub, mode: 0o755 },
      { name: 'version', data: Buffer.from(version) },
    ]);
    const sums = `${createHash('sha256').update(zip).digest('hex')} *${zipName}\n`;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === `/v${version}/${zipName}`) res.end(zip);
      else if (req.url === `/v${version}/SHASUMS256.txt`) res.end(sums);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    clean(); // leave node_modules/electron as it was: no binary
    await new Promise((r) => server.close(r));
    tmp.remove();
  });

  it('fetches Electron from the mirror, builds the app and launches it', { timeout: 180_000 }, async () => {
    const env = {
      ELECTRON_MIRROR: mirror,
      electron_use_remote_checksums: '1',
      electron_config_cache: join(tmp.path, 'cache'),
      INVITE_DESK_STUB_RECORD: record,
    };
    const r = await run('npm', ['start'], project, env);
    expect(r.code, r.output).toBe(0);
    expect(requests).toContain(`/v${version}/${zipName}`);
    const [cwd, ...args] = readFileSync(record, 'utf8').trim().split('\n');
    expect(cwd).toBe(project);
    expect(args[0]).toBe('.');
    // "." is the app: package.json's main, which npm start built.
    const main = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { main: string }).main;
    expect(existsSync(join(project, main))).toBe(true);
    expect(existsSync(join(project, 'out/renderer/index.html'))).toBe(true);
  });

  it('where Electron cannot be downloaded, says so in one line and exits non-zero', { timeout: 60_000 }, async () => {
    clean();
    const r = await run('npm', ['start'], project, {
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(tmp.path, 'empty-cache'),
    });
    expect(r.code).not.toBe(0);
    const lines = r.output.split('\n').filter((l) => l.includes("could not download Electron's binary"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Check the internet connection \(or set ELECTRON_MIRROR/);
  });
});
