/**
 * Disk full, told as it is (issue 20, item 9): SQLite has already rolled back on SQLITE_FULL, so the transaction
 * wrapper's ROLLBACK fails ("cannot rollback - no transaction is active") and must not hide the real error.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { createMainServices } from '../../../src/main/services/mainServices.ts';
import { describeStartupFailure } from '../../../src/main/services/lifecycle/startupFailure.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { transaction, type Db } from '../../../src/main/services/db/types.ts';
import { fillable } from '../../helpers/fullDisk.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const tempDb = (name = 'invite-desk.sqlite') => {
  const dir = makeTempDir();
  dirs.push(dir);
  return join(dir.path, name);
};

/** A real database whose file may not grow: SQLite's own SQLITE_FULL. */
function capped() {
  const db = new DatabaseSync(tempDb('capped.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x TEXT)');
  const pages = Number(db.prepare('PRAGMA page_count').get()!['page_count']);
  db.exec(`PRAGMA max_page_count = ${pages}`);
  return db;
}

const caught = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as Error & { errcode?: number };
  }
  return null;
};

describe('a full disk inside a transaction', () => {
  it('real SQLite: the transaction is gone when the write fails, and the fake full disk of the tests does the same', () => {
    const model = fillable(openDatabase(tempDb()));
    model.db.exec('CREATE TABLE t (x TEXT)');
    const real = capped() as unknown as Db;
    for (const [name, db] of [
      ['real', real],
      ['model', model.db],
    ] as const) {
      model.disk.full = true;
      db.exec('BEGIN IMMEDIATE');
      const write = caught(() => {
        for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(2000));
      });
      expect(write, name).toMatchObject({ errcode: 13, message: 'database or disk is full' });
      expect(caught(() => db.exec('ROLLBACK'))?.message, name).toMatch(/no transaction is active/);
      model.disk.full = false;
      db.close();
    }
  });

  it('transaction() throws SQLite’s “database or disk is full”, not “cannot rollback”', () => {
    const db = capped() as unknown as Db;
    const e = caught(() =>
      transaction(db, () => {
        for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(2000));
      }),
    );
    expect(e).toMatchObject({ errcode: 13, message: 'database or disk is full' });
    // The database is usable again once there is room.
    db.exec('PRAGMA max_page_count = 1073741823');
    transaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run('after'));
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toMatchObject({ n: 1 });
    db.close();
  });

  it('at start: “Disk full: free space, then start Invite Desk again”, not “Something went wrong while starting”', () => {
    const dbPath = tempDb();
    openDatabase(dbPath).close();
    const { db, disk } = fillable(openDatabase(dbPath));
    disk.full = true;
    const e = caught(() =>
      createMainServices({ db, secrets: createMemorySecretStore(), emit: () => undefined, appVersion: '0', platform: 'linux' }),
    );
    db.close();
    const f = describeStartupFailure(e, { dbPath, dataDir: join(dbPath, '..') });
    expect(f.message).toBe('Disk full: free space, then start Invite Desk again.');
    expect(f.detail).toMatch(/Free some space on the disk that holds the data folder/);
  });
});
