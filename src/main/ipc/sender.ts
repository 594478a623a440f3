/** Only our own window's main frame, showing our own page, may call main. */
export type SenderInfo = { webContentsId: number; isMainFrame: boolean; frameUrl: string | undefined };
export type TrustedWindow = { webContentsId: number; rendererUrl: string };

export function isTrustedSender(sender: SenderInfo, trusted: TrustedWindow): boolean {
  if (sender.webContentsId !== trusted.webContentsId || !sender.isMainFrame || !sender.frameUrl) return false;
  try {
    const frame = new URL(sender.frameUrl);
    const ours = new URL(trusted.rendererUrl);
    if (ours.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === ours.pathname;
    return frame.origin === ours.origin;
  } catch {
    return false;
  }
}
