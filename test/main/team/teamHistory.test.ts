/** The history-aware review on a team workspace reads the team's history: what a teammate sent is "already invited". */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import type { RunStore } from '../../../src/main/services/runs/engine/ports.ts';
import { pgRunStore, pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { sqliteRunStore } from '../../../src/main/services/runs/engine/sqliteStore.ts';
import { createQuotaStore } from '../../../src/main/services/runs/quotaStore.ts';
import { createRunsRepo } from '../../../src/main/services/runs/runsRepo.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { pgHistoryOf } from '../../../src/main/services/team/pgHistory.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { HistoryGroup, RunReview } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { appRun } from '../../helpers/computer.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { ok } from '../../helpers/result.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A teammate's finished run: a sent, b accepted, c unknown outcome, d revoked later, e failed plainly. */
async function teammateSent(store: RunStore, instanceId: string, now: number) {
  const run = appRun(
    instanceId,
    ['a', 'b', 'c', 'd', 'e'].map((x) => appRequest(`${x}@hist.team.test`)),
    3_600_000,
    'teammate sheet',
  );
  await store.runs.create(run, now, 'laptop-b');
  await store.journal.claim(run.id, instanceId, 'app.bulk', [0, 1, 2, 3, 4], now + 1, 'laptop-b');
  await store.journal.markSent(
    run.id,
    [
      { idx: 0, invitationId: 'inv_a', status: 'pending', url: null },
      { idx: 1, invitationId: 'inv_b', status: 'accepted', url: null },
      { idx: 3, invitationId: 'inv_d', status: 'pending', url: null },
    ],
    now + 2,
  );
  await store.journal.markFailed(
    run.id,
    [
      { idx: 2, code: 'outcome_unknown', message: 'Unknown: check in Clerk' },
      { idx: 4, code: 'form_param_format_invalid', message: 'bad' },
    ],
    now + 2,
  );
  await store.runs.setState(run.id, 'finished', now + 3);
  const revoke = { ...appRun(instanceId, [appRequest('d@hist.team.test')], 3_600_000, 'revoke'), op: 'revoke' as const };
  revoke.rows[0]!.request = { ...revoke.rows[0]!.request!, revokeInvitationId: 'inv_d' };
  await store.runs.create(revoke, now + 10, 'laptop-b');
  await store.journal.claim(revoke.id, instanceId, 'general', [0], now + 11, 'laptop-b');
  await store.journal.markSent(revoke.id, [{ idx: 0, invitationId: 'inv_d', status: 'revoked', url: null }], now + 12);
  await store.runs.setState(revoke.id, 'finished', now + 13);
}

describe('the team’s history', () => {
  it('says of each email what this computer’s journal would say of the same runs', async () => {
    const dir = makeTempDir();
    const db = openDatabase(join(dir.path, 'h.sqlite'));
    const pool = await freshPgPool(2);
    cleanups.push(
      () => dir.remove(),
      () => db.close(),
      () => pool.end(),
    );
    await migratePg(pool);
    const repo = createRunsRepo(db);
    await teammateSent(sqliteRunStore(repo, createQuotaStore(db)), 'ins_1', 1000);
    await teammateSent(pgRunStore(pool), 'ins_1', 1000);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}@hist.team.test`);
    const team = await pgHistoryOf(pool)('ins_1', null, keys);
    expect(team).toEqual(repo.historyOf('ins_1', null, keys));
    expect([...team].sort()).toEqual([
      ['a@hist.team.test', { status: 'pending', at: 1000 }],
      ['b@hist.team.test', { status: 'accepted', at: 1000 }],
      ['c@hist.team.test', { status: 'unknown', at: 1000 }],
      ['d@hist.team.test', { status: 'revoked', at: 1000 }],
    ]);
    expect(await pgHistoryOf(pool)('ins_2', null, keys)).toEqual(new Map());
  });

  it('the review on this computer skips what a teammate already invited, as its own history would', async () => {
    const pool = await freshPgPool(2);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    // This computer on the team workspace: its runs, and the history its review reads, are the team's.
    const s = makeServices(createMemorySecretStore(), undefined, { storage: pgStorage(pool) });
    cleanups.push(() => s.close());
    const { profile } = await s.profiles.secretFor('sandbox');
    await teammateSent(pgRunStore(pool), profile.instanceId, Date.now() - 60_000);
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Mine',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['a@hist.team.test'], ['b@hist.team.test'], ['new@hist.team.test']],
      }),
    );
    const review = ok<RunReview>(await dispatch(s.handlers, 'runs:review', { sheetId: sheet.id, profileId: 'sandbox' }));
    expect(review.history.map((g: HistoryGroup) => [g.key, g.rows])).toEqual([
      ['pending', [0]],
      ['accepted', [1]],
    ]);
    expect(review.toSend).toBe(1);
  });
});
