/**
 * What closing the window, quitting and the OS shutting down do while runs are sending. Electron's events
 * are adapted in the shell (window/shell.ts); every decision is here.
 *
 * - Closing the window (Windows/Linux) or quitting with runs active asks: keep sending in the background
 *   (tray on Windows/Linux, the dock on macOS), pause and quit (the runs resume at the next start), or cancel.
 *   On macOS closing the window never stops anything (the app stays in the dock), so it does not ask.
 * - OS shutdown / log-off asks nothing: runs are journaled, rows in flight stay marked for a look-up at the
 *   next start, and the app quits within a short deadline.
 */
export type CloseChoice = 'background' | 'pause-quit' | 'cancel';
export const CLOSE_BUTTONS: { choice: CloseChoice; label: string }[] = [
  { choice: 'background', label: 'Keep sending in the background' },
  { choice: 'pause-quit', label: 'Pause and quit' },
  { choice: 'cancel', label: 'Cancel' },
];

export function closeQuestion(runs: number, rowsLeft: number, platform: string) {
  const where = platform === 'darwin' ? 'the Dock' : 'the tray icon near the clock';
  return {
    message: `${runs === 1 ? 'A run is' : `${runs} runs are`} still sending (${rowsLeft.toLocaleString('en-US')} invitations left).`,
    detail: `Keep sending: Invite Desk goes on in the background; ${where} shows the progress and opens the window again.\nPause and quit: nothing more is sent now; the runs resume the next time you open Invite Desk.`,
    buttons: CLOSE_BUTTONS.map((b) => b.label),
    cancelId: CLOSE_BUTTONS.findIndex((b) => b.choice === 'cancel'),
    defaultId: 0,
  };
}

export type CloseFlowDeps = {
  platform: string;
  activeRuns: () => number;
  ask: (trigger: 'close' | 'quit') => Promise<CloseChoice>;
  /** Hide the window and keep going: the tray on Windows/Linux, the dock on macOS. */
  toBackground: () => void;
  /** Journal and stop the runs (they stay 'running' for the next start), close the database. */
  stopAll: (deadlineMs: number) => Promise<void>;
  /** Quit for real (the quit the flow held back). */
  quit: () => void;
  log?: (message: string) => void;
};

export const QUIT_DEADLINE_MS = 3000;
export const SESSION_END_DEADLINE_MS = 1500;

export function createCloseFlow(deps: CloseFlowDeps) {
  let phase: 'open' | 'asking' | 'quitting' | 'closed' = 'open';
  const log = deps.log ?? (() => {});

  async function quitNow(deadlineMs: number, why: string): Promise<void> {
    if (phase === 'quitting' || phase === 'closed') return;
    phase = 'quitting';
    log(`quitting (${why}), ${deps.activeRuns()} run(s) active`);
    try {
      await deps.stopAll(deadlineMs);
    } finally {
      phase = 'closed';
      deps.quit();
    }
  }

  async function askAndAct(trigger: 'close' | 'quit'): Promise<void> {
    phase = 'asking';
    const choice = await deps.ask(trigger);
    phase = 'open';
    log(`${trigger} with runs active: ${choice}`);
    if (choice === 'background') deps.toBackground();
    else if (choice === 'pause-quit') await quitNow(QUIT_DEADLINE_MS, 'pause and quit');
  }

  return {
    get phase() {
      return phase;
    },
    /** The window's 'close' event. Returns true when the close must be prevented. */
    onWindowClose(): boolean {
      if (phase === 'quitting' || phase === 'closed') return false;
      if (phase === 'asking') return true;
      if (deps.platform === 'darwin' || deps.activeRuns() === 0) return false;
      void askAndAct('close');
      return true;
    },
    /** The app's 'before-quit' event. Returns true when the quit must be prevented (it happens later). */
    onBeforeQuit(): boolean {
      if (phase === 'closed') return false;
      if (phase === 'quitting' || phase === 'asking') return true;
      if (deps.activeRuns() > 0) void askAndAct('quit');
      else void quitNow(QUIT_DEADLINE_MS, 'no runs active');
      return true;
    },
    /** powerMonitor 'shutdown', Windows 'query-session-end'/'session-end': no question, a short deadline. */
    onSessionEnd(): Promise<void> {
      return quitNow(SESSION_END_DEADLINE_MS, 'the computer is shutting down or logging off');
    },
  };
}
export type CloseFlow = ReturnType<typeof createCloseFlow>;
