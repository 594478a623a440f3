import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { checksum, migrate, MigrationError } from '../../../src/main/services/db/migrate.ts';
import { migrations } from '../../../src/main/services/db/migrations.ts';
import type { Db } from '../../../src/main/services/db/types.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const tempDb = () => {
  const d = makeTempDir();
  dirs.push(d);
  return join(d.path, 'nested', 'app.sqlite');
};
const columns = (db: Db, table: string) =>
  db
    .prepare(`PRAGMA table_info(${table})`)
    .all()
    .map((r) => r['name']);

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('1: creates profiles (with no column for a secret) and settings, in WAL mode', () => {
    const path = tempDb();
    const db = openDatabase(path);
    expect(columns(db, 'profiles')).toEqual([
      'id',
      'name',
      'environment',
      'instance_id',
      'fingerprint',
      'base_url',
      'created_at',
      'updated_at',
    ]);
    expect(columns(db, 'settings')).toEqual(['key', 'value']);
    expect(db.prepare('PRAGMA journal_mode').get()?.['journal_mode']).toBe('wal');
    const row = db.prepare('SELECT version, checksum FROM schema_migrations WHERE version = 1').get();
    expect(row?.['checksum']).toBe(checksum(migrations[0]!));
    db.close();
  });

  it('2: creates sheets (with soft delete) and remembered column mappings', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db, migrations.slice(0, 2));
    expect(columns(db, 'sheets')).toEqual([
      'id',
      'name',
      'kind',
      'settings',
      'columns',
      'rows',
      'row_count',
      'created_at',
      'updated_at',
      'deleted_at',
    ]);
    expect(columns(db, 'column_mappings')).toEqual(['header_key', 'columns', 'updated_at']);
    expect(() => db.prepare("INSERT INTO sheets VALUES ('x','n','bogus','{}','[]','[]',0,0,0,NULL)").run()).toThrow(/CHECK/);
    db.close();
  });

  it('3: creates runs, journaled rows (indexed by email), requests and quota use', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db, migrations.slice(0, 3)); // migration 11 replaces this index by the email key's
    expect(columns(db, 'run_rows')).toContain('invitation_id');
    expect(columns(db, 'quota_events')).toEqual(['instance_id', 'endpoint', 'at']);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM run_rows WHERE email = ? COLLATE NOCASE').all('a@b.c');
    expect(JSON.stringify(plan)).toContain('run_rows_email');
    db.close();
  });

  it('4: runs remember their last status sync and the run they follow up', () => {
    const db = openDatabase(tempDb());
    expect(columns(db, 'runs')).toEqual(expect.arrayContaining(['synced_at', 'parent_run_id']));
    db.close();
  });

  it('5: moves the cells of existing sheets to sheet_rows, drops sheets.rows; row patches per sheet, gone with it', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, migrations.slice(0, 4));
    db.prepare(`INSERT INTO sheets VALUES ('s','n','app','{}','[]','[["a@x.io"]]',1,0,0,NULL)`).run();
    migrate(db);
    expect(columns(db, 'sheets')).not.toContain('rows');
    expect(db.prepare("SELECT rows FROM sheet_rows WHERE sheet_id = 's'").get()?.['rows']).toBe('[["a@x.io"]]');
    expect(columns(db, 'sheet_patches')).toEqual(['seq', 'sheet_id', 'patch']);
    db.prepare("INSERT INTO sheet_patches (sheet_id, patch) VALUES ('s', '[]')").run();
    expect(() => db.prepare("INSERT INTO sheet_patches (sheet_id, patch) VALUES ('nope', '[]')").run()).toThrow(/FOREIGN KEY/);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT patch FROM sheet_patches WHERE sheet_id = ? ORDER BY seq').all('s');
    expect(JSON.stringify(plan)).toContain('sheet_patches_by_sheet');
    db.prepare("DELETE FROM sheets WHERE id = 's'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sheet_patches').get()?.['n']).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sheet_rows').get()?.['n']).toBe(0);
    db.close();
  });

  it('7: runs carry a lease, rows remember an unknown outcome, one app lock row at most', () => {
    const db = openDatabase(tempDb());
    expect(columns(db, 'runs')).toEqual(expect.arrayContaining(['lease_owner', 'lease_at']));
    expect(columns(db, 'run_rows')).toContain('unknown_since');
    expect(columns(db, 'app_lock')).toEqual(['id', 'owner', 'pid', 'host', 'acquired_at', 'heartbeat_at']);
    expect(() => db.prepare("INSERT INTO app_lock VALUES (2, 'o', 1, 'h', 0, 0)").run()).toThrow(/CHECK/);
    db.close();
  });

  it('8: run rows remember when their invitation expires', () => {
    const db = openDatabase(tempDb());
    expect(columns(db, 'run_rows')).toContain('expires_at');
    db.close();
  });

  it('9: indexes the domain of each run row (alone and per run), also for rows written before it', () => {
    const path = tempDb();
    const old = openDatabase(path);
    old.close();
    // A database at migration 8 with history in it: migration 9 indexes what is there.
    const db8 = new DatabaseSync(path) as unknown as Db;
    db8.exec('DELETE FROM schema_migrations WHERE version = 9; DROP INDEX run_rows_domain; DROP INDEX run_rows_run_domain;');
    db8.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at)
              VALUES ('r', 'p', 'P', 'production', 'i', 'app', 'S', '{}', 'finished', 1, 1);
              INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, updated_at) VALUES ('r', 0, 0, 'ana@Acme.test', '{}', 'sent', 0);`);
    expect(migrate(db8)).toEqual([9]);
    const names = db8
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'run_rows'")
      .all()
      .map((r) => r['name']);
    expect(names).toEqual(expect.arrayContaining(['run_rows_domain', 'run_rows_run_domain']));
    const domain = "substr(email, instr(email, '@') + 1)";
    const plan = db8
      .prepare(`EXPLAIN QUERY PLAN SELECT email FROM run_rows WHERE ${domain} >= ? COLLATE NOCASE AND ${domain} < ? COLLATE NOCASE`)
      .all('acme.test', 'acme.test\uffff')
      .map((r) => String(r['detail']))
      .join(' ');
    expect(plan).toContain('run_rows_domain');
    expect(
      db8
        .prepare(`SELECT email FROM run_rows WHERE ${domain} >= ? COLLATE NOCASE AND ${domain} < ? COLLATE NOCASE`)
        .all('acme.test', 'acme.test\uffff'),
    ).toEqual([{ email: 'ana@Acme.test' }]);
    db8.close();
  });

  it('10: runs carry their operation as a column, read from what their options said', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db, migrations.slice(0, 9));
    db.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at)
             VALUES ('revoke', 'p', 'P', 'production', 'i', 'app', 'S', '{"op":"revoke","settings":null}', 'finished', 1, 1),
                    ('create', 'p', 'P', 'production', 'i', 'app', 'S', '{"settings":null,"columns":[]}', 'finished', 1, 2),
                    ('older', 'p', 'P', 'production', 'i', 'app', 'S', '{}', 'finished', 1, 3);`);
    expect(migrate(db, migrations.slice(0, 10))).toEqual([10]);
    expect(db.prepare('SELECT id, op, options FROM runs ORDER BY created_at').all()).toEqual([
      { id: 'revoke', op: 'revoke', options: '{"settings":null}' },
      { id: 'create', op: 'create', options: '{"settings":null,"columns":[]}' },
      { id: 'older', op: 'create', options: '{}' },
    ]);
    expect(() => db.prepare("UPDATE runs SET op = 'delete' WHERE id = 'create'").run()).toThrow(/CHECK/);
    db.close();
  });

  it('11: gives every run row, old ones included, the sheet validator’s email key, indexed; NOCASE email indexes gone', () => {
    const path = tempDb();
    openDatabase(path).close();
    // A database before migration 11 with history in it, capitals beyond ASCII included.
    const old = new DatabaseSync(path) as unknown as Db;
    old.exec(`DELETE FROM schema_migrations WHERE version = 11;
              DROP INDEX run_rows_email_key; DROP INDEX run_rows_run_email_key; ALTER TABLE run_rows DROP COLUMN email_key;
              CREATE INDEX run_rows_email ON run_rows (email COLLATE NOCASE);
              CREATE INDEX run_rows_run_email ON run_rows (run_id, email COLLATE NOCASE);
              INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at)
              VALUES ('r', 'p', 'P', 'production', 'i', 'app', 'S', '{}', 'finished', 1, 1);`);
    const emails = ['JOSÉ@Acme.test', 'jose\u0301@acme.test', ' ÅSA@acme.test', 'plain@acme.test'];
    const ins = old.prepare(
      "INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, updated_at) VALUES ('r', ?, ?, ?, '{}', 'sent', 0)",
    );
    old.exec('BEGIN');
    emails.forEach((e, i) => ins.run(i, i, e));
    // More than one fill page (5,000 rows).
    for (let i = 4; i < 12_004; i++) ins.run(i, i, `User${i}@Acme.test`);
    old.exec('COMMIT');
    expect(migrate(old)).toEqual([11]);
    const keys = old
      .prepare('SELECT email_key FROM run_rows ORDER BY idx')
      .all()
      .map((r) => r['email_key']);
    expect(keys.slice(0, 4)).toEqual(['josé@acme.test', 'josé@acme.test', 'åsa@acme.test', 'plain@acme.test']);
    expect(keys.slice(4).every((k, i) => k === `user${i + 4}@acme.test`)).toBe(true);
    const names = old
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'run_rows'")
      .all()
      .map((r) => r['name']);
    expect(names).toEqual(expect.arrayContaining(['run_rows_email_key', 'run_rows_run_email_key']));
    expect(names).not.toContain('run_rows_email');
    expect(names).not.toContain('run_rows_run_email');
    const plan = (sql: string) =>
      old
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all('josé@acme.test')
        .map((r) => String(r['detail']))
        .join(' ');
    expect(plan('SELECT idx FROM run_rows WHERE email_key = ?')).toContain('run_rows_email_key');
    expect(plan("SELECT idx FROM run_rows WHERE run_id = 'r' AND email_key >= ?")).toContain('run_rows_run_email_key');
    old.close();
  });

  it('12: a waitlist table per instance (status checked, indexed by email key, domain, status), its syncs, runs that say what they do to entries', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db, migrations.slice(0, 11));
    db.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at)
             VALUES ('old', 'p', 'P', 'production', 'i', 'app', 'S', '{}', 'finished', 1, 1);`);
    expect(migrate(db, migrations.slice(0, 12))).toEqual([12]);
    expect(db.prepare("SELECT op, waitlist FROM runs WHERE id = 'old'").get()).toEqual({ op: 'create', waitlist: null });
    expect(() => db.prepare("UPDATE runs SET waitlist = 'delete' WHERE id = 'old'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE runs SET waitlist = 'reject' WHERE id = 'old'").run();
    const add = db.prepare(
      `INSERT INTO waitlist_entries (instance_id, id, email, email_key, domain, status, created_at, updated_at, synced_at)
       VALUES ('i', ?, ?, ?, ?, ?, 1, 1, 1)`,
    );
    add.run('wle_1', 'A@Acme.test', 'a@acme.test', 'acme.test', 'pending');
    expect(() => add.run('wle_2', 'b@acme.test', 'b@acme.test', 'acme.test', 'accepted')).toThrow(/CHECK/);
    expect(() => add.run('wle_1', 'c@acme.test', 'c@acme.test', 'acme.test', 'pending')).toThrow(/UNIQUE|PRIMARY/);
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => String(r['detail']))
        .join(' ');
    expect(plan("SELECT id FROM waitlist_entries WHERE instance_id = 'i' AND email_key = 'a@acme.test'")).toContain(
      'waitlist_entries_email',
    );
    expect(plan("SELECT id FROM waitlist_entries WHERE instance_id = 'i' AND domain = 'acme.test'")).toContain('waitlist_entries_domain');
    expect(plan("SELECT COUNT(*) FROM waitlist_entries WHERE instance_id = 'i' AND status = 'pending'")).toContain(
      'waitlist_entries_status',
    );
    expect(columns(db, 'waitlist_syncs')).toEqual(['instance_id', 'synced_at', 'total']);
    db.close();
  });

  it('13: runs may repair metadata (op widened, values and rows kept); metadata checks per run row, gone with their run', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    db.exec('PRAGMA foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 13),
    );
    db.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, sheet_name, options, state, window_ms, created_at)
                VALUES ('r', 'p', 'P', 'production', 'i', 'app', 'revoke', 'S', '{}', 'finished', 1, 1);
                INSERT INTO run_rows (run_id, idx, sheet_row, email, request, state, updated_at) VALUES ('r', 0, 0, 'a@x.test', '{}', 'sent', 1);`);
    expect(migrate(db)).toContain(13);
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_rows').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT id, op FROM runs').all()).toEqual([{ id: 'r', op: 'revoke' }]);
    expect(columns(db, 'runs')).not.toContain('op_before_13');
    db.prepare("UPDATE runs SET op = 'repair' WHERE id = 'r'").run();
    expect(() => db.prepare("UPDATE runs SET op = 'delete' WHERE id = 'r'").run()).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO metadata_checks (run_id, idx, user_id, status, result, checked_at) VALUES ('r', 0, 'user_1', 'missing', '{}', 5)`,
    ).run();
    expect(() =>
      db.prepare(`INSERT INTO metadata_checks (run_id, idx, status, result, checked_at) VALUES ('r', 1, 'fine', '{}', 5)`).run(),
    ).toThrow(/CHECK/);
    db.prepare("DELETE FROM run_rows WHERE run_id = 'r'").run();
    db.prepare("DELETE FROM runs WHERE id = 'r'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM metadata_checks').get()).toEqual({ n: 0 });
    db.close();
  });

  it('14: the instance inventory per profile, its sync state, run rows indexed by invitation id', () => {
    const db = openDatabase(tempDb());
    expect(columns(db, 'inventory')).toEqual(
      expect.arrayContaining(['profile_id', 'id', 'kind', 'email_key', 'domain', 'status', 'seen_at']),
    );
    expect(columns(db, 'inventory_sync')).toEqual(['profile_id', 'instance_id', 'synced_at', 'complete']);
    db.exec(`INSERT INTO inventory_sync (profile_id, instance_id) VALUES ('p', 'ins');
             INSERT INTO inventory (profile_id, id, kind, email, email_key, domain, status, created_at, updated_at, seen_at)
             VALUES ('p', 'inv_1', 'app', 'a@b.test', 'a@b.test', 'b.test', 'pending', 1, 1, 1);`);
    expect(() =>
      db
        .prepare(
          "INSERT INTO inventory (profile_id, id, kind, email, email_key, domain, status, created_at, updated_at, seen_at) VALUES ('p', 'inv_2', 'app', 'a', 'a', 'b', 'lost', 1, 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT run_id FROM run_rows WHERE invitation_id = 'inv_1'")
      .all()
      .map((r) => String(r['detail']))
      .join(' ');
    expect(plan).toContain('run_rows_invitation');
    db.close();
  });

  it('15: an inventory row keeps the name of the run that sent it, filled in for rows linked before', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(
      db,
      migrations.filter((m) => m.version < 15),
    );
    db.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, sheet_name, options, state, window_ms, created_at)
                VALUES ('r', 'p', 'P', 'production', 'i', 'app', 'create', 'Spring', '{}', 'finished', 1, 1);
             INSERT INTO inventory (profile_id, id, kind, email, email_key, domain, status, created_at, updated_at, seen_at, run_id)
             VALUES ('p', 'inv_1', 'app', 'a@b.test', 'a@b.test', 'b.test', 'pending', 1, 1, 1, 'r'),
                    ('p', 'inv_2', 'app', 'c@b.test', 'c@b.test', 'b.test', 'pending', 1, 1, 1, NULL);`);
    expect(migrate(db)).toContain(15);
    expect(db.prepare('SELECT id, run_id, run_name FROM inventory ORDER BY id').all()).toEqual([
      { id: 'inv_1', run_id: 'r', run_name: 'Spring' },
      { id: 'inv_2', run_id: null, run_name: null },
    ]);
    db.close();
  });

  it('applies nothing twice when reopened', () => {
    const path = tempDb();
    openDatabase(path).close();
    const db = new DatabaseSync(path) as unknown as Db;
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('refuses a database whose applied migration was edited', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db);
    const edited = migrations.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql} -- changed` } : m));
    expect(() => migrate(db, edited)).toThrow(MigrationError);
  });

  it('refuses a database from a newer app', () => {
    const db = new DatabaseSync(':memory:') as unknown as Db;
    migrate(db, [...migrations, { version: 99, name: 'future', sql: 'CREATE TABLE future (x)' }]);
    expect(() => migrate(db)).toThrow(/newer Invite Desk/);
  });
});
