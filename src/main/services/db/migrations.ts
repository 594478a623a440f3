/**
 * Numbered, checksummed migrations. Never edit a shipped one: add the next number.
 * Each has its own test (test/main/db/migrations.test.ts).
 */
import { emailKey } from '../../../shared/domain/email.ts';
import type { Db } from './types.ts';

export type Migration = {
  version: number;
  name: string;
  sql: string;
  /** Data only the app's code can compute (SQLite's lower() folds ASCII only), filled after `sql` in its transaction. */
  fill?: (db: Db) => void;
};

/** Characters outside printable ASCII (`!`…`~`): only such addresses need the app's normalisation. */
const NOT_PLAIN = `email GLOB '*[^!-~]*'`;

/**
 * Migration 11's keys for the addresses SQL cannot key (beyond ASCII, or with spaces), a page at a time by rowid:
 * a million rows never sit in memory at once.
 */
function fillEmailKeys(db: Db): void {
  const page = db.prepare(`SELECT rowid AS id, email FROM run_rows WHERE rowid > ? AND ${NOT_PLAIN} ORDER BY rowid LIMIT 5000`);
  const set = db.prepare('UPDATE run_rows SET email_key = ? WHERE rowid = ?');
  for (let after = 0; ;) {
    const rows = page.all(after);
    for (const r of rows) set.run(emailKey(String(r['email'])), r['id'] as number);
    if (rows.length < 5000) return;
    after = Number(rows.at(-1)!['id']);
  }
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'profiles and settings',
    sql: `
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('development', 'production')),
        instance_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        base_url TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX profiles_instance ON profiles (base_url, instance_id);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'sheets and remembered column mappings',
    sql: `
      CREATE TABLE sheets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('app', 'org')),
        settings TEXT NOT NULL,
        columns TEXT NOT NULL,
        rows TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE INDEX sheets_live ON sheets (deleted_at, updated_at);
      CREATE TABLE column_mappings (header_key TEXT PRIMARY KEY, columns TEXT NOT NULL, updated_at INTEGER NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'send runs, their journaled rows and requests, and quota use per instance',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        profile_name TEXT NOT NULL,
        environment TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('app', 'org')),
        organization_id TEXT,
        organization_name TEXT,
        sheet_id TEXT,
        sheet_name TEXT NOT NULL,
        options TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'finished', 'cancelled', 'interrupted')),
        pause_reason TEXT,
        window_ms INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX runs_profile ON runs (profile_id, created_at);
      CREATE TABLE run_rows (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        sheet_row INTEGER NOT NULL,
        email TEXT NOT NULL,
        request TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled')),
        request_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        split INTEGER NOT NULL DEFAULT 10,
        not_before INTEGER NOT NULL DEFAULT 0,
        invitation_id TEXT,
        invitation_status TEXT,
        url TEXT,
        error_code TEXT,
        message TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, idx)
      );
      CREATE INDEX run_rows_state ON run_rows (run_id, state);
      CREATE INDEX run_rows_email ON run_rows (email COLLATE NOCASE);
      CREATE TABLE run_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        endpoint TEXT NOT NULL,
        rows INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT
      );
      CREATE TABLE quota_events (instance_id TEXT NOT NULL, endpoint TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX quota_events_by ON quota_events (instance_id, endpoint, at);
      CREATE TABLE quota_blocks (instance_id TEXT NOT NULL, endpoint TEXT NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (instance_id, endpoint));
    `,
  },
  {
    version: 4,
    name: 'status sync time per run, and the run a follow-up came from',
    sql: `
      ALTER TABLE runs ADD COLUMN synced_at INTEGER;
      ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
    `,
  },
  {
    version: 5,
    // The cells move out of `sheets`: SQLite rewrites a whole record on UPDATE, so touching updated_at next to
    // megabytes of cells cost a full rewrite per edit.
    name: 'sheet cells in their own table, edits stored as row patches appended to the sheet',
    sql: `
      CREATE TABLE sheet_rows (
        sheet_id TEXT PRIMARY KEY REFERENCES sheets (id) ON DELETE CASCADE,
        rows TEXT NOT NULL
      );
      INSERT INTO sheet_rows (sheet_id, rows) SELECT id, rows FROM sheets;
      ALTER TABLE sheets DROP COLUMN rows;
      CREATE TABLE sheet_patches (
        seq INTEGER PRIMARY KEY,
        sheet_id TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,
        patch TEXT NOT NULL
      );
      CREATE INDEX sheet_patches_by_sheet ON sheet_patches (sheet_id, seq);
    `,
  },
  {
    version: 6,
    name: 'history email search: (run, email) index for broad prefixes, walked run by run',
    sql: `CREATE INDEX run_rows_run_email ON run_rows (run_id, email COLLATE NOCASE);`,
  },
  {
    version: 7,
    name: 'never twice: run leases, rows whose outcome was once unknown, one app process per database',
    sql: `
      ALTER TABLE runs ADD COLUMN lease_owner TEXT;
      ALTER TABLE runs ADD COLUMN lease_at INTEGER;
      ALTER TABLE run_rows ADD COLUMN unknown_since INTEGER;
      CREATE INDEX run_rows_unknown ON run_rows (run_id, unknown_since) WHERE unknown_since IS NOT NULL;
      CREATE INDEX runs_running ON runs (profile_id, state);
      CREATE TABLE app_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'run rows remember when their invitation expires',
    sql: `ALTER TABLE run_rows ADD COLUMN expires_at INTEGER;`,
  },
  {
    version: 9,
    // Expression indexes: nothing to fill in on insert, and the search's WHERE repeats the expression exactly
    // (EMAIL_DOMAIN in runsRepo.ts), which is what lets SQLite use them.
    name: 'history search by domain: indexes on the part of each email after its @, alone and per run',
    sql: `
      CREATE INDEX run_rows_domain ON run_rows (substr(email, instr(email, '@') + 1) COLLATE NOCASE);
      CREATE INDEX run_rows_run_domain ON run_rows (run_id, substr(email, instr(email, '@') + 1) COLLATE NOCASE);
    `,
  },
  {
    version: 10,
    // The operation was a key inside the options JSON, read with json_extract and casts everywhere: now a column
    // the engine, history and the window read as a type. Old runs keep what their options said.
    name: 'runs carry their operation (create or revoke) as a column',
    sql: `
      ALTER TABLE runs ADD COLUMN op TEXT NOT NULL DEFAULT 'create' CHECK (op IN ('create', 'revoke'));
      UPDATE runs SET op = 'revoke' WHERE json_extract(options, '$.op') = 'revoke';
      UPDATE runs SET options = json_remove(options, '$.op') WHERE json_type(options, '$.op') IS NOT NULL;
    `,
  },
  {
    version: 11,
    // Every comparison of addresses (review, follow-ups, search, duplicates) is on this key, never on SQLite's
    // NOCASE, which folds ASCII only: `JOSÉ@…` and `josé@…` were two people. The NOCASE email indexes go with it.
    name: 'run rows carry one email key (the sheet validator’s normalisation), indexed alone and per run',
    sql: `
      ALTER TABLE run_rows ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
      -- Printable ASCII alone: the key is lower() (the same as the app's). The others are keyed by the app (fill).
      UPDATE run_rows SET email_key = lower(email) WHERE NOT ${NOT_PLAIN};
      DROP INDEX run_rows_email;
      DROP INDEX run_rows_run_email;
      CREATE INDEX run_rows_email_key ON run_rows (email_key);
      CREATE INDEX run_rows_run_email_key ON run_rows (run_id, email_key);
    `,
    fill: fillEmailKeys,
  },
  {
    version: 12,
    // The waitlist of each instance as last synced (issue 23): opens at once, searched by email key and domain,
    // counted per status. Waitlist runs are runs whose `waitlist` says what they do to each entry (op stays
    // 'create' for the columns' CHECK; history reads only their invites as invitations).
    name: 'the waitlist: entries per instance, its last sync, and waitlist runs',
    sql: `
      CREATE TABLE waitlist_entries (
        instance_id TEXT NOT NULL,
        id TEXT NOT NULL,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL,
        domain TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'invited', 'completed', 'rejected')),
        is_locked INTEGER NOT NULL DEFAULT 0,
        invitation_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        synced_at INTEGER NOT NULL,
        PRIMARY KEY (instance_id, id)
      );
      CREATE INDEX waitlist_entries_email ON waitlist_entries (instance_id, email_key);
      CREATE INDEX waitlist_entries_domain ON waitlist_entries (instance_id, domain);
      CREATE INDEX waitlist_entries_status ON waitlist_entries (instance_id, status, created_at);
      CREATE INDEX waitlist_entries_created ON waitlist_entries (instance_id, created_at);
      CREATE TABLE waitlist_syncs (instance_id TEXT PRIMARY KEY, synced_at INTEGER NOT NULL, total INTEGER NOT NULL);
      ALTER TABLE runs ADD COLUMN waitlist TEXT CHECK (waitlist IN ('invite', 'reject', 'add'));
    `,
  },
  {
    version: 13,
    // Issue 24: a run may repair metadata (op 'repair'), so the op's CHECK widens: the column is renamed, a new one
    // with the wider CHECK takes its values, and the old one (its CHECK with it) is dropped; no table rebuild, so the
    // run_rows foreign key and every other column stay as they are. Metadata checks are kept per run row.
    name: 'repair runs, and what a metadata check found per accepted row',
    sql: `
      ALTER TABLE runs RENAME COLUMN op TO op_before_13;
      ALTER TABLE runs ADD COLUMN op TEXT NOT NULL DEFAULT 'create' CHECK (op IN ('create', 'revoke', 'repair'));
      UPDATE runs SET op = op_before_13;
      ALTER TABLE runs DROP COLUMN op_before_13;
      CREATE TABLE metadata_checks (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        user_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('landed', 'missing', 'differs', 'no_account')),
        result TEXT NOT NULL,
        checked_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, idx)
      );
    `,
  },
  {
    version: 14,
    // Issue 25: every invitation of a profile's instance, ours or not (the Invitations page), kept locally so the page
    // opens at once; synced incrementally. Our history joins it by invitation id (the new partial index; `run_id` is
    // the create run that sent it, filled as pages are written, so “ours or not” is a column, not a join). No foreign
    // key to profiles: the Sandbox profile has no row there; deleting a profile deletes its copy (inventoryService).
    name: 'the instance inventory: every invitation of a profile’s instance and its sync state',
    sql: `
      CREATE TABLE inventory (
        profile_id TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('app', 'org')),
        email TEXT NOT NULL,
        email_key TEXT NOT NULL,
        domain TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
        organization_id TEXT,
        organization_name TEXT,
        role TEXT,
        public_metadata TEXT NOT NULL DEFAULT '{}',
        private_metadata TEXT NOT NULL DEFAULT '{}',
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL,
        run_id TEXT,
        PRIMARY KEY (profile_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX inventory_created ON inventory (profile_id, created_at);
      CREATE INDEX inventory_status ON inventory (profile_id, status, created_at);
      CREATE INDEX inventory_expiry ON inventory (profile_id, status, expires_at);
      CREATE INDEX inventory_kind ON inventory (profile_id, kind, status);
      CREATE INDEX inventory_email ON inventory (profile_id, email_key);
      CREATE INDEX inventory_domain ON inventory (profile_id, domain, status);
      CREATE INDEX inventory_run ON inventory (profile_id, run_id, status);
      CREATE TABLE inventory_sync (
        profile_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        synced_at INTEGER,
        complete INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX run_rows_invitation ON run_rows (invitation_id) WHERE invitation_id IS NOT NULL;
      -- A bulk action's run (revoke, resend, remind); a reminder's older invitations (by the run's row index) are
      -- revoked by a second run once it ends, its id written before it is launched (exactly one, across kills).
      CREATE TABLE inventory_actions (
        run_id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('revoke', 'resend', 'remind')),
        replaces TEXT NOT NULL DEFAULT '[]',
        revoke_run_id TEXT,
        created_at INTEGER NOT NULL
      );
      -- Reminder rules (“still pending after 7 days, at most twice”; on the instance, or on the people one run sent)
      -- and, per rule and person, the reminders claimed:
      -- a claim is written (count + 1, with its run's id) before its run is launched, so no restart, clock change or
      -- second evaluation ever sends more than the rule says.
      CREATE TABLE reminder_rules (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        run_id TEXT,
        after_days INTEGER NOT NULL CHECK (after_days BETWEEN 1 AND 365),
        max_reminders INTEGER NOT NULL CHECK (max_reminders BETWEEN 1 AND 10),
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE reminder_log (
        rule_id TEXT NOT NULL,
        email_key TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        invitation_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        PRIMARY KEY (rule_id, email_key)
      );
      CREATE INDEX reminder_log_run ON reminder_log (run_id);
    `,
  },
  {
    version: 15,
    // The Invitations page's “sent by” comes from the workspace's storage (a team's runs are in its database, not
    // here): the link is made through the storage port after each sync and keeps the run's name with it.
    name: 'the inventory keeps the name of the run that sent each invitation',
    sql: `
      ALTER TABLE inventory ADD COLUMN run_name TEXT;
      UPDATE inventory SET run_name = (SELECT sheet_name FROM runs WHERE runs.id = inventory.run_id) WHERE run_id IS NOT NULL;
    `,
  },
];
