/** What a user is told when Invite Desk cannot start, from real failures of the real database adapter. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { describeStartupFailure } from '../../../src/main/services/lifecycle/startupFailure.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function failureOpening(prepare: (dbPath: string) => void) {
  const dir = makeTempDir();
  dirs.push(dir);
  const dbPath = join(dir.path, 'invite-desk.sqlite');
  prepare(dbPath);
  let error: unknown = null;
  try {
    openDatabase(dbPath).close();
  } catch (e) {
    error = e;
  }
  expect(error).not.toBeNull();
  return describeStartupFailure(error, { dbPath, dataDir: dir.path });
}

describe('start-up failures', () => {
  it('a damaged database file: says so, how to start fresh, and that the keys are safe', () => {
    const f = failureOpening((p) => writeFileSync(p, Buffer.alloc(8192, 0x5a)));
    expect(f.message).toBe('The database file is damaged.');
    expect(f.detail).toMatch(/Move invite-desk\.sqlite .*out of the data folder/);
    expect(f.detail).toMatch(/secret keys are in the OS keychain/);
    expect(f.detail).toContain('invite-desk.sqlite');
    expect(f.buttons).toEqual(['Open data folder', 'Quit']);
  });

  it('a database from a newer Invite Desk: update the app, nothing was changed', () => {
    const f = failureOpening((p) => {
      const db = openDatabase(p);
      db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 0)").run();
      db.close();
    });
    expect(f.message).toBe('This data was written by a newer version of Invite Desk.');
    expect(f.detail).toMatch(/Install the newer version/);
  });

  it('read-only data, a full disk, a database held by another program (SQLite result codes)', () => {
    const ctx = { dbPath: '/data/invite-desk.sqlite', dataDir: '/data' };
    const sqlite = (errcode: number, errstr: string) => Object.assign(new Error(errstr), { code: 'ERR_SQLITE_ERROR', errcode, errstr });
    expect(describeStartupFailure(sqlite(8, 'attempt to write a readonly database'), ctx).message).toBe(
      'The data folder cannot be written.',
    );
    expect(describeStartupFailure(sqlite(13, 'database or disk is full'), ctx).message).toBe(
      'Disk full: free space, then start Invite Desk again.',
    );
    expect(describeStartupFailure(sqlite(5, 'database is locked'), ctx).message).toBe('The database is in use by another program.');
    expect(describeStartupFailure(Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES' }), ctx).message).toBe(
      'The data folder cannot be written.',
    );
  });

  it('anything else still gets a dialog with the error and the next step', () => {
    const f = describeStartupFailure(new TypeError('x is not a function'), { dbPath: '/d/db', dataDir: '/d' });
    expect(f.message).toBe('Something went wrong while starting.');
    expect(f.detail).toMatch(/Quit and start Invite Desk again[\s\S]*x is not a function/);
  });
});
