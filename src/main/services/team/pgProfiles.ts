/**
 * The team's profiles in PostgreSQL (migration 3), behind the same port as this computer's (profiles/profilesStore.ts).
 * A profile is shared; its key never is: each member enters their own, which stays in their keychain, and the team
 * database keeps only which member entered one (its fingerprint). A profile this member has no key for yet reads as
 * `keyMissing`. Settings (the active profile) are each member's own.
 */
import type { Row } from '../db/decode.ts';
import { Failure } from '../failure.ts';
import type { ProfileRow, ProfilesStore } from '../profiles/profilesStore.ts';
import { memberSettingRow, profileRow } from '../profiles/profilesTable.ts';
import { pgTransaction, type PgPool } from './pgTypes.ts';

/** A profile as `member` sees it: the fingerprint of their own key, or none yet. */
const SELECT = `SELECT p.id, p.name, p.environment, p.instance_id, p.base_url, p.created_at, p.updated_at,
    COALESCE(f.fingerprint, '') AS fingerprint, f.fingerprint IS NULL AS key_missing
  FROM profiles p LEFT JOIN profile_fingerprints f ON f.profile_id = p.id AND f.member = $1`;

const decode = (r: Record<string, unknown>): ProfileRow => {
  const row = profileRow(r as Row);
  return r['key_missing'] === true ? { ...row, keyMissing: true } : row;
};

const UNIQUE_VIOLATION = '23505';

/** `member`: who this computer is in the team (team/member.ts); it keys fingerprints and settings. */
export function pgProfilesStore(pool: PgPool, member: string): ProfilesStore {
  const one = async (where: string, param: string) => {
    const r = (await pool.query(`${SELECT} WHERE ${where} ORDER BY p.created_at LIMIT 1`, [member, param])).rows[0];
    return r ? decode(r) : null;
  };
  return {
    list: async () => (await pool.query(`${SELECT} ORDER BY lower(p.name), p.created_at`, [member])).rows.map(decode),
    get: (id) => one('p.id = $2', id),
    findByInstance: (instanceId) => one('p.instance_id = $2', instanceId),
    async insert(p) {
      try {
        await pgTransaction(pool, async (q) => {
          await q.query(
            `INSERT INTO profiles (id, name, environment, instance_id, base_url, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [p.id, p.name, p.environment, p.instanceId, p.baseUrl, member, p.createdAt, p.updatedAt],
          );
          await q.query('INSERT INTO profile_fingerprints (profile_id, member, fingerprint, updated_at) VALUES ($1, $2, $3, $4)', [
            p.id,
            member,
            p.fingerprint,
            p.updatedAt,
          ]);
        });
      } catch (e) {
        // A teammate added this instance a moment ago (after this computer looked): one profile per instance.
        const other = (e as { code?: unknown }).code === UNIQUE_VIOLATION ? await one('p.instance_id = $2', p.instanceId) : null;
        if (!other) throw e;
        throw new Failure(
          'profile_exists',
          `“${other.name}” already uses this instance (${p.instanceId}): a teammate added it just now. Use that profile and enter your key for it.`,
          { field: 'secretKey' },
        );
      }
    },
    async update(id, patch, now) {
      await pgTransaction(pool, async (q) => {
        const found = await q.query('UPDATE profiles SET name = COALESCE($2, name), updated_at = $3 WHERE id = $1 RETURNING id', [
          id,
          patch.name ?? null,
          now,
        ]);
        if (!found.rows.length || patch.fingerprint === undefined) return;
        await q.query(
          `INSERT INTO profile_fingerprints (profile_id, member, fingerprint, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (profile_id, member) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = excluded.updated_at`,
          [id, member, patch.fingerprint, now],
        );
      });
    },
    delete: async (id) => void (await pool.query('DELETE FROM profiles WHERE id = $1', [id])),
    async getSetting(key) {
      const r = (await pool.query('SELECT value FROM member_settings WHERE member = $1 AND name = $2', [member, key])).rows[0];
      return r ? memberSettingRow(r as Row) : null;
    },
    async setSetting(key, value) {
      if (value === null) await pool.query('DELETE FROM member_settings WHERE member = $1 AND name = $2', [member, key]);
      else
        await pool.query(
          'INSERT INTO member_settings (member, name, value) VALUES ($1, $2, $3) ON CONFLICT (member, name) DO UPDATE SET value = excluded.value',
          [member, key, value],
        );
    },
  };
}
