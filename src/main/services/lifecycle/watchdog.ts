/**
 * The window's renderer crashed or hangs: reload it (runs live in main and keep going) and tell the user
 * why. A renderer that keeps crashing is not reloaded forever.
 */
import type { Clock, TimerHandle } from './clock.ts';

export const HANG_GRACE_MS = 15_000;
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 5 * 60_000;

export function createRendererWatchdog(deps: {
  clock: Clock;
  reload: () => void;
  notice: (text: string) => void;
  giveUp: (text: string) => void;
  log: (message: string) => void;
}) {
  let reloads: number[] = [];
  let hang: TimerHandle | null = null;
  const recover = (why: string) => {
    const t = deps.clock.now();
    reloads = reloads.filter((r) => t - r < RELOAD_WINDOW_MS);
    if (reloads.length >= MAX_RELOADS) {
      deps.log(`renderer ${why} again; not reloading (${reloads.length} reloads in 5 minutes)`);
      deps.giveUp(
        `The window ${why} ${reloads.length + 1} times in a few minutes. Runs keep sending; restart Invite Desk and send the diagnostics (Help menu) with a bug report.`,
      );
      return;
    }
    reloads.push(t);
    deps.log(`renderer ${why}; reloading`);
    deps.reload();
    deps.notice(`The window ${why} and was reloaded. Runs kept sending in the background; nothing was lost.`);
  };
  return {
    /** 'render-process-gone'. A clean exit (the window closing) is not a crash. */
    gone(reason: string): void {
      if (reason === 'clean-exit') return;
      recover(reason === 'oom' ? 'ran out of memory' : 'crashed');
    },
    unresponsive(): void {
      if (hang) return;
      hang = deps.clock.setTimeout(() => {
        hang = null;
        recover('stopped responding');
      }, HANG_GRACE_MS);
    },
    responsive(): void {
      if (hang) deps.clock.clearTimeout(hang);
      hang = null;
    },
  };
}
