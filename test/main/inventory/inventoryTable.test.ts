/** An invitation copy row this version cannot read (a status it does not know, a NULL where a value belongs) says where. */
import { describe, expect, it } from 'vitest';
import { createInventoryRepo, type InventoryItem } from '../../../src/main/services/inventory/inventoryRepo.ts';
import { ruleRow } from '../../../src/main/services/inventory/reminderTable.ts';
import { damageableDbs } from '../../helpers/damageableDb.ts';

const openDb = damageableDbs();
const item: InventoryItem = {
  id: 'inv_1',
  kind: 'app',
  email: 'ann@acme.test',
  status: 'pending',
  organizationId: null,
  organizationName: null,
  role: null,
  publicMetadata: { team: 'a' },
  privateMetadata: {},
  expiresAt: null,
  createdAt: 1,
  updatedAt: 2,
};
const where = { profileId: 'p1', now: 10 };

describe('inventory table decoders', () => {
  it('read an invitation back as it was written', () => {
    const repo = createInventoryRepo(openDb());
    repo.begin('p1', 'ins_1');
    repo.putPage('p1', [item], 10);
    expect(repo.page(where, 0, 10)).toEqual([
      expect.objectContaining({ id: 'inv_1', status: 'pending', publicMetadata: '{"team":"a"}', runId: null, runName: null }),
    ]);
    expect(repo.total(where)).toBe(1);
    expect(repo.nextMark('p1', 5)).toBe(11);
    expect(repo.oldestUnseen('p1', 'app', 'pending', 5)).toBeNull();
    expect(repo.syncState('p1')).toEqual({ instanceId: 'ins_1', syncedAt: null, complete: false });
  });

  it('an invitation in a status this version does not know names the table and the column', () => {
    const db = openDb();
    const repo = createInventoryRepo(db);
    repo.putPage('p1', [item], 10);
    db.prepare("UPDATE inventory SET status = 'teleported'").run();
    expect(() => repo.page(where, 0, 10)).toThrow(/local database has a inventory row it cannot read \(column status: /);
    expect(() => repo.byIds('p1', ['inv_1'])).toThrow(expect.objectContaining({ code: 'storage_unreadable' }));
  });

  it('a NULL in a reminder rule where a number belongs names the table and the column', () => {
    const db = openDb();
    // SQLite keeps NOT NULL even with checks off: the table as a damaged file or a hand edit may have left it.
    db.exec('DROP TABLE reminder_rules');
    db.exec(
      'CREATE TABLE reminder_rules (id TEXT, profile_id TEXT, run_id TEXT, after_days INTEGER, max_reminders INTEGER, enabled INTEGER, created_at INTEGER)',
    );
    db.prepare("INSERT INTO reminder_rules VALUES ('r1', 'p1', NULL, NULL, 2, 1, 0)").run();
    const row = db.prepare('SELECT x.*, NULL AS run_name FROM reminder_rules x').get()!;
    expect(() => ruleRow(row)).toThrow(/reminder_rules row it cannot read \(column after_days: /);
  });
});
