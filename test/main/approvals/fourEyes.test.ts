/**
 * Four eyes on production, through the real handlers of three members' apps (each its own database and keychain)
 * sharing one approvals store and one Clerk instance: a production send waits for another member, who sees the same
 * review from the snapshot and starts exactly one run; a rejection, self-approval or a second approver start nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { ApprovalReview, ApprovalSummary } from '../../../src/shared/domain/approvals.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import type { ApprovalsPort } from '../../../src/main/services/approvals/approvalsPort.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { memoryApprovals } from '../../helpers/memoryApprovals.ts';
import { ok } from '../../helpers/result.ts';
import { invitationsPerEmail } from '../../helpers/runFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

/** A member's app on the team workspace: its own database and keychain, the production profile added. */
async function member(name: string, approvals: ApprovalsPort, opts: { fourEyes?: boolean; profile?: boolean } = {}) {
  const s = makeServices(createMemorySecretStore(), undefined, { approvals, fourEyes: opts.fourEyes ?? true, member: name });
  open.push(s);
  const prod =
    opts.profile === false
      ? null
      : await s.profiles.add({ name: 'Acme live', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
  const call = (channel: Parameters<typeof dispatch>[1], args?: unknown) => dispatch(s.handlers, channel, args);
  return { s, prod, call };
}

const sheetOf = async (m: Awaited<ReturnType<typeof member>>, emails: string[]) =>
  ok<{ id: string }>(
    await m.call('sheets:create', {
      name: 'Fall',
      settings: { ...defaultSettings(), notify: false },
      columns,
      rows: emails.map((e) => [e]),
    }),
  );
const invited = (domain: string) =>
  [...invitationsPerEmail(emu.current, emu.current.instance.secretKey)].filter(([e]) => e.endsWith(domain));
const failure = (r: unknown) => (r as { ok: false; error: { code: string; message: string } }).error;

describe('four eyes on production', () => {
  it('a production send waits for a teammate; the preparer cannot approve it; the approver sees the snapshot and starts one run', async () => {
    const team = memoryApprovals();
    const ana = await member('ana@a', team);
    const ben = await member('ben@b', team);
    const sheet = await sheetOf(ana, ['p1@one.test', 'p2@one.test', 'bad email']);

    const asked = ok<{ runId: string | null; approvalId: string; message: string }>(
      await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id, confirmName: 'Acme live' }),
    );
    expect(asked.runId).toBeNull();
    expect(asked.message).toContain("Waiting for a teammate's approval: 2 invitations will be sent, 1 row skipped.");
    expect(ok<unknown[]>(await ana.call('runs:list'))).toEqual([]);
    expect(invited('@one.test')).toEqual([]);

    // Ana changes the sheet meanwhile: the approval keeps what she reviewed.
    ok(await ana.call('sheets:save', { id: sheet.id, rows: [['p1@one.test'], ['p2@one.test'], ['p3@one.test'], ['p4@one.test']] }));

    const mine = ok<ApprovalReview>(await ana.call('approvals:review', { id: asked.approvalId }));
    expect(mine.cannotApprove).toBe('You prepared this send: another member of the team has to approve it.');
    expect(failure(await ana.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' }))).toMatchObject({
      code: 'approval_self',
    });

    const list = ok<ApprovalSummary[]>(await ben.call('approvals:list'));
    expect(list).toMatchObject([{ id: asked.approvalId, state: 'pending', preparedBy: 'ana@a', sheetName: 'Fall', toSend: 2, skipped: 1 }]);
    const seen = ok<ApprovalReview>(await ben.call('approvals:review', { id: asked.approvalId }));
    expect(seen.cannotApprove).toBeNull();
    expect(seen.changed).toBeNull();
    expect(seen.review?.toSend).toBe(2);
    expect(seen.review?.skipped).toEqual([{ reason: expect.stringContaining('“bad email” is not a valid email address'), rows: [2] }]);
    expect(seen.review?.profileId).toBe(ben.prod!.id); // reviewed with Ben's own profile and key

    expect(failure(await ben.call('approvals:approve', { id: asked.approvalId, confirmName: 'acme' }))).toMatchObject({
      code: 'confirmation_required',
    });
    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' }));
    await ben.s.engine.settled(runId);
    expect(invited('@one.test')).toEqual([
      ['p1@one.test', 1],
      ['p2@one.test', 1],
    ]);
    expect(ok<ApprovalSummary[]>(await ana.call('approvals:list'))).toMatchObject([
      { id: asked.approvalId, state: 'started', decidedBy: 'ben@b', runId },
    ]);
  });

  it('two members approve at the same moment: one run starts, the other is told who approved', async () => {
    const team = memoryApprovals();
    const ana = await member('ana@a', team);
    const ben = await member('ben@b', team);
    const cat = await member('cat@c', team);
    const sheet = await sheetOf(ana, ['q1@two.test', 'q2@two.test', 'q3@two.test']);
    const { approvalId } = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id }));

    const [b, c] = await Promise.all([ben, cat].map((m) => m.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' })));
    const won = [b, c].filter((r) => (r as { ok: boolean }).ok);
    expect(won).toHaveLength(1);
    const lost = failure([b, c].find((r) => !(r as { ok: boolean }).ok));
    const winner = won[0] === b ? ben : cat;
    expect(lost.message).toContain(`Already approved by ${winner === ben ? 'ben@b' : 'cat@c'}`);
    await winner.s.engine.settled((won[0] as { value: { runId: string } }).value.runId);
    expect(invited('@two.test').map(([, n]) => n)).toEqual([1, 1, 1]);
    expect(ok<unknown[]>(await (winner === ben ? cat : ben).call('runs:list'))).toEqual([]);
  });

  it('the answer to a decision is lost on the way back (it was committed): approving again starts its one run; a double click starts one', async () => {
    const team = memoryApprovals();
    let lose = true;
    const flaky: ApprovalsPort = {
      ...team,
      decide: async (...a) => {
        const out = await team.decide(...a);
        if (lose) {
          lose = false;
          throw new Error('Connection terminated unexpectedly');
        }
        return out;
      },
    };
    const ana = await member('ana@a', team);
    const ben = await member('ben@b', flaky);
    const sheet = await sheetOf(ana, ['l1@lost.test', 'l2@lost.test']);
    const { approvalId } = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id }));

    expect(failure(await ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' })).message).toContain(
      'Connection terminated',
    );
    expect(await team.get(approvalId)).toMatchObject({ state: 'approved', decidedBy: 'ben@b', runId: null });
    // Ben's dialog lets him approve again (it said “already approved by ben@b: its run has started”, approve disabled);
    // Ana is told who starts it, and how if it has not started.
    expect(ok<ApprovalReview>(await ben.call('approvals:review', { id: approvalId })).cannotApprove).toBeNull();
    expect(ok<ApprovalReview>(await ana.call('approvals:review', { id: approvalId })).cannotApprove).toBe(
      'Already approved by ben@b: its run starts on their computer; if it has not, ben@b opens it in Approvals and approves again (one approval starts one run).',
    );
    const again = await Promise.all([1, 2].map(() => ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' })));
    const runIds = again.map((r) => ok<{ runId: string }>(r).runId);
    expect(new Set(runIds).size).toBe(1);
    await ben.s.engine.settled(runIds[0]!);
    expect(ok<unknown[]>(await ben.call('runs:list'))).toHaveLength(1);
    expect(invited('@lost.test').map(([, n]) => n)).toEqual([1, 1]);
    expect(await team.get(approvalId)).toMatchObject({ state: 'started', runId: runIds[0] });
    expect(failure(await ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' })).message).toContain(
      'Already approved by ben@b',
    );
  });

  it('rejected (a reason required): nothing starts, and nobody can approve it afterwards', async () => {
    const team = memoryApprovals();
    const ana = await member('ana@a', team);
    const ben = await member('ben@b', team);
    const cat = await member('cat@c', team);
    const sheet = await sheetOf(ana, ['r1@three.test']);
    const { approvalId } = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id }));

    expect(failure(await ben.call('approvals:reject', { id: approvalId, reason: '   ' })).message).toContain('Say why it is rejected');
    ok(await ben.call('approvals:reject', { id: approvalId, reason: 'Wrong cohort' }));
    const refused = failure(await cat.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' }));
    expect(refused).toMatchObject({ code: 'approval_decided', message: 'Already rejected by ben@b: Wrong cohort' });
    expect(ok<ApprovalSummary[]>(await ana.call('approvals:list'))).toMatchObject([{ state: 'rejected', reason: 'Wrong cohort' }]);
    expect(invited('@three.test')).toEqual([]);
    for (const m of [ana, ben, cat]) expect(ok<unknown[]>(await m.call('runs:list'))).toEqual([]);
  });

  it('the preparer withdraws a waiting request; an approver without the profile or its key is told how to add it', async () => {
    const team = memoryApprovals();
    const ana = await member('ana@a', team);
    const dan = await member('dan@d', team, { profile: false });
    const sheet = await sheetOf(ana, ['w1@four.test']);
    const first = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id }));
    expect(failure(await dan.call('approvals:review', { id: first.approvalId }))).toMatchObject({
      code: 'approval_no_profile',
      message: expect.stringContaining('Add it under Profiles'),
    });
    const danProd = await dan.s.profiles.add({ name: 'Live', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
    expect(ok<ApprovalReview>(await dan.call('approvals:review', { id: first.approvalId })).review?.profileName).toBe('Live');
    await dan.s.profiles.remove(danProd.id);
    expect(failure(await dan.call('approvals:withdraw', { id: first.approvalId }))).toMatchObject({ code: 'approval_not_yours' });
    ok(await ana.call('approvals:withdraw', { id: first.approvalId }));
    expect(failure(await ana.call('approvals:approve', { id: first.approvalId, confirmName: 'Acme live' })).message).toBe(
      'Withdrawn by ana@a, who prepared it.',
    );
    expect(invited('@four.test')).toEqual([]);
  });

  it('four eyes off, or a development instance: runs start at once, as before', async () => {
    const team = memoryApprovals();
    const off = await member('eve@e', team, { fourEyes: false });
    const sheet = await sheetOf(off, ['o1@five.test']);
    const { runId } = ok<{ runId: string }>(
      await off.call('runs:start', { sheetId: sheet.id, profileId: off.prod!.id, confirmName: 'Acme live' }),
    );
    await off.s.engine.settled(runId);
    expect(invited('@five.test')).toEqual([['o1@five.test', 1]]);
    expect(ok<{ fourEyes: boolean; member: string }>(await off.call('approvals:settings'))).toEqual({ fourEyes: false, member: 'eve@e' });

    const on = await member('fay@f', team);
    const sandboxSheet = await sheetOf(on, ['d1@six.test']);
    const dev = ok<{ runId: string | null }>(await on.call('runs:start', { sheetId: sandboxSheet.id, profileId: 'sandbox' }));
    expect(dev.runId).toEqual(expect.any(String));
    await on.s.engine.settled(dev.runId!);
    expect(await team.recent(10)).toEqual([]);
  });

  it('a follow-up on production (revoke pending) is asked about as prepared, row by row; a teammate approves it and it runs once', async () => {
    const team = memoryApprovals();
    const ana = await member('ana@a', team);
    const ben = await member('ben@b', team);
    const sheet = await sheetOf(ana, ['f1@seven.test', 'f2@seven.test']);
    const { approvalId } = ok<{ approvalId: string }>(await ana.call('runs:start', { sheetId: sheet.id, profileId: ana.prod!.id }));
    const { runId } = ok<{ runId: string }>(await ben.call('approvals:approve', { id: approvalId, confirmName: 'Acme live' }));
    await ben.s.engine.settled(runId);
    const pendingOf = () =>
      emu.current.instance.invitations.filter((i) => i.emailAddress.endsWith('@seven.test')).map((i) => [i.emailAddress, i.status]);
    expect(pendingOf()).toEqual([
      ['f1@seven.test', 'pending'],
      ['f2@seven.test', 'pending'],
    ]);

    // Ben's app holds the run: revoking its pending invitations on production is a run a teammate approves first.
    const asked = ok<{ runId: null; approvalId: string; message: string }>(
      await ben.call('runs:followUp', { runId, which: 'revoke_pending', confirmName: 'Acme live' }),
    );
    expect(asked).toMatchObject({
      runId: null,
      message:
        "Waiting for a teammate's approval: 2 pending invitations will be revoked. Another member opens it under Approvals; nothing is sent until then.",
    });
    expect(ok<{ id: string }[]>(await ben.call('runs:list')).map((r) => r.id)).toEqual([runId]);
    expect(pendingOf().map(([, s]) => s)).toEqual(['pending', 'pending']);
    expect(ok<ApprovalReview>(await ben.call('approvals:review', { id: asked.approvalId })).cannotApprove).toBe(
      'You prepared this run: another member of the team has to approve it.',
    );
    expect(failure(await ben.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' }))).toMatchObject({
      code: 'approval_self',
    });

    const list = ok<ApprovalSummary[]>(await ana.call('approvals:list'));
    expect(list.find((a) => a.id === asked.approvalId)).toMatchObject({ kind: 'run', state: 'pending', preparedBy: 'ben@b', toSend: 2 });
    const seen = ok<ApprovalReview>(await ana.call('approvals:review', { id: asked.approvalId }));
    const ids = emu.current.instance.invitations.filter((i) => i.emailAddress.endsWith('@seven.test')).map((i) => i.id);
    expect(seen.plan).toEqual({
      summary: '2 pending invitations will be revoked.',
      profileName: 'Acme live',
      environment: 'production',
      organizationName: null,
      rows: [
        { email: 'f1@seven.test', action: `Revoke the pending invitation ${ids[0]}` },
        { email: 'f2@seven.test', action: `Revoke the pending invitation ${ids[1]}` },
      ],
    });
    const started = ok<{ runId: string }>(await ana.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' }));
    await ana.s.engine.settled(started.runId);
    expect(pendingOf().map(([, s]) => s)).toEqual(['revoked', 'revoked']);
    expect(await team.get(asked.approvalId)).toMatchObject({ state: 'started', runId: started.runId });
    expect(failure(await ana.call('approvals:approve', { id: asked.approvalId, confirmName: 'Acme live' })).message).toContain(
      'Already approved by ana@a',
    );
    expect(ok<{ id: string }[]>(await ana.call('runs:list')).map((r) => r.id)).toEqual([started.runId]);
  });
});
