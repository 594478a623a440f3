/**
 * What a team workspace shares besides runs: its profiles and sheets stores on the team database, for mainServices to
 * pass where this computer's SQLite stores go. `member` names this computer to teammates ("ann on ann-laptop changed
 * this sheet") and keys its own key fingerprints and settings. With `target`, a call the database does not answer
 * fails saying where it is and what to check (never the password): a sheet's autosave shows it and keeps the edits.
 */
import { hostname, userInfo } from 'node:os';
import { toldOfTeamDatabase } from '../db/decode.ts';
import { Failure } from '../failure.ts';
import type { ProfilesStore } from '../profiles/profilesStore.ts';
import type { SheetsStore } from '../sheets/sheetsStore.ts';
import { pgProfilesStore } from './pgProfiles.ts';
import { pgSheetsStore } from './pgSheets.ts';
import type { PgPool } from './pgTypes.ts';
import { teamDbProblem, type TeamTarget } from './workspace.ts';

/** This computer as teammates read it: the OS user on the computer's name (the name alone when the user is unknown). */
export function memberName(): string {
  try {
    return `${userInfo().username} on ${hostname()}`;
  } catch {
    return hostname();
  }
}

/** Every method of `store`, its database errors told as teamDbProblem tells them; the app's own Failures and bugs pass. */
function explained<T extends object>(store: T, target: TeamTarget): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store)) {
    out[name] =
      typeof fn !== 'function'
        ? fn
        : async (...args: unknown[]) => {
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (e) {
              if (e instanceof Failure || !(e instanceof Error) || typeof (e as { code?: unknown }).code !== 'string')
                throw toldOfTeamDatabase(e);
              throw teamDbProblem(e, target); // the server's or the connection's (node-postgres and socket errors carry a code)
            }
          };
  }
  return out as T;
}

export function pgAppStores(
  pool: PgPool,
  o: { member?: string; target?: TeamTarget } = {},
): { profiles: ProfilesStore; sheets: SheetsStore } {
  const member = o.member ?? memberName();
  const profiles = pgProfilesStore(pool, member);
  const sheets = pgSheetsStore(pool, member);
  return o.target ? { profiles: explained(profiles, o.target), sheets: explained(sheets, o.target) } : { profiles, sheets };
}
