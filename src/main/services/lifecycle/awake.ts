/**
 * Keeps the computer from suspending exactly while any run is sending (Electron's
 * powerSaveBlocker 'prevent-app-suspension': the screen may still sleep).
 */
export type PowerBlocker = { start(): number; stop(id: number): void };

export function createAwakeKeeper(blocker: PowerBlocker) {
  let held: number | null = null;
  return {
    /** Call with the number of runs being sent now, after every change. */
    update(activeRuns: number): void {
      if (activeRuns > 0 && held === null) held = blocker.start();
      else if (activeRuns === 0 && held !== null) {
        blocker.stop(held);
        held = null;
      }
    },
    get holding(): boolean {
      return held !== null;
    },
  };
}
