/**
 * The packaging check, offline: electron-builder packs the built app (`--linux dir`) against a stub standing in
 * for Electron's unpacked dist (only the AppImage/deb/dmg toolsets need the internet). Proves the config
 * validates, what app.asar holds, keytar unpacked, the size budget, and that the fuses are flipped.
 */
import { asarListing } from '../helpers/asar.ts';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tempDir.ts';

const ROOT = join(import.meta.dirname, '../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const MAX_ASAR_BYTES = 15 * 1024 * 1024;
const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const builder = join(ROOT, 'node_modules/electron-builder/cli.js');

describe.skipIf(!existsSync(join(ROOT, 'out/main/index.js')))('electron-builder --linux dir with a stub Electron', () => {
  const tmp = makeTempDir('invite-desk-pack-');
  afterAll(() => tmp.remove());
  const stub = join(tmp.path, 'electron-dist');
  const output = join(tmp.path, 'dist');
  mkdirSync(stub);
  // Electron's fuse wire as the real binary carries it: v1, 8 fuses, RunAsNode on, asar-only and integrity off.
  writeFileSync(join(stub, 'electron'), `#!/bin/sh\n# ${SENTINEL}\x01\x0810110001\n`);
  chmodSync(join(stub, 'electron'), 0o755);
  writeFileSync(join(stub, 'version'), version);

  let r: SpawnSyncReturns<string>;
  beforeAll(() => {
    r = spawnSync(process.execPath, [builder, '--linux', 'dir', `-c.electronDist=${stub}`, `-c.directories.output=${output}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
  }, 120_000);
  const app = join(output, 'linux-unpacked');

  it('validates the config and packs', () => {
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(app, 'invite-desk'))).toBe(true);
  });

  it('app.asar holds the built main, preload and renderer, and no sources, tests or benchmarks', () => {
    const files = asarListing(join(app, 'resources/app.asar'));
    for (const f of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json', '/resources/icon.png'])
      expect(files).toContain(f);
    expect(files.filter((f) => /^\/(src|test|bench|scripts|\.tools)\//.test(f) || f.endsWith('.map'))).toEqual([]);
    // Only what main imports at run time is packed (Vite bundled the renderer's libraries).
    const packages = files.filter((f) => /^\/node_modules\/[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length));
    expect(packages).toEqual(expect.arrayContaining(['keytar', 'zod']));
    expect(packages).not.toEqual(expect.arrayContaining(['react']));
  });

  it("keytar's native module is unpacked beside app.asar", () => {
    const dir = join(app, 'resources/app.asar.unpacked/node_modules/keytar/build/Release');
    expect(readdirSync(dir).filter((f) => f.endsWith('.node'))).toEqual(['keytar.node']);
  });

  it('app.asar stays within 15 MB', () => {
    const size = statSync(join(app, 'resources/app.asar')).size;
    console.log(`app.asar: ${(size / 1024 / 1024).toFixed(1)} MB (budget 15 MB)`);
    expect(size).toBeLessThanOrEqual(MAX_ASAR_BYTES);
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS, no inspect flags; app only from an integrity-checked asar', () => {
    const exe = readFileSync(join(app, 'invite-desk'));
    const at = exe.indexOf(SENTINEL) + SENTINEL.length;
    const wire = exe.subarray(at + 2, at + 2 + exe[at + 1]!).toString('latin1');
    // RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges
    expect(wire).toBe('01001101');
  });
});
