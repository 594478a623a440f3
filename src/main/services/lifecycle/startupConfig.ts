/**
 * Where the app's files and data are, decided from the environment. Dev-only variables (a renderer dev server,
 * another database) are honoured only in an unpackaged build: a packaged app never lets the environment point
 * its trusted window, which holds the full window.api, at another page. Plain module: tested with path.win32.
 */
import type { PlatformPath } from 'node:path';

export type StartupConfig = {
  /** What the window loads: our own file, or the dev server in development. */
  rendererUrl: string;
  /** The built renderer's index.html (what rendererUrl points at unless a dev server is used). */
  rendererFile: string;
  preloadPath: string;
  iconPath: string;
  dbPath: string;
  dataDir: string;
  /** Dev-only variables that were set and ignored because the build is packaged. */
  ignored: string[];
};

export const DEV_ONLY_VARIABLES = ['ELECTRON_RENDERER_URL', 'INVITE_DESK_DB'] as const;

export function startupConfig(input: {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  /** The folder of the built main bundle (out/main). */
  mainDir: string;
  userData: string;
  path: PlatformPath;
  toFileUrl: (path: string) => string;
}): StartupConfig {
  const { path, env, isPackaged } = input;
  const dev = (name: (typeof DEV_ONLY_VARIABLES)[number]) => (isPackaged ? undefined : env[name] || undefined);
  const rendererFile = path.join(input.mainDir, '..', 'renderer', 'index.html');
  return {
    rendererUrl: dev('ELECTRON_RENDERER_URL') ?? input.toFileUrl(rendererFile),
    rendererFile,
    preloadPath: path.join(input.mainDir, '..', 'preload', 'index.cjs'),
    iconPath: path.join(input.mainDir, '..', '..', 'resources', 'icon.png'),
    dbPath: dev('INVITE_DESK_DB') ?? path.join(input.userData, 'invite-desk.sqlite'),
    dataDir: input.userData,
    ignored: isPackaged ? DEV_ONLY_VARIABLES.filter((name) => env[name]) : [],
  };
}

/** `loadFile` wants a path (fileURLToPath: `C:\Program Files\…` on Windows, never `/C:/Program%20Files/…`). */
export function rendererTarget(url: string, fileUrlToPath: (url: string) => string): { file: string } | { url: string } {
  return url.startsWith('file:') ? { file: fileUrlToPath(url) } : { url };
}
