/**
 * The app's services on a team database: a run sent, its page and follow-up tally, statuses synced, a search, a
 * revoke follow-up (and retention refused: the history is the team's), all through the IPC handlers with the storage on PostgreSQL (pgStorage).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptInvitation } from '../../../src/main/emulator/store.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { HistoryHit, RunRowsPage, RunSummary } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { ok } from '../../helpers/result.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the app’s services on a team database', () => {
  it('send, read the run, sync, search, revoke the pending and purge: every answer from PostgreSQL', async () => {
    const pool = await freshPgPool(4);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const s = makeServices(createMemorySecretStore(), undefined, { storage: pgStorage(pool) });
    cleanups.push(() => s.close());
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Team sheet',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['ann@team.test'], ['bob@team.test'], ['cat@team.test'], ['bad email']],
      }),
    );
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);
    const runs = (await pool.query('SELECT id, state FROM runs')).rows;
    expect(runs).toEqual([{ id: runId, state: 'finished' }]);

    const listed = ok<RunSummary[]>(await dispatch(s.handlers, 'runs:list', undefined));
    expect(listed.map((r) => [r.id, r.op, r.counts.sent, r.counts.skipped])).toEqual([[runId, 'create', 3, 1]]);
    const page = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId, state: 'sent' }));
    expect(page.rows.map((r) => r.email)).toEqual(['ann@team.test', 'bob@team.test', 'cat@team.test']);
    expect(page.total).toBe(3);
    expect(page.tally).toMatchObject({ pending: 3, failed: 0, members: 0 });

    // Ann accepts: the status sync writes it to the team database, and the tally follows.
    expect(acceptInvitation(s.sandboxEmulator()!.instance, 'ann@team.test', Date.now())).toBe(true);
    expect(ok<{ changed: number }>(await dispatch(s.handlers, 'history:sync', { runId })).changed).toBe(1);
    const after = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId }));
    expect(after.rows.map((r) => [r.email, r.invitationStatus])).toEqual([
      ['ann@team.test', 'accepted'],
      ['bob@team.test', 'pending'],
      ['cat@team.test', 'pending'],
      ['bad email', null],
    ]);
    expect(after.tally.pending).toBe(2);
    expect(ok<RunSummary[]>(await dispatch(s.handlers, 'runs:list', undefined))[0]?.syncedAt).not.toBeNull();

    const hits = ok<HistoryHit[]>(await dispatch(s.handlers, 'history:search', { email: 'BOB' }));
    expect(hits.map((h) => [h.runId, h.email])).toEqual([[runId, 'bob@team.test']]);

    // Revoking what is still pending: a revoke run on the team database; the parent offers it no more.
    const revoke = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId, which: 'revoke_pending' }));
    await s.engine.settled(revoke.runId);
    const revoked = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId: revoke.runId }));
    expect(revoked.progress).toMatchObject({ op: 'revoke', state: 'finished', parentRunId: runId });
    expect(revoked.rows.map((r) => [r.email, r.state])).toEqual([
      ['bob@team.test', 'sent'],
      ['cat@team.test', 'sent'],
    ]);
    expect(ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId })).tally.pending).toBe(0);

    // Retention: the history is the team's; one member's setting would delete teammates' runs, so it is refused.
    expect(await dispatch(s.handlers, 'history:setRetention', { days: 1 })).toMatchObject({ ok: false, error: { code: 'team_history' } });
    expect(ok(await dispatch(s.handlers, 'history:retention', undefined))).toEqual({ days: null });
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 2 });
  });
});
