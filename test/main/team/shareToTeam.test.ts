/**
 * Switching to a team workspace brings this computer's profiles and sheets along: a profile keeps its id (its key
 * keeps working), one whose instance the team has already is joined (the key copied within this keychain), sheets
 * are copied whole, and running it again copies nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { createProfilesRepo } from '../../../src/main/services/profiles/profilesRepo.ts';
import { sqliteProfilesStore, type ProfileRow } from '../../../src/main/services/profiles/profilesStore.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { createSheetsRepo } from '../../../src/main/services/sheets/sheetsRepo.ts';
import { sqliteSheetsStore } from '../../../src/main/services/sheets/sheetsStore.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { shareToTeam } from '../../../src/main/services/team/shareToTeam.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dir = makeTempDir();
const pools: { end(): Promise<void> }[] = [];
afterAll(async () => {
  dir.remove();
  await Promise.all(pools.map((p) => p.end()));
});
const profile = (id: string, name: string, instanceId: string, key: string): ProfileRow => ({
  id,
  name,
  environment: 'development',
  instanceId,
  fingerprint: `sk_test_…${key.slice(-4)}`,
  baseUrl: 'https://api.clerk.com/v1',
  createdAt: 1,
  updatedAt: 1,
});

describe('bringing this computer’s profiles and sheets into a team workspace', () => {
  it('copies profiles with their ids, joins one the team has, copies live sheets whole, and copies nothing twice', async () => {
    const db = openDatabase(join(dir.path, `${randomUUID()}.sqlite`));
    const sheetsRepo = createSheetsRepo(db);
    const local = { profiles: sqliteProfilesStore(createProfilesRepo(db)), sheets: sqliteSheetsStore(sheetsRepo) };
    const pool = await freshPgPool(4);
    pools.push(pool);
    await migratePg(pool);
    const ann = pgAppStores(pool, { member: 'ann on laptop-a' });
    const bob = pgAppStores(pool, { member: 'bob on laptop-b' });
    // The team has Acme already (Ann added it); Bob's computer has its own Acme profile and a Beta one.
    await ann.profiles.insert(profile('team-acme', 'Acme (team)', 'ins_acme', 'sk_test_annannannAAAA'));
    const bobKeychain = createMemorySecretStore();
    await local.profiles.insert(profile('bob-acme', 'Acme', 'ins_acme', 'sk_test_bobbobbobBBBB'));
    await local.profiles.insert(profile('bob-beta', 'Beta', 'ins_beta', 'sk_test_betabetabeCCCC'));
    await bobKeychain.set('bob-acme', 'sk_test_bobbobbobBBBB');
    await bobKeychain.set('bob-beta', 'sk_test_betabetabeCCCC');
    await local.profiles.setSetting('activeProfileId', 'bob-acme');
    await local.sheets.insert({
      id: 's1',
      name: 'Hires',
      settings: defaultSettings(),
      columns: [],
      rows: [['a'], ['b']],
      createdAt: 1,
      updatedAt: 1,
    });
    await local.sheets.update('s1', { patches: [{ t: 'set', index: 1, row: ['B'] }] }, { now: 2 });
    await local.sheets.insert({
      id: 'gone',
      name: 'Deleted',
      settings: defaultSettings(),
      columns: [],
      rows: [],
      createdAt: 1,
      updatedAt: 1,
    });
    await local.sheets.setDeleted('gone', 3);

    const report = await shareToTeam(local, bob, bobKeychain, 10);
    expect(report).toEqual({
      profiles: { copied: 1, joined: ['“Acme” → “Acme (team)”'], alreadyThere: 0, keyNotFound: [] },
      sheets: { copied: 1, alreadyThere: 0 },
    });
    // Bob's view: the team's Acme with his own key (copied within his keychain), his Beta with its id and key.
    expect(await bob.profiles.list()).toEqual([
      expect.objectContaining({ id: 'team-acme', fingerprint: 'sk_test_…BBBB' }),
      expect.objectContaining({ id: 'bob-beta', name: 'Beta', fingerprint: 'sk_test_…CCCC' }),
    ]);
    expect(await bobKeychain.get('team-acme')).toBe('sk_test_bobbobbobBBBB');
    expect(await bob.profiles.getSetting('activeProfileId')).toBe('team-acme');
    // Ann's view: her own key's fingerprint on Acme, Beta without her key.
    expect(await ann.profiles.list()).toEqual([
      expect.objectContaining({ id: 'team-acme', fingerprint: 'sk_test_…AAAA' }),
      expect.objectContaining({ id: 'bob-beta', keyMissing: true }),
    ]);
    expect(await ann.sheets.get('s1')).toMatchObject({ name: 'Hires', rows: [['a'], ['B']] });
    expect(await ann.sheets.summary('gone')).toBeNull();

    expect(await shareToTeam(local, bob, bobKeychain, 20)).toEqual({
      profiles: { copied: 0, joined: ['“Acme” → “Acme (team)”'], alreadyThere: 1, keyNotFound: [] },
      sheets: { copied: 0, alreadyThere: 1 },
    });
    expect(await bob.sheets.list()).toHaveLength(1);
    db.close();
  });
});
