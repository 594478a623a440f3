/** Moving this computer's history into a team workspace: a one-way copy, counts checked before and after. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { pgRunStore, pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { sqliteStorage } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo, type NewRun } from '../../../src/main/services/runs/runsRepo.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { historyToMove, moveHistoryToTeam } from '../../../src/main/services/team/moveHistory.ts';
import { appRun } from '../../helpers/computer.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const dir = makeTempDir();
  const db = openDatabase(join(dir.path, 'local.sqlite'));
  const pool = await freshPgPool(2);
  cleanups.push(
    () => dir.remove(),
    () => db.close(),
    () => pool.end(),
  );
  await migratePg(pool);
  const repo = createRunsRepo(db);
  const now = Date.now();
  // A finished run: two sent (one with its link), one failed; a paused one: one sent, one in flight, one queued, one skipped.
  const done = appRun(
    'ins_1',
    ['a', 'b', 'c'].map((e) => appRequest(`${e}@move.test`)),
    3_600_000,
    'done sheet',
  );
  repo.create(done, now - 10_000, 'me');
  const r1 = repo.claim(done.id, 'ins_1', 'app.bulk', [0, 1, 2], now - 9_000, 'me');
  repo.finishRequest(r1, 'ok', now - 8_900);
  repo.markSent(
    done.id,
    [
      { idx: 0, invitationId: 'inv_a', status: 'pending', url: 'https://x/a' },
      { idx: 1, invitationId: 'inv_b', status: 'pending', url: null },
    ],
    now - 8_900,
  );
  repo.markFailed(done.id, [{ idx: 2, code: 'form_param_format_invalid', message: 'bad' }], now - 8_900);
  repo.setState(done.id, 'finished', now - 8_800);
  const paused = appRun(
    'ins_1',
    ['d', 'e', 'f'].map((e) => appRequest(`${e}@move.test`)),
    3_600_000,
    'paused sheet',
  );
  paused.rows.push({ sheetRow: 9, email: 'g@move.test', request: null, skipReason: 'not ready' });
  repo.create(paused, now - 5_000, 'me');
  const r2 = repo.claim(paused.id, 'ins_1', 'app.single', [0], now - 4_000, 'me');
  repo.finishRequest(r2, 'ok', now - 3_900);
  repo.markSent(paused.id, [{ idx: 0, invitationId: 'inv_d', status: 'pending', url: null }], now - 3_900);
  repo.claim(paused.id, 'ins_1', 'app.single', [1], now - 3_000, 'me'); // its answer never came (a kill)
  repo.setState(paused.id, 'paused', now - 2_000, 'Paused by you');
  createQuotaStore(db).block('ins_1', 'app.bulk', now + 1000);
  return { db, pool, repo, now, done, paused };
}

describe('moving history into a team workspace', () => {
  it('copies every run, row, outcome and request, with the last hour’s quota; the team then reads them as its own', async () => {
    const { db, pool, now, done, paused } = await setup();
    const counts = historyToMove(db);
    expect(counts).toEqual({ runs: 2, rows: { sent: 3, failed: 1, inflight: 1, queued: 1, skipped: 1 }, requests: 3 });
    const report = await moveHistoryToTeam(db, pool, now);
    expect(report).toEqual({ moved: counts, alreadyThere: 0, quotaEvents: 3 });

    const team = pgRunStore(pool);
    expect(await team.runs.get(done.id)).toMatchObject({ state: 'finished', sheetName: 'done sheet', counts: { sent: 2, failed: 1 } });
    expect(await team.runs.get(paused.id)).toMatchObject({
      state: 'paused',
      pauseReason: 'Paused by you',
      counts: { queued: 1, inflight: 1, skipped: 1 },
    });
    // The row left in flight still points at its request (renumbered), so a teammate resuming it looks it up first.
    const [inflight] = await team.journal.inflight(paused.id, now);
    expect(inflight).toMatchObject({ idx: 1, email: 'e@move.test' });
    expect(Math.abs(inflight!.requestStartedAt - (now - 3_000))).toBeLessThan(1_000); // its age kept (the server's clock)
    // Each moved request keeps its age on the team's ledger (kept in the server's clock; read back in this one's).
    const sent = (await team.quota.ledger('ins_1', 'app.single', 3_600_000, Date.now())).sent;
    expect(sent).toHaveLength(2);
    expect(Math.abs(sent[0]! - (now - 3_900))).toBeLessThan(1_000);
    expect(Math.abs(sent[1]! - (now - 3_000))).toBeLessThan(1_000);
    const link = (await pool.query("SELECT url FROM run_rows WHERE invitation_id = 'inv_a'")).rows[0];
    expect(link).toEqual({ url: 'https://x/a' });
  });

  it('waitlist and repair runs move as what they are: the team lists the same runs as this computer', async () => {
    const { db, pool, repo, now } = await setup();
    const waitlist: NewRun = { ...appRun('ins_1', [appRequest('w@move.test')], 3_600_000, 'waitlist sheet'), op: 'waitlist_invite' };
    repo.create(waitlist, now - 1_000, 'me');
    repo.setState(waitlist.id, 'finished', now - 900);
    const repair: NewRun = { ...appRun('ins_1', [appRequest('r@move.test')], 3_600_000, 'repair sheet'), op: 'repair' };
    repo.create(repair, now - 800, 'me');
    repo.setState(repair.id, 'finished', now - 700);
    await moveHistoryToTeam(db, pool, now);
    const team = await pgStorage(pool).history.list();
    expect(team.map((r) => r.op)).toEqual(['repair', 'waitlist_invite', 'create', 'create']);
    expect(team).toEqual(await sqliteStorage(db).history.list());
  });

  it('moved again: what is already in the workspace is left alone; a run still sending here is refused first', async () => {
    const { db, pool, repo, now } = await setup();
    await moveHistoryToTeam(db, pool, now);
    expect(await moveHistoryToTeam(db, pool, now)).toMatchObject({ moved: { runs: 0, requests: 0 }, alreadyThere: 2, quotaEvents: 0 });
    repo.create(appRun('ins_2', [appRequest('z@move.test')], 3_600_000, 'live sheet'), now, 'me');
    await expect(moveHistoryToTeam(db, pool, now)).rejects.toThrow(
      /“live sheet” is still sending on this computer: pause it or let it finish/,
    );
  });

  it('when the team database does not end up with the same counts, nothing is kept', async () => {
    const { db, pool, now } = await setup();
    // A workspace that silently drops a row (a broken trigger, a policy): the check after the copy catches it.
    await pool.query(
      `CREATE FUNCTION drop_one() RETURNS trigger AS $$ BEGIN IF NEW.email = 'f@move.test' THEN RETURN NULL; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await pool.query('CREATE TRIGGER drop_one BEFORE INSERT ON run_rows FOR EACH ROW EXECUTE FUNCTION drop_one()');
    await expect(moveHistoryToTeam(db, pool, now)).rejects.toThrow(
      /The team database holds 2 runs, 6 rows, 3 requests of the 2 runs, 7 rows, 3 requests moved: nothing was kept/,
    );
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 0 });
    expect((await pool.query('SELECT count(*)::int AS n FROM quota_events')).rows[0]).toEqual({ n: 0 });
  });

  it('a local row in a state this version does not know is named by table and column, and nothing moves', async () => {
    const { db, pool, now, done } = await setup();
    db.exec('PRAGMA ignore_check_constraints = ON'); // what a damaged file or another version may hold
    db.prepare("UPDATE run_rows SET state = 'teleported' WHERE run_id = ? AND idx = 2").run(done.id);
    expect(() => historyToMove(db)).toThrow(/local database has a run_rows row it cannot read \(column state: /);
    await expect(moveHistoryToTeam(db, pool, now)).rejects.toMatchObject({ code: 'storage_unreadable' });
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 0 });
  });
});
