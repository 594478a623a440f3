/** Races and guarded history: concurrent starts, follow-ups that cannot start, runs that are over. */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';
import { newRun } from '../../helpers/newRun.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

async function withSheet(n: number, tag: string) {
  const s = makeServices(createMemorySecretStore());
  open.push(s);
  const sheet = ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', {
      name: tag,
      settings: { ...defaultSettings(), notify: false },
      columns,
      rows: Array.from({ length: n }, (_, i) => [`${tag}${i}@race.test`]),
    }),
  );
  return { s, sheet };
}

describe('concurrent starts', () => {
  it('10 runs:start at once for one sheet and profile make one run; every email is invited once', async () => {
    const { s, sheet } = await withSheet(30, 'con');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' })),
    );
    const started = results.filter((r) => r.ok) as { ok: true; value: { runId: string } }[];
    expect(started).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r as { error: { code: string } }).error.code)).toEqual(Array(9).fill('profile_busy'));
    await s.engine.settled(started[0]!.value.runId);
    expect(ok<unknown[]>(await dispatch(s.handlers, 'runs:list', undefined))).toHaveLength(1);
    const emu = s.sandboxEmulator()!;
    const mine = emu.instance.invitations.filter((i) => i.emailAddress.endsWith('@race.test'));
    expect(mine).toHaveLength(30);
    expect(new Set(mine.map((i) => i.emailAddress)).size).toBe(30);
  });
});

describe('a follow-up that cannot start', () => {
  it('leaves no run behind, so nothing executes at the next start', async () => {
    const { s, sheet } = await withSheet(3, 'fol');
    const first = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(first.runId);
    // Another run of the same profile is going (slow answers keep it going).
    const emu = s.sandboxEmulator()!;
    const slow = emu.faults.inject({ kind: 'slow', delayMs: 300, method: 'POST' });
    const other = await withSheetOn(s, 40, 'busy');
    const busy = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: other, profileId: 'sandbox' }));
    // The Sandbox holds invitations made outside the app, some revoked already (issue 25): none more may be.
    const revoked = () => emu.instance.invitations.filter((i) => i.status === 'revoked').length;
    const revokedBefore = revoked();
    const refused = await dispatch(s.handlers, 'runs:followUp', { runId: first.runId, which: 'revoke_pending' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'profile_busy', message: expect.stringContaining('already sending “busy”') },
    });
    const runs = ok<{ id: string; state: string }[]>(await dispatch(s.handlers, 'runs:list', undefined));
    expect(runs.map((r) => r.id).sort()).toEqual([first.runId, busy.runId].sort());
    await s.engine.pause(busy.runId);
    emu.faults.remove(slow);
    // What the next start would resume: nothing that revokes.
    expect((await s.engine.progress(busy.runId))?.state).toBe('paused');
    await s.resumeRuns();
    expect(revoked()).toBe(revokedBefore);
  });
});

async function withSheetOn(s: Awaited<ReturnType<typeof withSheet>>['s'], n: number, tag: string): Promise<string> {
  return ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', {
      name: tag,
      settings: { ...defaultSettings(), notify: false },
      columns,
      rows: Array.from({ length: n }, (_, i) => [`${tag}${i}@race.test`]),
    }),
  ).id;
}

describe('history is never rewritten', () => {
  it('refuses to cancel a finished run, and pause/cancel of an unknown run', async () => {
    const { s, sheet } = await withSheet(2, 'imm');
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(runId);
    expect(await dispatch(s.handlers, 'runs:cancel', { runId })).toMatchObject({ ok: false, error: { code: 'run_over' } });
    expect((await s.engine.progress(runId))?.state).toBe('finished');
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await dispatch(s.handlers, 'runs:pause', { runId: ghost })).toMatchObject({ ok: false, error: { code: 'run_not_found' } });
    expect(await dispatch(s.handlers, 'runs:cancel', { runId: ghost })).toMatchObject({ ok: false, error: { code: 'run_not_found' } });
  });

  it('deleting a deleted sheet is refused and keeps its deletion time', async () => {
    const { s, sheet } = await withSheet(1, 'del');
    ok(await dispatch(s.handlers, 'sheets:delete', { id: sheet.id }));
    expect(await dispatch(s.handlers, 'sheets:delete', { id: sheet.id })).toMatchObject({ ok: false, error: { code: 'sheet_deleted' } });
    ok(await dispatch(s.handlers, 'sheets:restore', { id: sheet.id }));
    expect(await dispatch(s.handlers, 'sheets:restore', { id: sheet.id })).toMatchObject({
      ok: false,
      error: { code: 'sheet_not_deleted' },
    });
  });
});

describe('retention', () => {
  it('never purges a run with a row in flight or of unknown outcome; purges the others', async () => {
    const { openDatabase } = await import('../../../src/main/adapters/sqliteDb.ts');
    const { createRunsRepo, OUTCOME_UNKNOWN } = await import('../../../src/main/services/runs/runsRepo.ts');
    const { makeTempDir } = await import('../../helpers/tempDir.ts');
    const { appRequest, tempDbPath } = await import('../../helpers/runFixture.ts');
    const dir = makeTempDir();
    const db = openDatabase(tempDbPath(dir.path));
    try {
      const repo = createRunsRepo(db);
      const make = (id: string, profileId: string) =>
        repo.create(newRun(id, [appRequest(`${id}@ret.test`)], { profileId, profileName: 'P', createdAt: 1 }), 1);
      make('inflight', 'p1');
      repo.claim('inflight', 'ins_1', 'app.single', [0], 2);
      repo.setState('inflight', 'interrupted', 3, 'stopped');
      make('unknown', 'p2');
      repo.markFailed('unknown', [{ idx: 0, code: OUTCOME_UNKNOWN, message: 'Unknown: check in Clerk' }], 3);
      repo.setState('unknown', 'finished', 3);
      make('done', 'p3');
      repo.markSent('done', [{ idx: 0, invitationId: 'inv_1', status: 'pending', url: null }], 3);
      repo.setState('done', 'finished', 3);
      expect(repo.purge({ before: Date.now() })).toBe(1);
      expect(
        repo
          .list()
          .map((r) => r.id)
          .sort(),
      ).toEqual(['inflight', 'unknown']);
    } finally {
      db.close();
      dir.remove();
    }
  });
});
