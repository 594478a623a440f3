/**
 * The approvals port's contract, on the in-memory twin and on PostgreSQL: one decision per approval however many
 * members press Approve at once, never by who prepared it, a reject needs a reason and ends it.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApprovalsPort, NewApproval, NewRunApproval } from '../../../src/main/services/approvals/approvalsPort.ts';
import type { NewRun } from '../../../src/main/services/runs/journalTypes.ts';
import { pgApprovalsPort } from '../../../src/main/services/team/pgApprovals.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { memoryApprovals } from '../../helpers/memoryApprovals.ts';

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const stores: [string, () => Promise<ApprovalsPort>][] = [
  ['memory', async () => memoryApprovals()],
  [
    'PostgreSQL',
    async () => {
      const pool = new pg.Pool({ connectionString: await freshPgUrl(), max: 6 });
      pools.push(pool);
      await migratePg(pool);
      return pgApprovalsPort(pool);
    },
  ],
];

const prepared = (over: Partial<NewApproval> = {}): NewApproval => ({
  kind: 'sheet',
  instanceId: 'ins_prod',
  profileId: 'p1',
  profileName: 'Acme production',
  environment: 'production',
  organizationName: null,
  sheetName: 'Fall cohort',
  summary: '2 invitations will be sent.',
  toSend: 2,
  skipped: 0,
  doc: {
    id: 's1',
    name: 'Fall cohort',
    settings: defaultSettings('app'),
    columns: [{ header: 'email', target: { kind: 'field', field: 'email' } }] as never,
    rows: [['ann@acme.test'], ['bob@acme.test']],
    createdAt: 1,
    updatedAt: 2,
  },
  choices: { resend: ['pending'], existing: 'invite', onlyFit: true },
  preparedBy: 'ana@a',
  preparedAt: 1_000,
  ...over,
});

describe.each(stores)('approvals on %s', (_name, open) => {
  it('keeps the snapshot as prepared: the sheet, the choices, who and when', async () => {
    const s = await open();
    const id = await s.request(prepared());
    const a = await s.get(id);
    expect(a).toMatchObject({ ...prepared(), id, state: 'pending', decidedBy: null, runId: null });
    expect(a?.kind === 'sheet' && a.doc.rows).toEqual([['ann@acme.test'], ['bob@acme.test']]);
    expect((await s.pending('ins_prod')).map((x) => x.id)).toEqual([id]);
    expect(await s.pending('ins_other')).toEqual([]);
    expect(await s.get('nope')).toBeNull();
  });

  it('refuses approval by who prepared it, and leaves it pending', async () => {
    const s = await open();
    const id = await s.request(prepared());
    await expect(s.decide(id, 'ana@a', 'approve', null, 2_000)).rejects.toMatchObject({ code: 'approval_self' });
    expect((await s.get(id))?.state).toBe('pending');
  });

  it('two approvers at the same moment: exactly one approves, the other is told who did', async () => {
    const s = await open();
    for (let round = 0; round < 5; round++) {
      const id = await s.request(prepared({ preparedAt: 1_000 + round }));
      const tries = await Promise.allSettled(['ben@b', 'cat@c', 'dan@d'].map((by) => s.decide(id, by, 'approve', null, 2_000)));
      const won = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
      expect(won).toHaveLength(1);
      const winner = won[0]!.decidedBy!;
      for (const t of tries)
        if (t.status === 'rejected') {
          expect(t.reason).toMatchObject({ code: 'approval_decided' });
          expect(String(t.reason.message)).toContain(`Already approved by ${winner}`);
        }
      expect(await s.get(id)).toMatchObject({ state: 'approved', decidedBy: winner, decidedAt: 2_000 });
    }
  });

  it('a reject needs a reason; once rejected it cannot be approved', async () => {
    const s = await open();
    const id = await s.request(prepared());
    await expect(s.decide(id, 'ben@b', 'reject', '  ', 2_000)).rejects.toMatchObject({ code: 'approval_reason' });
    expect((await s.get(id))?.state).toBe('pending');
    const r = await s.decide(id, 'ben@b', 'reject', ' Wrong cohort ', 2_000);
    expect(r).toMatchObject({ state: 'rejected', decidedBy: 'ben@b', reason: 'Wrong cohort' });
    await expect(s.decide(id, 'cat@c', 'approve', null, 3_000)).rejects.toThrow('Already rejected by ben@b: Wrong cohort');
    expect(await s.pending()).toEqual([]);
  });

  it('approved → started once, with its run; a failed start is kept with why', async () => {
    const s = await open();
    const id = await s.request(prepared());
    await expect(s.started(id, 'run1')).rejects.toMatchObject({ code: 'approval_decided' }); // not approved yet
    await s.decide(id, 'ben@b', 'approve', null, 2_000);
    await s.started(id, 'run1');
    await expect(s.started(id, 'run2')).rejects.toMatchObject({ code: 'approval_decided' });
    expect(await s.get(id)).toMatchObject({ state: 'started', runId: 'run1' });
    const other = await s.request(prepared({ preparedAt: 5_000 }));
    await s.decide(other, 'ben@b', 'approve', null, 6_000);
    await s.failed(other, 'Nothing to send');
    expect(await s.get(other)).toMatchObject({ state: 'failed', reason: 'Nothing to send', runId: null });
    expect((await s.recent(10)).map((a) => a.id)).toEqual([other, id]);
  });

  it('only the preparer withdraws, only while pending', async () => {
    const s = await open();
    const id = await s.request(prepared());
    await expect(s.withdraw(id, 'ben@b', 2_000)).rejects.toMatchObject({ code: 'approval_not_yours' });
    await s.withdraw(id, 'ana@a', 2_000);
    await expect(s.decide(id, 'ben@b', 'approve', null, 3_000)).rejects.toThrow('Withdrawn by ana@a');
    await expect(s.withdraw(id, 'ana@a', 3_000)).rejects.toMatchObject({ code: 'approval_decided' });
  });

  it('a prepared run is asked about once per run id, also by two asks at the same moment; its plan kept as it was', async () => {
    const s = await open();
    const run = { id: 'run-7', op: 'revoke', rows: [{ sheetRow: 0, email: 'ann@acme.test', request: null }] } as unknown as NewRun;
    const ask = (preparedBy: string) =>
      s.requestRun({ ...prepared(), kind: 'run', plan: run, preparedBy, doc: undefined, choices: undefined } as unknown as NewRunApproval);
    const [a, b] = await Promise.all([ask('ana@a'), ask('ben@b')]);
    expect(b).toEqual(a);
    expect(a.state).toBe('pending');
    expect(await s.get(a.id)).toMatchObject({ kind: 'run', plan: run });
    await s.decide(a.id, 'cat@c', 'reject', 'Not now', 2_000);
    expect(await ask('ana@a')).toEqual({ id: a.id, state: 'rejected' });
    expect((await s.recent(10)).filter((x) => x.kind === 'run')).toHaveLength(1);
  });
});
