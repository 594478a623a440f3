/** Pure navigation and content policy for the window (the Electron wiring is in createWindow.ts). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Links the app may open in the user's browser: https only, parsed, no credentials in the URL. */
export function externalUrlToOpen(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username || url.password) return null;
    return url.toString();
  } catch {
    return null;
  }
}

/** The only permissions the window may have: reading and writing the clipboard (spreadsheet copy/paste). */
export function allowedPermission(permission: string): boolean {
  return permission === 'clipboard-read' || permission === 'clipboard-sanitized-write';
}

/**
 * The CSP sent as a response header for everything the window loads (the meta tag in index.html says the same for
 * file: pages, which have no headers). The dev server (unpackaged `npm run dev` only) needs its inline React
 * Refresh preamble and its HMR socket.
 */
export function contentSecurityPolicy(rendererUrl: string): string {
  if (rendererUrl.startsWith('file:')) return CONTENT_SECURITY_POLICY;
  const origin = new URL(rendererUrl).origin;
  const ws = origin.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' 'unsafe-inline' ${origin}`).replace(
    "connect-src 'self'",
    `connect-src 'self' ${origin} ${ws}`,
  );
}
