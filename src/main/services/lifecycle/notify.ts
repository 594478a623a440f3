/**
 * The end-of-run notification, with an in-app banner when the OS refuses it (unsupported, denied, or an
 * unsigned macOS build that never shows it).
 */
import type { RunProgress } from '../../../shared/domain/send/types.ts';
import type { Clock } from './clock.ts';

export const NOTIFICATION_SHOWN_WITHIN_MS = 5000;
/** Shorter runs end while the user is watching. */
export const NOTIFY_AFTER_MS = 60_000;

export type OsNotification = { supported: boolean; show(title: string, body: string, on: { shown(): void; failed(): void }): void };

export function runFinishedText(run: RunProgress) {
  return {
    title: `Invite Desk: ${run.sheetName}`,
    body: `${run.counts.sent} sent, ${run.counts.failed} failed, ${run.counts.skipped} skipped (${run.profileName}).`,
  };
}

export function notifyRunFinished(run: RunProgress, deps: { os: OsNotification; banner: (text: string) => void; clock: Clock }): void {
  if ((run.finishedAt ?? 0) - (run.startedAt ?? 0) < NOTIFY_AFTER_MS) return;
  const { title, body } = runFinishedText(run);
  const fallback = () => deps.banner(`${title}: ${body}`);
  if (!deps.os.supported) return fallback();
  let settled = false;
  const timer = deps.clock.setTimeout(() => settle(false), NOTIFICATION_SHOWN_WITHIN_MS);
  function settle(shown: boolean) {
    if (settled) return;
    settled = true;
    deps.clock.clearTimeout(timer);
    if (!shown) fallback();
  }
  deps.os.show(title, body, { shown: () => settle(true), failed: () => settle(false) });
}
