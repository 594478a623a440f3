/**
 * The team database's schema: numbered, checksummed migrations as for SQLite (never edit a shipped one; add the next
 * number), each with its test (test/main/team/pgMigrations.test.ts). Two computers opening the workspace at once
 * migrate one after the other (an advisory lock). Times are milliseconds since the epoch as DOUBLE PRECISION: the
 * engine's waits carry fractions (jittered backoff), which SQLite keeps and a BIGINT would refuse.
 */
import { checksum, toApply } from '../db/migrate.ts';
import { pgTransaction, type PgPool } from './pgTypes.ts';

export type PgMigration = { version: number; name: string; sql: string };

export const pgMigrations: PgMigration[] = [
  {
    version: 1,
    name: 'runs, their journaled rows and requests, run leases, the quota ledger and Retry-After blocks',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        profile_name TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('development', 'production')),
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('app', 'org')),
        op TEXT NOT NULL CHECK (op IN ('create', 'revoke')),
        organization_id TEXT,
        organization_name TEXT,
        sheet_id TEXT,
        sheet_name TEXT NOT NULL,
        options TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'finished', 'cancelled', 'interrupted')),
        pause_reason TEXT,
        window_ms DOUBLE PRECISION NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        started_at DOUBLE PRECISION,
        finished_at DOUBLE PRECISION,
        synced_at DOUBLE PRECISION,
        parent_run_id TEXT,
        lease_owner TEXT,
        lease_at DOUBLE PRECISION
      );
      CREATE INDEX runs_instance_state ON runs (instance_id, state);
      CREATE INDEX runs_profile ON runs (profile_id, created_at);
      CREATE TABLE run_rows (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        sheet_row INTEGER NOT NULL,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL,
        request TEXT,
        state TEXT NOT NULL CHECK (state IN ('queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled')),
        request_id BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0,
        split INTEGER NOT NULL DEFAULT 10,
        not_before DOUBLE PRECISION NOT NULL DEFAULT 0,
        unknown_since DOUBLE PRECISION,
        invitation_id TEXT,
        invitation_status TEXT,
        url TEXT,
        expires_at DOUBLE PRECISION,
        error_code TEXT,
        message TEXT,
        updated_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (run_id, idx)
      );
      CREATE INDEX run_rows_state ON run_rows (run_id, state);
      CREATE INDEX run_rows_email_key ON run_rows (email_key);
      CREATE TABLE run_requests (
        id BIGSERIAL PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        endpoint TEXT NOT NULL,
        rows INTEGER NOT NULL,
        started_at DOUBLE PRECISION NOT NULL,
        finished_at DOUBLE PRECISION,
        outcome TEXT
      );
      CREATE INDEX run_requests_run ON run_requests (run_id);
      CREATE TABLE quota_events (
        id BIGSERIAL PRIMARY KEY,
        instance_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        at DOUBLE PRECISION NOT NULL,
        request_id BIGINT
      );
      CREATE INDEX quota_events_by ON quota_events (instance_id, endpoint, at);
      CREATE INDEX quota_events_request ON quota_events (request_id);
      CREATE TABLE quota_blocks (
        instance_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        until DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (instance_id, endpoint)
      );
    `,
  },
  {
    version: 2,
    // Level with SQLite's migrations 10–14 for what runs, history and rows read: repair runs (13) widen the op's
    // CHECK; waitlist runs (12) say what they do to entries in \`waitlist\` (op stays 'create'); the per-run email key
    // (11) and invitation (14) indexes. The history search compares in "C" (byte order) whatever the database's
    // collation, so a prefix is a range on these two expression indexes (key, and the key's domain).
    name: 'repair and waitlist runs, and the indexes of the history search, the follow-ups and the status sync',
    sql: `
      ALTER TABLE runs DROP CONSTRAINT runs_op_check;
      ALTER TABLE runs ADD CONSTRAINT runs_op_check CHECK (op IN ('create', 'revoke', 'repair'));
      ALTER TABLE runs ADD COLUMN waitlist TEXT CHECK (waitlist IN ('invite', 'reject', 'add'));
      CREATE INDEX runs_created ON runs (created_at);
      CREATE INDEX run_rows_run_email_key ON run_rows (run_id, email_key);
      CREATE INDEX run_rows_email_prefix ON run_rows ((email_key COLLATE "C"));
      CREATE INDEX run_rows_domain_prefix ON run_rows ((substr(email_key, strpos(email_key, '@') + 1) COLLATE "C"));
      CREATE INDEX run_rows_invitation ON run_rows (invitation_id) WHERE invitation_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    // What a team shares besides runs: profiles (never keys: each member's key stays in their keychain, the team sees
    // only which member entered one, by its fingerprint), each member's own settings (the active profile), sheets
    // with a version per save and who made it (a stale save is refused), and remembered column mappings.
    name: 'shared profiles with per-member key fingerprints, member settings, versioned sheets and column mappings',
    sql: `
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('development', 'production')),
        instance_id TEXT NOT NULL UNIQUE,
        base_url TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE profile_fingerprints (
        profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        member TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (profile_id, member)
      );
      CREATE TABLE member_settings (
        member TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (member, name)
      );
      CREATE TABLE sheets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('app', 'org')),
        settings TEXT NOT NULL,
        columns TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        version INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        deleted_at DOUBLE PRECISION
      );
      CREATE INDEX sheets_live ON sheets (deleted_at, updated_at);
      CREATE TABLE sheet_rows (
        sheet_id TEXT PRIMARY KEY REFERENCES sheets (id) ON DELETE CASCADE,
        rows TEXT NOT NULL
      );
      CREATE TABLE sheet_patches (
        seq BIGSERIAL PRIMARY KEY,
        sheet_id TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,
        patch TEXT NOT NULL
      );
      CREATE INDEX sheet_patches_by_sheet ON sheet_patches (sheet_id, seq);
      CREATE TABLE column_mappings (
        header_set TEXT PRIMARY KEY,
        columns TEXT NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'four-eyes approvals of production sends: the snapshot reviewed, who prepared and who decided',
    sql: `
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'started', 'failed', 'rejected', 'withdrawn')),
        instance_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        profile_name TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('development', 'production')),
        organization_name TEXT,
        sheet_name TEXT NOT NULL,
        summary TEXT NOT NULL,
        to_send INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        doc JSONB NOT NULL,
        choices JSONB NOT NULL,
        prepared_by TEXT NOT NULL,
        prepared_at DOUBLE PRECISION NOT NULL,
        decided_by TEXT,
        decided_at DOUBLE PRECISION,
        reason TEXT,
        run_id TEXT,
        CHECK (decided_by IS NULL OR decided_by <> prepared_by)
      );
      CREATE INDEX approvals_pending ON approvals (instance_id, prepared_at) WHERE state = 'pending';
      CREATE INDEX approvals_recent ON approvals (prepared_at);
    `,
  },
  {
    version: 5,
    name: 'four eyes on every production run: an approval of a prepared run (its rows as they will go), one per run id',
    sql: `
      ALTER TABLE approvals ADD COLUMN kind TEXT NOT NULL DEFAULT 'sheet' CHECK (kind IN ('sheet', 'run'));
      ALTER TABLE approvals ADD COLUMN plan JSONB;
      ALTER TABLE approvals ALTER COLUMN doc DROP NOT NULL;
      ALTER TABLE approvals ALTER COLUMN choices DROP NOT NULL;
      ALTER TABLE approvals ADD CONSTRAINT approvals_snapshot CHECK (
        CASE kind WHEN 'sheet' THEN doc IS NOT NULL AND choices IS NOT NULL AND plan IS NULL
                  ELSE plan IS NOT NULL AND doc IS NULL AND choices IS NULL END);
      CREATE UNIQUE INDEX approvals_plan ON approvals ((plan->>'id')) WHERE kind = 'run';
    `,
  },
  {
    version: 6,
    name: 'reminder rules and their claims shared by the team: each person counted once for every member',
    sql: `
      CREATE TABLE reminder_rules (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        run_id TEXT,
        after_days INTEGER NOT NULL CHECK (after_days BETWEEN 1 AND 365),
        max_reminders INTEGER NOT NULL CHECK (max_reminders BETWEEN 1 AND 10),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        created_at DOUBLE PRECISION NOT NULL
      );
      CREATE TABLE reminder_log (
        rule_id TEXT NOT NULL,
        email_key TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_at DOUBLE PRECISION NOT NULL,
        invitation_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        PRIMARY KEY (rule_id, email_key)
      );
      CREATE INDEX reminder_rules_profile ON reminder_rules (profile_id, created_at);
    `,
  },
];

export const pgChecksum = (m: PgMigration): string => checksum(m);

/** Any fixed number: the one lock every Invite Desk takes while it migrates a team database. */
const MIGRATION_LOCK = 7_263_002_601;

/** Applies what is missing; refuses a database whose applied migrations were changed or come from a newer app. */
export async function migratePg(pool: PgPool, list: PgMigration[] = pgMigrations): Promise<number[]> {
  return pgTransaction(pool, async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = new Map(
      (await q.query('SELECT version, checksum FROM schema_migrations')).rows.map((r) => [Number(r['version']), String(r['checksum'])]),
    );
    const done: number[] = [];
    for (const { m, sum } of toApply(list, applied, { database: 'team database', migration: 'Team database migration' })) {
      await q.query(m.sql);
      await q.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        m.version,
        m.name,
        sum,
        Date.now(),
      ]);
      done.push(m.version);
    }
    return done;
  });
}
