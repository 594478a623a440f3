/** A row the app cannot read is told as what it is (table, column, what is wrong), never passed on as data. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { createProfilesRepo } from '../../../src/main/services/profiles/profilesRepo.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { createSheetsRepo } from '../../../src/main/services/sheets/sheetsRepo.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { newRun } from '../../helpers/newRun.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const openDb = () => {
  const d = makeTempDir();
  dirs.push(d);
  return openDatabase(join(d.path, 'app.sqlite'));
};

describe('table decoders', () => {
  it('read what the app wrote back as it was written', () => {
    const db = openDb();
    db.exec('PRAGMA ignore_check_constraints = ON'); // what a damaged file or another version may hold
    const runs = createRunsRepo(db);
    runs.create(newRun('r1', [{ emailAddress: 'ann@acme.test' } as never]), 0);
    const [run] = runs.list();
    expect(run).toMatchObject({
      id: 'r1',
      kind: 'app',
      op: 'create',
      state: 'running',
      organizationId: null,
      counts: { queued: 1, total: 1 },
    });
    expect(runs.rows('r1')).toEqual([expect.objectContaining({ idx: 0, email: 'ann@acme.test', state: 'queued', invitationId: null })]);
  });

  it("a run row in a state this version does not know names the table, the column and the value's problem", () => {
    const db = openDb();
    db.exec('PRAGMA ignore_check_constraints = ON'); // what a damaged file or another version may hold
    const runs = createRunsRepo(db);
    runs.create(newRun('r1', [{ emailAddress: 'ann@acme.test' } as never]), 0);
    db.prepare("UPDATE run_rows SET state = 'teleported' WHERE run_id = 'r1'").run();
    expect(() => runs.rows('r1')).toThrow(/local database has a run_rows row it cannot read \(column state: /);
  });

  it('a damaged request JSON is told as not JSON, not thrown as a SyntaxError from deep inside', () => {
    const db = openDb();
    db.exec('PRAGMA ignore_check_constraints = ON'); // what a damaged file or another version may hold
    const runs = createRunsRepo(db);
    runs.create(newRun('r1', [{ emailAddress: 'ann@acme.test' } as never]), 0);
    db.prepare("UPDATE run_rows SET request = '{broken' WHERE run_id = 'r1'").run();
    expect(() => runs.queued('r1')).toThrow(/run_rows row it cannot read \(column request: is not JSON\)/);
  });

  it('a profile with an unknown environment and a sheet with damaged settings are told the same way', () => {
    const db = openDb();
    db.exec('PRAGMA ignore_check_constraints = ON'); // what a damaged file or another version may hold
    const profiles = createProfilesRepo(db);
    profiles.insert({
      id: 'p',
      name: 'Acme',
      environment: 'production',
      instanceId: 'ins_1',
      fingerprint: 'f',
      baseUrl: 'u',
      createdAt: 0,
      updatedAt: 0,
    });
    db.prepare("UPDATE profiles SET environment = 'staging'").run();
    expect(() => profiles.list()).toThrow(/profiles row it cannot read \(column environment: /);

    const sheets = createSheetsRepo(db);
    sheets.insert({ id: 's', name: 'S', settings: defaultSettings(), columns: [], rows: [['a']], createdAt: 0, updatedAt: 0 });
    expect(sheets.get('s')?.rows).toEqual([['a']]);
    db.prepare("UPDATE sheets SET settings = 'null'").run();
    expect(() => sheets.get('s')).toThrow(/sheets row it cannot read \(column settings: is not a settings object\)/);
  });
});
