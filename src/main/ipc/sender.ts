/** Only our own window's main frame, showing our own page, may call main. */
export type SenderInfo = { webContentsId: number; isMainFrame: boolean; frameUrl: string | undefined };
export type TrustedWindow = { webContentsId: number; rendererUrl: string };

export function isTrustedSender(sender: SenderInfo, trusted: TrustedWindow): boolean {
  if (sender.webContentsId !== trusted.webContentsId || !sender.isMainFrame || !sender.frameUrl) return false;
  try {
    const frame = new URL(sender.frameUrl);
    const ours = new URL(trusted.rendererUrl);
    if (ours.protocol === 'file:') return frame.protocol === 'file:' && sameFilePath(frame.pathname, ours.pathname);
    return frame.origin === ours.origin;
  } catch {
    return false;
  }
}

/**
 * Chromium and Node may percent-encode a file URL differently (an apostrophe, a non-ASCII letter) and spell a
 * Windows drive letter in either case: compare the decoded paths, the drive letter case-insensitively.
 */
function sameFilePath(a: string, b: string): boolean {
  const norm = (p: string) => {
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      d = p;
    }
    return d.replace(/^\/([a-z]):/i, (_m, drive: string) => `/${drive.toUpperCase()}:`);
  };
  return norm(a) === norm(b);
}
