/**
 * The profiles and sheets storage contract, run against both implementations of each port: this computer's SQLite
 * and the team's PostgreSQL. Written against what profilesService and sheetsService rely on, so a store that orders,
 * keeps, forgets or versions differently fails here.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { Failure } from '../../../src/main/services/failure.ts';
import { createProfilesRepo } from '../../../src/main/services/profiles/profilesRepo.ts';
import { sqliteProfilesStore, type ProfileRow, type ProfilesStore } from '../../../src/main/services/profiles/profilesStore.ts';
import { createSheetsRepo } from '../../../src/main/services/sheets/sheetsRepo.ts';
import { sqliteSheetsStore, type SheetsStore } from '../../../src/main/services/sheets/sheetsStore.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { defaultSettings, type SheetColumn, type SheetDoc } from '../../../src/shared/domain/sheet/types.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dir = makeTempDir();
const pools: { end(): Promise<void> }[] = [];
afterAll(async () => {
  dir.remove();
  await Promise.all(pools.map((p) => p.end()));
});
type Stores = { profiles: ProfilesStore; sheets: SheetsStore };
const makers: [string, () => Promise<Stores>][] = [
  [
    'SQLite',
    async () => {
      const db = openDatabase(join(dir.path, `${randomUUID()}.sqlite`));
      return { profiles: sqliteProfilesStore(createProfilesRepo(db)), sheets: sqliteSheetsStore(createSheetsRepo(db)) };
    },
  ],
  [
    'PostgreSQL (team workspace)',
    async () => {
      const pool = await freshPgPool(4);
      pools.push(pool);
      await migratePg(pool);
      return pgAppStores(pool, { member: 'ann on laptop-a' });
    },
  ],
];

const profile = (id: string, name: string, instanceId: string, createdAt: number): ProfileRow => ({
  id,
  name,
  environment: 'development',
  instanceId,
  fingerprint: `sk_test_…${id.slice(-4)}`,
  baseUrl: 'https://api.clerk.com/v1',
  createdAt,
  updatedAt: createdAt,
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];
const sheet = (id: string, rows: string[][], t: number, name = `Sheet ${id}`): SheetDoc => ({
  id,
  name,
  settings: defaultSettings(),
  columns,
  rows,
  createdAt: t,
  updatedAt: t,
});
const saved = <T>(w: T | null) => {
  if (!w || !(w as unknown as { saved: boolean }).saved) throw new Error(`expected a save, got ${JSON.stringify(w)}`);
  return w as Extract<T, { saved: true }>;
};

describe.each(makers)('profiles store: %s', (_, make) => {
  it('lists by name whatever the case, then by age; gets by id and by instance; unknown ids are null', async () => {
    const { profiles } = await make();
    await profiles.insert(profile('p-b', 'beta', 'ins_b', 30));
    await profiles.insert(profile('p-a2', 'Alpha', 'ins_a2', 20));
    await profiles.insert(profile('p-a1', 'alpha', 'ins_a1', 10));
    await profiles.insert(profile('p-c', 'Gamma', 'ins_c', 5));
    expect((await profiles.list()).map((p) => p.id)).toEqual(['p-a1', 'p-a2', 'p-b', 'p-c']);
    expect(await profiles.get('p-b')).toEqual(profile('p-b', 'beta', 'ins_b', 30));
    expect((await profiles.findByInstance('ins_a2'))?.id).toBe('p-a2');
    expect(await profiles.get('nope')).toBeNull();
    expect(await profiles.findByInstance('ins_nope')).toBeNull();
  });

  it('renames without touching the fingerprint, records a new fingerprint without touching the name; an unknown id stays unknown', async () => {
    const { profiles } = await make();
    await profiles.insert(profile('p1', 'Acme', 'ins_1', 1));
    await profiles.update('p1', { name: 'Acme dev' }, 50);
    expect(await profiles.get('p1')).toMatchObject({ name: 'Acme dev', fingerprint: 'sk_test_…p1', updatedAt: 50 });
    await profiles.update('p1', { fingerprint: 'sk_test_…zz99' }, 60);
    expect(await profiles.get('p1')).toMatchObject({ name: 'Acme dev', fingerprint: 'sk_test_…zz99', updatedAt: 60 });
    await profiles.update('ghost', { name: 'x', fingerprint: 'y' }, 70);
    expect(await profiles.get('ghost')).toBeNull();
    expect(await profiles.list()).toHaveLength(1);
  });

  it('deletes one profile, not the others, and frees its instance', async () => {
    const { profiles } = await make();
    await profiles.insert(profile('p1', 'One', 'ins_1', 1));
    await profiles.insert(profile('p2', 'Two', 'ins_2', 2));
    await profiles.delete('p1');
    expect((await profiles.list()).map((p) => p.id)).toEqual(['p2']);
    expect(await profiles.findByInstance('ins_1')).toBeNull();
    await profiles.insert(profile('p3', 'One again', 'ins_1', 3));
    expect((await profiles.findByInstance('ins_1'))?.id).toBe('p3');
  });

  it('keeps settings: set, overwritten, and gone when set to null', async () => {
    const { profiles } = await make();
    expect(await profiles.getSetting('activeProfileId')).toBeNull();
    await profiles.setSetting('activeProfileId', 'p1');
    await profiles.setSetting('other', 'x');
    await profiles.setSetting('activeProfileId', 'p2');
    expect(await profiles.getSetting('activeProfileId')).toBe('p2');
    await profiles.setSetting('activeProfileId', null);
    expect(await profiles.getSetting('activeProfileId')).toBeNull();
    expect(await profiles.getSetting('other')).toBe('x');
  });
});

describe.each(makers)('sheets store: %s', (_, make) => {
  it('inserts, opens, summarises and lists live sheets, last changed first', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a@x.io'], ['b@x.io']], 100, 'First'));
    await sheets.insert(sheet('s2', [['c@x.io']], 200, 'Second'));
    expect(await sheets.get('s1')).toMatchObject({ id: 's1', name: 'First', columns, rows: [['a@x.io'], ['b@x.io']], createdAt: 100 });
    expect(await sheets.summary('s2')).toMatchObject({
      id: 's2',
      name: 'Second',
      kind: 'app',
      rowCount: 1,
      createdAt: 200,
      updatedAt: 200,
    });
    expect((await sheets.list()).map((s) => s.id)).toEqual(['s2', 's1']);
    saved(await sheets.update('s1', { name: 'First!' }, { now: 300 }));
    expect((await sheets.list()).map((s) => [s.id, s.name])).toEqual([
      ['s1', 'First!'],
      ['s2', 'Second'],
    ]);
    expect(await sheets.get('nope')).toBeNull();
    expect(await sheets.summary('nope')).toBeNull();
  });

  it('saves row patches in order and folds them in on open; new rows replace them; settings and columns are kept', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a'], ['b'], ['c']], 1));
    expect(saved(await sheets.update('s1', { patches: [{ t: 'set', index: 1, row: ['B'] }] }, { now: 2 })).rowCount).toBe(3);
    const w = saved(
      await sheets.update(
        's1',
        {
          patches: [
            { t: 'insert', index: 3, rows: [['d'], ['e']] },
            { t: 'delete', indexes: [0] },
          ],
        },
        { now: 3 },
      ),
    );
    expect(w.rowCount).toBe(4);
    expect((await sheets.get('s1'))?.rows).toEqual([['B'], ['c'], ['d'], ['e']]);
    expect((await sheets.get('s1'))?.rows).toEqual([['B'], ['c'], ['d'], ['e']]); // folded once, read again the same
    saved(await sheets.update('s1', { patches: [{ t: 'set', index: 0, row: ['x'] }] }, { now: 4 }));
    const cols: SheetColumn[] = [...columns, { id: 'c1', header: 'Role', target: { kind: 'ignore' } }];
    const settings = { ...defaultSettings('org'), organizationId: 'org_1' };
    expect(saved(await sheets.update('s1', { rows: [['only']], columns: cols, settings }, { now: 5 })).rowCount).toBe(1);
    expect(await sheets.get('s1')).toMatchObject({ rows: [['only']], columns: cols, settings });
    expect(await sheets.summary('s1')).toMatchObject({ kind: 'org', rowCount: 1 });
  });

  it('refuses a patch that does not fit and writes nothing of that save', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a']], 1));
    const before = await sheets.summary('s1');
    const e = await sheets
      .update('s1', { name: 'Renamed', patches: [{ t: 'set', index: 5, row: ['x'] }] }, { now: 2 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Failure);
    expect(e).toMatchObject({ code: 'sheet_conflict', message: /sets row 6 of a sheet of 1 rows/ });
    expect(await sheets.summary('s1')).toEqual(before);
    expect((await sheets.get('s1'))?.rows).toEqual([['a']]);
  });

  it('deletes only a live sheet and restores only a deleted one; a deleted sheet is neither listed, opened nor saved', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a']], 1));
    expect(await sheets.setDeleted('s1', 10)).toBe(true);
    expect(await sheets.setDeleted('s1', 11)).toBe(false);
    expect(await sheets.list()).toEqual([]);
    expect(await sheets.get('s1')).toBeNull();
    expect(await sheets.summary('s1')).toMatchObject({ id: 's1' });
    expect(await sheets.update('s1', { name: 'x' }, { now: 12 })).toBeNull();
    expect(await sheets.setDeleted('s1', null)).toBe(true);
    expect(await sheets.setDeleted('s1', null)).toBe(false);
    expect((await sheets.get('s1'))?.name).toBe('Sheet s1');
  });

  it('gives every save a new version, even when the clock stands still, and opens a sheet at its latest', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a']], 1000));
    const v0 = (await sheets.get('s1'))!.version!;
    expect((await sheets.summary('s1'))?.version).toBe(v0);
    const v1 = saved(await sheets.update('s1', { name: 'one' }, { now: 1000, baseVersion: v0 })).version;
    const v2 = saved(await sheets.update('s1', { name: 'two' }, { now: 1000, baseVersion: v1 })).version;
    expect(new Set([v0, v1, v2]).size).toBe(3);
    expect((await sheets.get('s1'))?.version).toBe(v2);
    expect((await sheets.summary('s1'))?.version).toBe(v2);
  });

  it('refuses a save over an older version with when the newer one was made, and keeps the newer one whole', async () => {
    const { sheets } = await make();
    await sheets.insert(sheet('s1', [['a'], ['b']], 1000));
    const loaded = (await sheets.get('s1'))!.version!;
    // A teammate's save lands first...
    const theirs = saved(
      await sheets.update('s1', { patches: [{ t: 'set', index: 0, row: ['theirs'] }] }, { now: 2000, baseVersion: loaded }),
    );
    // ...then this one, made over the version both loaded.
    const mine = await sheets.update(
      's1',
      { name: 'Mine', patches: [{ t: 'delete', indexes: [0, 1] }] },
      { now: 3000, baseVersion: loaded },
    );
    expect(mine).toEqual({
      saved: false,
      changedBy: expect.toSatisfy((v) => v === null || typeof v === 'string'),
      changedAt: theirs.updatedAt,
    });
    expect(await sheets.get('s1')).toMatchObject({ name: 'Sheet s1', rows: [['theirs'], ['b']], version: theirs.version });
    // Reloaded at the newer version, the same edit saves.
    expect(saved(await sheets.update('s1', { name: 'Mine' }, { now: 4000, baseVersion: theirs.version })).rowCount).toBe(2);
    // Without a version the save is not checked (callers that do not edit a loaded copy).
    expect((await sheets.update('s1', { name: 'Unchecked' }, { now: 5000 }))?.saved).toBe(true);
  });

  it('remembers a column mapping per header set, overwritten by the last save', async () => {
    const { sheets } = await make();
    expect(await sheets.getMapping('email|role')).toBeNull();
    await sheets.saveMapping('email|role', columns, 1);
    expect(await sheets.getMapping('email|role')).toEqual(columns);
    const other: SheetColumn[] = [{ id: 'x', header: 'E-mail', target: { kind: 'field', field: 'email' } }];
    await sheets.saveMapping('email|role', other, 2);
    expect(await sheets.getMapping('email|role')).toEqual(other);
    expect(await sheets.getMapping('email')).toBeNull();
  });
});
