/** A metadata check row this version cannot read (a status it does not know, a damaged result) says where. */
import { describe, expect, it } from 'vitest';
import { createChecksRepo } from '../../../src/main/services/metadata/checksRepo.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import type { RowCheck } from '../../../src/shared/domain/metadata/landed.ts';
import { damageableDbs } from '../../helpers/damageableDb.ts';
import { newRun } from '../../helpers/newRun.ts';

const openDb = damageableDbs();
/** A database with run r1 (the checks' foreign key) and one check of its row 0. */
const withCheck = () => {
  const db = openDb();
  createRunsRepo(db).create(newRun('r1', [{ emailAddress: 'ann@acme.test' } as never]), 0);
  const check: RowCheck = { status: 'landed', userId: 'user_1', missing: [], differs: [], now: { public: {}, private: {} } };
  const checks = createChecksRepo(db);
  checks.save('r1', [{ idx: 0, check }], 7);
  return { db, checks, check };
};

describe('metadata_checks decoders', () => {
  it('read a check back as it was saved', () => {
    const { checks, check } = withCheck();
    expect(checks.rows('r1')).toEqual([expect.objectContaining({ ...check, idx: 0, checkedAt: 7 })]);
    expect(checks.summary('r1')).toMatchObject({ accepted: 1, landed: 1, checkedAt: 7 });
  });

  it('a status this version does not know names the table and the column', () => {
    const { db, checks } = withCheck();
    db.prepare("UPDATE metadata_checks SET status = 'teleported'").run();
    expect(() => checks.rows('r1')).toThrow(/local database has a metadata_checks row it cannot read \(column status: /);
    expect(() => checks.summary('r1')).toThrow(expect.objectContaining({ code: 'storage_unreadable' }));
  });

  it('a damaged result is told as not JSON, not thrown as a SyntaxError', () => {
    const { db, checks } = withCheck();
    db.prepare("UPDATE metadata_checks SET result = '{broken'").run();
    expect(() => checks.rows('r1')).toThrow(/metadata_checks row it cannot read \(column result: is not JSON\)/);
  });
});
