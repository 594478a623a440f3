/** Profile rows. The table has no column for a secret: the key lives only in the keychain. */
import type { Db } from '../db/types.ts';
import { profileNameRow, profileRow, settingRow, type ProfileRow } from './profilesTable.ts';

export type { ProfileRow };

export function createProfilesRepo(db: Db) {
  return {
    list: (): ProfileRow[] => db.prepare('SELECT * FROM profiles ORDER BY name COLLATE NOCASE, created_at').all().map(profileRow),
    get: (id: string): ProfileRow | null => {
      const r = db.prepare('SELECT * FROM profiles WHERE id = ?').get(id);
      return r ? profileRow(r) : null;
    },
    /** The profile of an instance, whatever URL it was reached at (Clerk's instance ids are unique). */
    findByInstance: (instanceId: string): ProfileRow | null => {
      const r = db.prepare('SELECT * FROM profiles WHERE instance_id = ? ORDER BY created_at LIMIT 1').get(instanceId);
      return r ? profileRow(r) : null;
    },
    insert: (p: ProfileRow): void => {
      db.prepare(
        'INSERT INTO profiles (id, name, environment, instance_id, fingerprint, base_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(p.id, p.name, p.environment, p.instanceId, p.fingerprint, p.baseUrl, p.createdAt, p.updatedAt);
    },
    update: (id: string, patch: { name?: string; fingerprint?: string }, now: number): void => {
      const row = db.prepare('SELECT name, fingerprint FROM profiles WHERE id = ?').get(id);
      if (!row) return;
      const cur = profileNameRow(row);
      db.prepare('UPDATE profiles SET name = ?, fingerprint = ?, updated_at = ? WHERE id = ?').run(
        patch.name ?? cur.name,
        patch.fingerprint ?? cur.fingerprint,
        now,
        id,
      );
    },
    delete: (id: string): void => void db.prepare('DELETE FROM profiles WHERE id = ?').run(id),
    getSetting: (key: string): string | null => {
      const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key);
      return r ? settingRow(r) : null;
    },
    setSetting: (key: string, value: string | null): void => {
      if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
      else
        db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
  };
}
export type ProfilesRepo = ReturnType<typeof createProfilesRepo>;
