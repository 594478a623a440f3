/**
 * The workspace setting as both processes see it: "This computer" (SQLite, the default) or a team's PostgreSQL. What
 * crosses IPC never holds the database password: a URL without it, where it points, and whether one is saved.
 */
import { plural } from '../plural.ts';

export type WorkspaceConfig = { kind: 'local' } | { kind: 'team'; url: string; tls: boolean; fourEyes: boolean };

export type WorkspaceView = {
  config: WorkspaceConfig;
  /** `user@host:port/database (TLS on)` of a team workspace; null for this computer. */
  target: string | null;
  /** A team workspace's password is in this computer’s keychain. */
  passwordSaved: boolean;
  /** The setting's file could not be read (this computer’s data is used until it is chosen again). */
  warning: string | null;
  /** This computer’s own history (what a switch may copy, what stays here otherwise). */
  local: HistoryCounts;
  /** Since when the team database in use has not answered (nothing is sent meanwhile), or null. */
  waitingSince: number | null;
  /** What the team database in use refused (password, TLS, an old server), in words with the next step, or null. */
  refused: string | null;
};

/**
 * The team database in use stopped (or started again) answering (`since` null once it answers), or refused this
 * computer (`refused`: what to fix, never the password). Nothing is sent while either holds.
 */
export type TeamWaiting = { since: number | null; target: string; refused: string | null };

export type HistoryCounts = { runs: number; rows: number };

/** What a team database holds, as “Test connection” tells it (null: its table is not there yet). */
export type TeamHoldings = { runs: number | null; profiles: number | null; sheets: number | null };

export type WorkspaceTestResult = {
  target: string;
  /** PostgreSQL's version, as the server names it (`15.18`). */
  serverVersion: string;
  holds: TeamHoldings;
  /** Invite Desk has set this database up before (else: the switch creates its tables). */
  setUp: boolean;
  /** A sentence to read before switching (the role may not create the tables), or null. */
  note: string | null;
};

export type WorkspaceSwitchArgs =
  { kind: 'local' } | { kind: 'team'; url: string; password?: string; tls: boolean; fourEyes: boolean; copyHistory: boolean };

export type WorkspaceSwitchResult = {
  config: WorkspaceConfig;
  /** The runs copied and checked in the team database (a switch with the history copied). */
  copied: { runs: number; rows: number; requests: number; alreadyThere: number } | null;
  /** What the user is told (also what a log keeps). */
  message: string;
};

export const describeCounts = (c: HistoryCounts) => `${plural(c.runs, 'run')}, ${plural(c.rows, 'row')}`;

/** The confirmation's words: exactly what moves where (the switch dialog shows it before anything changes). */
export function switchSummary(o: { to: 'local' | 'team'; target: string | null; local: HistoryCounts; copyHistory: boolean }): string[] {
  if (o.to === 'local')
    return [
      'Runs, sheets and profiles will be read from and written to this computer’s own database.',
      `The team database${o.target ? ` at ${o.target}` : ''} is left as it is: nothing in it is changed or deleted, and your colleagues keep working in it.`,
      'Its password is removed from this computer’s keychain. Keys stay in this computer’s keychain.',
      'Invite Desk restarts to switch.',
    ];
  return [
    `Runs, sheets and profiles will be read from and written to ${o.target ?? 'the team database'}.`,
    'Keys stay in this computer’s keychain; the database password is kept there too, never in a file.',
    o.copyHistory
      ? `This computer’s history (${describeCounts(o.local)}) is copied into the team database and checked (counted before and after); it also stays here.`
      : `This computer’s history (${plural(o.local.runs, 'run')}) stays here and is not copied.`,
    'This computer’s profiles and sheets are brought along (copied; one the team already has for an instance is joined, with your key).',
    'Invite Desk restarts to switch.',
  ];
}
