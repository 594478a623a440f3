/** A waitlist row this version cannot read (a status it does not know, a NULL where a value belongs) says where. */
import { describe, expect, it } from 'vitest';
import { createWaitlistRepo } from '../../../src/main/services/waitlist/waitlistRepo.ts';
import { damageableDbs } from '../../helpers/damageableDb.ts';

const openDb = damageableDbs();
const entry = {
  id: 'w1',
  email: 'ann@acme.test',
  status: 'pending',
  isLocked: false,
  invitationId: null,
  createdAt: 1,
  updatedAt: 2,
} as const;

describe('waitlist table decoders', () => {
  it('read an entry back as it was written', () => {
    const repo = createWaitlistRepo(openDb());
    repo.replaceAll('ins_1', [entry], 5);
    expect(repo.select('ins_1', {})).toEqual([entry]);
    expect(repo.counts('ins_1')).toMatchObject({ pending: 1, total: 1 });
    expect(repo.lastSync('ins_1')).toEqual({ at: 5, total: 1 });
  });

  it('an entry in a status this version does not know names the table and the column', () => {
    const db = openDb();
    const repo = createWaitlistRepo(db);
    repo.replaceAll('ins_1', [entry], 5);
    db.prepare("UPDATE waitlist_entries SET status = 'teleported'").run();
    expect(() => repo.select('ins_1', {})).toThrow(/local database has a waitlist_entries row it cannot read \(column status: /);
    expect(() => repo.counts('ins_1')).toThrow(expect.objectContaining({ code: 'storage_unreadable' }));
  });

  it('a NULL in a NOT NULL column names the table and the column', () => {
    const db = openDb();
    const repo = createWaitlistRepo(db);
    repo.replaceAll('ins_1', [entry], 5);
    // SQLite keeps NOT NULL even with checks off: the table as a damaged file or a hand edit may have left it.
    db.exec('DROP TABLE waitlist_syncs; CREATE TABLE waitlist_syncs (instance_id TEXT PRIMARY KEY, synced_at INTEGER, total INTEGER)');
    db.prepare("INSERT INTO waitlist_syncs VALUES ('ins_1', NULL, 1)").run();
    expect(() => repo.lastSync('ins_1')).toThrow(/waitlist_syncs row it cannot read \(column synced_at: /);
  });
});
