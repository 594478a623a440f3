/**
 * A row of the team database this version cannot read is told as the team database's (the decoders are shared with
 * this computer's database, whose wording they had), with the likely cause there: a teammate's newer Invite Desk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { waitForTeamDb } from '../../../src/main/services/team/waitForTeam.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { newRun } from '../../helpers/newRun.ts';
import { appRequest } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const TEAMS = /^The team database has a (\w+) row it cannot read \(column (\w+): .*\)\. A teammate's newer Invite Desk may have written it/;

describe('a team database row this version cannot read', () => {
  it('a run row and a sheet are told as the team database’s, naming the table and the column', async () => {
    const pool = await freshPgPool(2);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const team = waitForTeamDb(pgStorage(pool), { clock: systemClock });
    cleanups.push(async () => team.close());
    const storage = team.store;
    await storage.runs.create(newRun('r1', [appRequest('ann@acme.test')]), 1, 'A');
    await pool.query(`UPDATE run_rows SET request = '{broken' WHERE run_id = 'r1'`);
    const run = await storage.journal.queued('r1', Date.now()).catch((e: unknown) => e);
    expect(run).toMatchObject({ code: 'storage_unreadable' });
    expect((run as Error).message.match(TEAMS)?.slice(1)).toEqual(['run_rows', 'request']);

    await pool.query(
      `INSERT INTO sheets (id, name, kind, settings, columns, row_count, version, updated_by, created_at, updated_at)
       VALUES ('s1', 'Newer', 'app', '{broken', '[]', 0, 1, 'ben on ben-laptop', 1, 1)`,
    );
    await pool.query(`INSERT INTO sheet_rows (sheet_id, rows) VALUES ('s1', '[]')`);
    const sheets = pgAppStores(pool, { target: { host: 'db.test', port: 5432, database: 'team', user: 'ops', tls: false } }).sheets;
    const sheet = await sheets.get('s1').catch((e: unknown) => e);
    expect(sheet).toMatchObject({ code: 'storage_unreadable' });
    expect((sheet as Error).message.match(TEAMS)?.slice(1)).toEqual(['sheets', 'settings']);
  });

  it('an approval in a state this version does not know, or with a NULL summary, names the table and the column', async () => {
    const pool = await freshPgPool(2);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const team = waitForTeamDb(pgStorage(pool), { clock: systemClock });
    cleanups.push(async () => team.close());
    // What a newer Invite Desk's migration may allow: a state this one does not know, a column it may leave empty.
    await pool.query('ALTER TABLE approvals DROP CONSTRAINT approvals_state_check, ALTER COLUMN summary DROP NOT NULL');
    const insert = (id: string, state: string, summary: string | null) =>
      pool.query(
        `INSERT INTO approvals (id, state, instance_id, profile_id, profile_name, environment, sheet_name, summary, to_send, skipped,
           doc, choices, prepared_by, prepared_at)
         VALUES ($1, $2, 'ins_1', 'p1', 'Acme live', 'production', 'Sheet', $3, 1, 0, '{}', '{}', 'ann on ann-laptop', 1)`,
        [id, state, summary],
      );
    await insert('a1', 'escalated', 'one invitation');
    const listed = await team.store.approvals!.recent(10).catch((e: unknown) => e);
    expect(listed).toMatchObject({ code: 'storage_unreadable' });
    expect((listed as Error).message.match(TEAMS)?.slice(1)).toEqual(['approvals', 'state']);

    await pool.query('DELETE FROM approvals');
    await insert('a2', 'pending', null);
    const got = await team.store.approvals!.get('a2').catch((e: unknown) => e);
    expect(got).toMatchObject({ code: 'storage_unreadable' });
    expect((got as Error).message.match(TEAMS)?.slice(1)).toEqual(['approvals', 'summary']);
  });
});
