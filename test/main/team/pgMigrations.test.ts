/** The team database's migrations: numbered without gaps, checksummed, one test each, safe when two apps open it at once. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgChecksum, pgMigrations, migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';

const pools: pg.Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
const pool = (url: string) => {
  const p = new pg.Pool({ connectionString: url, max: 3 });
  pools.push(p);
  return p;
};
const columns = async (p: pg.Pool, table: string) =>
  (await p.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).rows.map(
    (r: { column_name: string }) => r.column_name,
  );

describe('team database migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(pgMigrations.map((m) => m.version)).toEqual(pgMigrations.map((_, i) => i + 1));
  });

  it('1: runs with leases, their rows (keyed emails, no secret anywhere), requests, the quota ledger and blocks', async () => {
    const p = pool(await freshPgUrl());
    expect(await migratePg(p, pgMigrations.slice(0, 1))).toEqual([1]);
    expect(await columns(p, 'runs')).toContain('lease_owner');
    expect(await columns(p, 'run_rows')).toEqual(expect.arrayContaining(['email_key', 'unknown_since', 'request_id', 'expires_at']));
    expect(await columns(p, 'quota_events')).toEqual(['id', 'instance_id', 'endpoint', 'at', 'request_id']);
    expect(await columns(p, 'quota_blocks')).toEqual(['instance_id', 'endpoint', 'until']);
    const all = (await p.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'")).rows.map(
      (r: { column_name: string }) => r.column_name,
    );
    expect(all.filter((c) => /secret|key$|password/i.test(c) && c !== 'email_key')).toEqual([]);
    const row = (await p.query('SELECT checksum FROM schema_migrations WHERE version = 1')).rows[0] as { checksum: string };
    expect(row.checksum).toBe(pgChecksum(pgMigrations[0]!));
  });

  it('2: repair runs and waitlist runs are accepted, runs of migration 1 kept; the search and sync indexes exist', async () => {
    const p = pool(await freshPgUrl());
    await migratePg(p, pgMigrations.slice(0, 1));
    const insert = (id: string, op: string, waitlist?: string) =>
      p.query(
        `INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, op, sheet_name, options, state, window_ms, created_at${waitlist ? ', waitlist' : ''})
         VALUES ($1, 'p', 'p', 'development', 'ins', 'app', $2, 's', '{}', 'finished', 1000, 1${waitlist ? `, '${waitlist}'` : ''})`,
        [id, op],
      );
    await insert('before', 'revoke');
    await expect(insert('repair', 'repair')).rejects.toThrow(/runs_op_check/);
    expect(await migratePg(p)).toEqual(pgMigrations.slice(1).map((m) => m.version));
    await insert('repair', 'repair');
    await insert('wl', 'create', 'invite');
    await expect(insert('bad', 'delete')).rejects.toThrow(/runs_op_check/);
    await expect(insert('bad', 'create', 'delete')).rejects.toThrow(/runs_waitlist_check/);
    const runs = (await p.query('SELECT id, op, waitlist FROM runs ORDER BY id')).rows;
    expect(runs).toEqual([
      { id: 'before', op: 'revoke', waitlist: null },
      { id: 'repair', op: 'repair', waitlist: null },
      { id: 'wl', op: 'create', waitlist: 'invite' },
    ]);
    const indexes = (await p.query("SELECT indexname FROM pg_indexes WHERE tablename IN ('runs', 'run_rows')")).rows.map(
      (r: { indexname: string }) => r.indexname,
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        'runs_created',
        'run_rows_run_email_key',
        'run_rows_email_prefix',
        'run_rows_domain_prefix',
        'run_rows_invitation',
      ]),
    );
    // The history search's ranges (team/pgHistorySearch.ts) are answered from the expression indexes, not a scan.
    await p.query('SET enable_seqscan = off');
    const plan = async (where: string) =>
      JSON.stringify((await p.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM run_rows rr WHERE ${where}`, ['ana', 'ana\u{10ffff}'])).rows);
    expect(await plan('rr.email_key COLLATE "C" >= $1 AND rr.email_key COLLATE "C" < $2')).toContain('run_rows_email_prefix');
    expect(
      await plan(
        `substr(rr.email_key, strpos(rr.email_key, '@') + 1) COLLATE "C" >= $1 AND substr(rr.email_key, strpos(rr.email_key, '@') + 1) COLLATE "C" < $2`,
      ),
    ).toContain('run_rows_domain_prefix');
  });

  it('3: shared profiles without keys (one per instance, a fingerprint per member), member settings, versioned sheets', async () => {
    const p = pool(await freshPgUrl());
    expect(
      await migratePg(
        p,
        pgMigrations.filter((m) => m.version <= 3),
      ),
    ).toContain(3);
    expect(await columns(p, 'profiles')).toEqual([
      'id',
      'name',
      'environment',
      'instance_id',
      'base_url',
      'created_by',
      'created_at',
      'updated_at',
    ]);
    expect(await columns(p, 'profile_fingerprints')).toEqual(['profile_id', 'member', 'fingerprint', 'updated_at']);
    expect(await columns(p, 'member_settings')).toEqual(['member', 'name', 'value']);
    expect(await columns(p, 'sheets')).toEqual(expect.arrayContaining(['version', 'updated_by', 'deleted_at']));
    expect(await columns(p, 'sheet_patches')).toEqual(['seq', 'sheet_id', 'patch']);
    expect(await columns(p, 'column_mappings')).toEqual(['header_set', 'columns', 'updated_at']);
    const all = (await p.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'")).rows.map(
      (r: { column_name: string }) => r.column_name,
    );
    expect(all.filter((c) => /secret|key$|password/i.test(c) && c !== 'email_key')).toEqual([]);
    const insert = (id: string) =>
      p.query(`INSERT INTO profiles VALUES ($1, 'Acme', 'development', 'ins_1', 'https://api.clerk.com/v1', 'ann', 0, 0)`, [id]);
    await insert('p1');
    await expect(insert('p2')).rejects.toThrow(/duplicate key value violates unique constraint/);
    await p.query("INSERT INTO profile_fingerprints VALUES ('p1', 'ann', 'sk_test_…a1b2', 0), ('p1', 'bob', 'sk_test_…c3d4', 0)");
    await p.query("DELETE FROM profiles WHERE id = 'p1'");
    expect((await p.query('SELECT count(*)::int AS n FROM profile_fingerprints')).rows[0]).toEqual({ n: 0 });
    const row = (await p.query('SELECT checksum FROM schema_migrations WHERE version = 3')).rows[0] as { checksum: string };
    expect(row.checksum).toBe(pgChecksum(pgMigrations.find((m) => m.version === 3)!));
  });

  it('4: four-eyes approvals keep the reviewed snapshot (JSON), no secret, and a decision never by who prepared it', async () => {
    const p = pool(await freshPgUrl());
    expect(
      await migratePg(
        p,
        pgMigrations.filter((m) => m.version <= 4),
      ),
    ).toContain(4);
    expect(await columns(p, 'approvals')).toEqual(
      expect.arrayContaining(['state', 'instance_id', 'doc', 'choices', 'prepared_by', 'prepared_at', 'decided_by', 'reason', 'run_id']),
    );
    expect((await columns(p, 'approvals')).filter((c) => /secret|key$|password/i.test(c))).toEqual([]);
    const insert = (decidedBy: string | null) =>
      p.query(
        `INSERT INTO approvals (id, state, instance_id, profile_id, profile_name, environment, sheet_name, summary, to_send, skipped,
           doc, choices, prepared_by, prepared_at, decided_by) VALUES ($1, 'approved', 'ins', 'p', 'P', 'production', 'S', '', 1, 0,
           '{}', '{}', 'ana@a', 1, $2)`,
        [`a${decidedBy}`, decidedBy],
      );
    await insert('ben@b');
    await expect(insert('ana@a')).rejects.toThrow(/check constraint/);
    const row = (await p.query('SELECT checksum FROM schema_migrations WHERE version = 4')).rows[0] as { checksum: string };
    expect(row.checksum).toBe(pgChecksum(pgMigrations.find((m) => m.version === 4)!));
  });

  it('5: an approval of a prepared run keeps the run (JSON) instead of a sheet, and a run id is asked about once', async () => {
    const p = pool(await freshPgUrl());
    await migratePg(
      p,
      pgMigrations.filter((m) => m.version <= 4),
    );
    const insert = (id: string, kind: string | null, doc: string | null, plan: string | null) =>
      p.query(
        `INSERT INTO approvals (id, state, instance_id, profile_id, profile_name, environment, sheet_name, summary, to_send, skipped,
           doc, choices, prepared_by, prepared_at ${kind ? ', kind, plan' : ''}) VALUES ($1, 'pending', 'ins', 'p', 'P', 'production', 'S', '',
           1, 0, $2, $2, 'ana@a', 1 ${kind ? ', $3, $4' : ''})`,
        kind ? [id, doc, kind, plan] : [id, doc],
      );
    await insert('before', null, '{}', null); // a sheet's approval of migration 4
    expect(await migratePg(p)).toEqual([5, 6]);
    expect(await columns(p, 'approvals')).toEqual(expect.arrayContaining(['kind', 'plan']));
    expect((await p.query(`SELECT kind FROM approvals WHERE id = 'before'`)).rows).toEqual([{ kind: 'sheet' }]);
    await insert('r1', 'run', null, '{"id": "run-1"}');
    await expect(insert('r2', 'run', null, '{"id": "run-1"}')).rejects.toThrow(/approvals_plan/);
    await expect(insert('r3', 'run', '{}', '{"id": "run-3"}')).rejects.toThrow(/approvals_snapshot/);
    await expect(insert('s1', 'sheet', null, null)).rejects.toThrow(/approvals_snapshot/);
    await expect(insert('x1', 'other', null, '{"id": "run-4"}')).rejects.toThrow(/check constraint/);
    const row = (await p.query('SELECT checksum FROM schema_migrations WHERE version = 5')).rows[0] as { checksum: string };
    expect(row.checksum).toBe(pgChecksum(pgMigrations.find((m) => m.version === 5)!));
  });

  it('6: reminder rules and their claims, one count a person and rule for the team', async () => {
    const p = pool(await freshPgUrl());
    expect(await migratePg(p)).toContain(6);
    expect(await columns(p, 'reminder_rules')).toEqual([
      'id',
      'profile_id',
      'run_id',
      'after_days',
      'max_reminders',
      'enabled',
      'created_at',
    ]);
    expect(await columns(p, 'reminder_log')).toEqual(['rule_id', 'email_key', 'count', 'last_at', 'invitation_id', 'run_id']);
    const claim = () => p.query(`INSERT INTO reminder_log VALUES ('r', 'ann@acme.test', 1, 1, 'inv_1', 'run_1')`);
    await claim();
    await expect(claim()).rejects.toThrow(/duplicate key/);
    await expect(p.query(`INSERT INTO reminder_rules VALUES ('r', 'p', NULL, 0, 1, 1, 1)`)).rejects.toThrow(/check constraint/);
    const row = (await p.query('SELECT checksum FROM schema_migrations WHERE version = 6')).rows[0] as { checksum: string };
    expect(row.checksum).toBe(pgChecksum(pgMigrations.find((m) => m.version === 6)!));
  });

  it('run again: nothing to do; two apps opening a new workspace at once: it is migrated once', async () => {
    const url = await freshPgUrl();
    const done = await Promise.all([migratePg(pool(url)), migratePg(pool(url))]);
    expect(done.map((d) => d.length).sort()).toEqual([0, pgMigrations.length]);
    expect(await migratePg(pool(url))).toEqual([]);
  });

  it('refuses a workspace whose applied migration was changed, or that a newer app migrated', async () => {
    const url = await freshPgUrl();
    const p = pool(url);
    await migratePg(p);
    await expect(migratePg(p, [{ ...pgMigrations[0]!, sql: `${pgMigrations[0]!.sql} ` }, ...pgMigrations.slice(1)])).rejects.toThrow(
      /Team database migration 1 .* differs from the one applied/,
    );
    await p.query("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)");
    await expect(migratePg(p)).rejects.toThrow(/written by a newer Invite Desk \(migration 999\)\. Update the app\./);
  });
});
