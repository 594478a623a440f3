/**
 * Four eyes on a real team database: two members' apps on one PostgreSQL (pgStorage, its approvals included), each
 * with its own keychain and profile of the production instance. Ana's send waits; Ben approves it; the run lives in
 * the team's runs, so Ana's Runs page lists the run Ben started, named by its approval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { runIdOf } from '../../../src/main/services/approvals/approvalsService.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import type { ApprovalSummary } from '../../../src/shared/domain/approvals.ts';
import type { RunSummary } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { ok } from '../../helpers/result.ts';
import { invitationsPerEmail } from '../../helpers/runFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('four eyes on a team database', () => {
  it('one member prepares, another approves: one run in the team database, seen from both computers', async () => {
    const pool = await freshPgPool(6);
    cleanups.push(() => pool.end());
    await migratePg(pool);
    const member = async (name: string) => {
      const s = makeServices(createMemorySecretStore(), undefined, { storage: pgStorage(pool), fourEyes: true, member: name });
      cleanups.push(() => s.close());
      const prod = await s.profiles.add({ name: 'Acme live', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
      return { s, prod, call: (c: Parameters<typeof dispatch>[1], a?: unknown) => dispatch(s.handlers, c, a) };
    };
    const ana = await member('ana@a');
    const ben = await member('ben@b');
    const sheet = ok<{ id: string }>(
      await ana.call('sheets:create', {
        name: 'Team cohort',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['t1@team4.test'], ['t2@team4.test']],
      }),
    );
    const { approvalId, runId: none } = ok<{ approvalId: string; runId: null }>(
      await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod.id }),
    );
    expect(none).toBeNull();
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 0 });
    expect(ok<ApprovalSummary[]>(await ben.call('approvals:list'))).toMatchObject([{ id: approvalId, preparedBy: 'ana@a' }]);

    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' }));
    expect(runId).toBe(runIdOf(approvalId));
    await ben.s.engine.settled(runId);
    const seen = ok<RunSummary[]>(await ana.call('runs:list'));
    expect(seen.map((r) => [r.id, r.state, r.counts.sent])).toEqual([[runId, 'finished', 2]]);
    expect((await pool.query('SELECT state, decided_by, run_id FROM approvals')).rows).toEqual([
      { state: 'started', decided_by: 'ben@b', run_id: runId },
    ]);
    expect(
      [...invitationsPerEmail(emu.current, emu.current.instance.secretKey)].filter(([e]) => e.endsWith('@team4.test')).map(([, n]) => n),
    ).toEqual([1, 1]);
  });
});
