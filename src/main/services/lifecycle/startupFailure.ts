/**
 * What the user is told when the app cannot start (the database cannot open, or anything else): what happened
 * and what to do. The shell shows it in a dialog (Open data folder / Quit) and exits: never a windowless process
 * holding the single-instance lock.
 */
import { MigrationError } from '../db/migrate.ts';

export type StartupFailure = { title: string; message: string; detail: string; buttons: string[] };

const OPEN = 'Open data folder';
const QUIT = 'Quit';

type Coded = { code?: unknown; errcode?: unknown; errstr?: unknown; message?: unknown };

/** node:sqlite errors carry SQLite's primary result code in `errcode` (extended codes keep it in the low byte). */
function sqliteCode(e: Coded): number | null {
  return typeof e.errcode === 'number' ? e.errcode & 0xff : null;
}

export function describeStartupFailure(error: unknown, ctx: { dbPath: string; dataDir: string }): StartupFailure {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Coded;
  const raw = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const sql = sqliteCode(e);
  const where = `Database: ${ctx.dbPath}`;
  const make = (message: string, next: string): StartupFailure => ({
    title: 'Invite Desk cannot start',
    message,
    detail: `${next}\n\n${where}\nError: ${raw}`,
    buttons: [OPEN, QUIT],
  });

  if (error instanceof MigrationError && /newer/i.test(raw))
    return make(
      'This data was written by a newer version of Invite Desk.',
      'Install the newer version of Invite Desk to open it. Nothing was changed.',
    );
  if (error instanceof MigrationError)
    return make(
      "The database's structure is not one this version of Invite Desk wrote.",
      'It may have been edited or damaged. Move invite-desk.sqlite out of the data folder to start with an empty one (keep it for support), or restore a backup.',
    );
  if (sql === 26 || sql === 11 || /not a database|malformed/i.test(raw))
    return make(
      'The database file is damaged.',
      'Move invite-desk.sqlite (and any -wal/-shm files beside it) out of the data folder to start with an empty database, or restore a backup. Your secret keys are in the OS keychain, not in this file.',
    );
  if (sql === 13 || code === 'ENOSPC' || /disk is full|database or disk is full/i.test(raw))
    return make(
      'Disk full: free space, then start Invite Desk again.',
      'Free some space on the disk that holds the data folder, then start Invite Desk again. Nothing was lost: SQLite kept the database as it was before the write that did not fit.',
    );
  if (sql === 8 || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly|read-only/i.test(raw))
    return make(
      'The data folder cannot be written.',
      'Give your user write access to the data folder (or the database file inside it), then start Invite Desk again.',
    );
  if (sql === 5 || sql === 6 || /database is locked/i.test(raw))
    return make(
      'The database is in use by another program.',
      'Close the other copy of Invite Desk (or the program holding the file), then start again.',
    );
  if (sql === 14) return make('The database file cannot be opened.', 'Check that the data folder exists and that you can write to it.');
  return {
    title: 'Invite Desk cannot start',
    message: 'Something went wrong while starting.',
    detail: `Quit and start Invite Desk again. If it happens again, send this message to support.\n\n${where}\nError: ${raw}`,
    buttons: [OPEN, QUIT],
  };
}

export const OPEN_DATA_FOLDER = 0;
