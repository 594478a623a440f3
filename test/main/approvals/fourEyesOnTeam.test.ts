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
import type { ApprovalReview, ApprovalSummary } from '../../../src/shared/domain/approvals.ts';
import type { ReminderRule } from '../../../src/shared/domain/inventory/types.ts';
import type { RunSummary } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { pendingMadeElsewhere, syncInvitations } from '../../helpers/outsideInvitations.ts';
import { ok } from '../../helpers/result.ts';
import { invitationsPerEmail } from '../../helpers/runFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Two members' apps (or more) on one fresh team database, each with its own keychain and production profile. */
async function team() {
  const pool = await freshPgPool(6);
  cleanups.push(() => pool.end());
  await migratePg(pool);
  /** `running`: started as the app starts (resumeRuns): its reminder timer going, each 100 ms here, a minute in the app. */
  const member = async (name: string, o: { running?: boolean } = {}) => {
    const s = makeServices(createMemorySecretStore(), undefined, {
      storage: pgStorage(pool),
      fourEyes: true,
      member: name,
      ...(o.running ? { remindEveryMs: 100 } : {}),
    });
    cleanups.push(() => s.close());
    if (o.running) await s.resumeRuns();
    const prod = await s.profiles.add({ name: 'Acme live', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
    return { s, prod, call: (c: Parameters<typeof dispatch>[1], a?: unknown) => dispatch(s.handlers, c, a) };
  };
  return { pool, member };
}

type Member = Awaited<ReturnType<Awaited<ReturnType<typeof team>>['member']>>;

/** Pending invitations made `ageMs` ago outside the app, synced into `m`'s copy of the instance's invitations; their ids. */
async function madeElsewhere(m: Member, emails: string[], ageMs: number): Promise<string[]> {
  const ids = pendingMadeElsewhere(emu.current.instance, emails, ageMs);
  await syncInvitations(m.call, m.prod.id);
  return ids;
}

describe('four eyes on a team database', () => {
  it('one member prepares, another approves: one run in the team database, seen from both computers', async () => {
    const { pool, member } = await team();
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

  it('a reminder on production is asked about as prepared; approved, it runs once under its own id and its older invitations are revoked', async () => {
    const { pool, member } = await team();
    const ana = await member('ana@a', { running: true });
    const ben = await member('ben@b');
    const inst = emu.current.instance;
    const old = ['r1@remind4.test', 'r2@remind4.test'];
    const ids = await madeElsewhere(ana, old, 3_600_000);
    const asked = ok<{ runId: null; approvalId: string; message: string }>(
      await ana.call('inventory:act', { profileId: ana.prod.id, ids, action: 'remind', confirmName: 'Acme live' }),
    );
    expect(asked.runId).toBeNull();
    expect(asked.message).toBe(
      "Waiting for a teammate's approval: 2 reminders will be sent (a fresh invitation each, the older one revoked). Another member opens it under Approvals; nothing is sent until then.",
    );
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 0 });
    expect(inst.invitations.filter((x) => x.emailAddress.endsWith('@remind4.test'))).toHaveLength(2);

    const seen = ok<ApprovalReview>(await ben.call('approvals:review', { id: asked.approvalId }));
    expect(seen.cannotApprove).toBeNull();
    expect(seen.plan?.rows.map((r) => [r.email, r.action]).sort()).toEqual([
      ['r1@remind4.test', 'Remind: a fresh invitation, the older one revoked'],
      ['r2@remind4.test', 'Remind: a fresh invitation, the older one revoked'],
    ]);
    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' }));
    await ben.s.engine.settled(runId);
    expect(ok<RunSummary[]>(await ana.call('runs:list')).map((r) => [r.id, r.state, r.counts.sent])).toEqual([[runId, 'finished', 2]]);

    // Ana's app completes the reminder it prepared once Ben's run of it has ended (no event reaches her app: her
    // reminder timer looks): the older invitations revoked, no second approval asked.
    const per = (email: string) =>
      inst.invitations
        .filter((x) => x.emailAddress === email)
        .map((x) => x.status)
        .sort();
    await expect.poll(() => old.map(per)).toEqual(old.map(() => ['pending', 'revoked']));
    expect((await pool.query(`SELECT kind, state, run_id FROM approvals`)).rows).toEqual([
      { kind: 'run', state: 'started', run_id: runId },
    ]);
    expect(await ana.s.settleReminders()).toEqual([]);
  });

  it('a reminder rule applied on production asks once: applied again, its claim finds the same approval; approved, the claim runs', async () => {
    const { member } = await team();
    const ana = await member('ana@a');
    const ben = await member('ben@b');
    await madeElsewhere(ana, ['q1@rule4.test', 'q2@rule4.test'], 3 * 86_400_000);
    const [rule] = ok<{ id: string }[]>(
      await ana.call('reminders:save', { profileId: ana.prod.id, afterDays: 2, maxReminders: 1, enabled: true }),
    );
    const apply = async () =>
      ok<{ runIds: string[]; asked?: { approvalId: string; message: string } }>(
        await ana.call('reminders:apply', { profileId: ana.prod.id, ruleId: rule!.id, confirmName: 'Acme live' }),
      );
    const first = await apply();
    expect(first.runIds).toEqual([]);
    expect(first.asked?.message).toContain("Waiting for a teammate's approval: 2 reminders will be sent");
    const again = await apply();
    expect(again.asked?.approvalId).toBe(first.asked?.approvalId);
    expect(ok<ApprovalSummary[]>(await ben.call('approvals:list'))).toHaveLength(1);

    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: first.asked!.approvalId, confirmName: 'Acme live' }));
    await ben.s.engine.settled(runId);
    const fresh = (email: string) => emu.current.instance.invitations.filter((x) => x.emailAddress === email && x.status === 'pending');
    expect(['q1@rule4.test', 'q2@rule4.test'].map((e) => fresh(e).length)).toEqual([2, 2]); // until the older ones are revoked
    // The rule's claim has its run now: applying again launches nothing and asks nothing (at most once each).
    expect(await apply()).toEqual({ runIds: [] });
    expect(ok<ApprovalSummary[]>(await ben.call('approvals:list'))).toHaveLength(1);
  });

  it('a rejected reminder gives its people back their count: applied again it says who rejected it, and the next click asks anew', async () => {
    const { member } = await team();
    const ana = await member('ana@a');
    const ben = await member('ben@b');
    await madeElsewhere(ana, ['z1@rule5.test', 'z2@rule5.test'], 3 * 86_400_000);
    const [rule] = ok<ReminderRule[]>(
      await ana.call('reminders:save', { profileId: ana.prod.id, afterDays: 2, maxReminders: 1, enabled: true }),
    );
    const apply = async () =>
      ok<{ runIds: string[]; asked?: { approvalId: string; message: string } }>(
        await ana.call('reminders:apply', { profileId: ana.prod.id, ruleId: rule!.id, confirmName: 'Acme live' }),
      );
    const dueNow = async () => ok<ReminderRule[]>(await ana.call('reminders:list', { profileId: ana.prod.id }))[0]!.dueNow;
    const first = await apply();
    expect(await dueNow()).toBe(0); // claimed while it waits
    ok(await ben.call('approvals:reject', { id: first.asked!.approvalId, reason: 'Not before the launch' }));

    const told = await apply();
    expect(told.asked).toEqual({ approvalId: first.asked!.approvalId, message: 'Already rejected by ben@b: Not before the launch' });
    expect(await dueNow()).toBe(2); // never sent: due again, not used up
    const again = await apply();
    expect(again.asked?.approvalId).not.toBe(first.asked!.approvalId);
    expect(again.asked?.message).toContain("Waiting for a teammate's approval: 2 reminders will be sent");
    expect(emu.current.instance.invitations.filter((x) => x.emailAddress.endsWith('@rule5.test'))).toHaveLength(2);
  });

  it('a follow-up asked about twice (two clicks) runs once: the second, approved after the first ran, has nothing left', async () => {
    const { member } = await team();
    const ana = await member('ana@a');
    const ben = await member('ben@b');
    const sheet = ok<{ id: string }>(
      await ana.call('sheets:create', {
        name: 'Twice',
        settings: { ...defaultSettings(), notify: false },
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['t1@twice4.test'], ['t2@twice4.test']],
      }),
    );
    const { approvalId } = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod.id }));
    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' }));
    await ben.s.engine.settled(runId);
    const revoke = () => ben.call('runs:followUp', { runId, which: 'revoke_pending', confirmName: 'Acme live' });
    const first = ok<{ approvalId: string }>(await revoke());
    const second = ok<{ approvalId: string }>(await revoke());
    expect(second.approvalId).not.toBe(first.approvalId);

    const started = ok<{ runId: string }>(await ana.call('approvals:approve', { id: first.approvalId, confirmName: 'Acme live' }));
    await ana.s.engine.settled(started.runId);
    const seen = ok<ApprovalReview>(await ana.call('approvals:review', { id: second.approvalId }));
    expect(seen.changed).toBe('Since ben@b prepared it, 2 rows were sent or revoked by another run: left out, so nobody gets it twice.');
    expect(seen.plan?.rows).toEqual([]);
    const refused = await ana.call('approvals:approve', { id: second.approvalId, confirmName: 'Acme live' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send', message: expect.stringContaining('Nothing is left to approve') },
    });
    expect(ok<ApprovalSummary[]>(await ana.call('approvals:list')).find((x) => x.id === second.approvalId)).toMatchObject({
      state: 'pending',
    });
    expect(
      ok<RunSummary[]>(await ana.call('runs:list'))
        .map((r) => r.id)
        .sort(),
    ).toEqual([runId, started.runId].sort());
  });
});
