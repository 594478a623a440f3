/** What a failed journal write means for the user (node:sqlite throws `ERR_SQLITE_ERROR` with SQLite's errcode). */
const SQLITE_FULL = 13;

export function isJournalError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_SQLITE_ERROR';
}

export function isDiskFull(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { errcode?: unknown; code?: unknown; message?: unknown };
  return x.errcode === SQLITE_FULL || x.code === 'ENOSPC' || /disk is full|SQLITE_FULL|ENOSPC/i.test(String(x.message ?? ''));
}

/** The stop reason shown on the run: what happened, and the next step. */
export function journalProblem(e: unknown): string {
  if (isDiskFull(e)) return 'Disk full: free space, then Resume. Nothing was sent without its journal entry.';
  const why = e instanceof Error ? e.message : String(e);
  return `Could not write the run’s journal (${why}): fix that, then Resume. Nothing was sent without its journal entry.`;
}
