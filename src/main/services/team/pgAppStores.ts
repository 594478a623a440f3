/**
 * What a team workspace shares besides runs: its profiles and sheets stores on the team database, for mainServices to
 * pass where this computer's SQLite stores go. `member` names this computer to teammates ("ann on ann-laptop changed
 * this sheet") and keys its own key fingerprints and settings.
 */
import { hostname, userInfo } from 'node:os';
import type { ProfilesStore } from '../profiles/profilesStore.ts';
import type { SheetsStore } from '../sheets/sheetsStore.ts';
import { pgProfilesStore } from './pgProfiles.ts';
import { pgSheetsStore } from './pgSheets.ts';
import type { PgPool } from './pgTypes.ts';

/** This computer as teammates read it: the OS user on the computer's name (the name alone when the user is unknown). */
export function memberName(): string {
  try {
    return `${userInfo().username} on ${hostname()}`;
  } catch {
    return hostname();
  }
}

export function pgAppStores(pool: PgPool, member: string = memberName()): { profiles: ProfilesStore; sheets: SheetsStore } {
  return { profiles: pgProfilesStore(pool, member), sheets: pgSheetsStore(pool, member) };
}
