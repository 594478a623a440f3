/**
 * Where profiles and the app settings they use live: this computer's SQLite (below) or the team's PostgreSQL
 * (team/pgProfiles.ts). What profilesService needs and nothing more, all async. No method takes or returns a key.
 */
import type { ProfilesRepo } from './profilesRepo.ts';
import type { ProfileRow } from './profilesTable.ts';

export type { ProfileRow };

export interface ProfilesStore {
  /** By name (case-insensitive), then age. A team's profile this member has no key for yet has `keyMissing`. */
  list(): Promise<ProfileRow[]>;
  get(id: string): Promise<ProfileRow | null>;
  /** The profile of an instance, whatever URL it was reached at (Clerk's instance ids are unique). */
  findByInstance(instanceId: string): Promise<ProfileRow | null>;
  insert(p: ProfileRow): Promise<void>;
  /** A new name, or the fingerprint of the key this member just entered. */
  update(id: string, patch: { name?: string; fingerprint?: string }, now: number): Promise<void>;
  delete(id: string): Promise<void>;
  /** This member's settings (the active profile): a teammate's choice never changes this computer's. */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string | null): Promise<void>;
}

/** This computer's profiles: today's synchronous repo behind the port. */
export function sqliteProfilesStore(repo: ProfilesRepo): ProfilesStore {
  return {
    list: async () => repo.list(),
    get: async (id) => repo.get(id),
    findByInstance: async (instanceId) => repo.findByInstance(instanceId),
    insert: async (p) => repo.insert(p),
    update: async (id, patch, now) => repo.update(id, patch, now),
    delete: async (id) => repo.delete(id),
    getSetting: async (key) => repo.getSetting(key),
    setSetting: async (key, value) => repo.setSetting(key, value),
  };
}
