/**
 * People who already have an account (issue 22): the review and the dry run find them before sending (GET /v1/users,
 * 100 addresses a call, kept for Send), and the choices apply: organization sheets add them as members directly
 * (default) or invite them anyway; application sheets skip them (default) or invite them anyway on single calls.
 * Through the real handlers, against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../../src/main/emulator/behaviour.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import type { DryRunResult, RunReview } from '../../../src/shared/domain/send/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { existingFixture } from '../../helpers/existingFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const { setup, ok } = existingFixture(emu);

describe('existing accounts: organization sheets', () => {
  it('the review names them (user since …); Send adds them as members (no invitation, no email) and invites only the others', async () => {
    const t = await setup('org', 10, (i) => i % 10 < 3);
    const before = t.usersCalls();
    const review = ok<RunReview>(await dispatch(t.s.handlers, 'runs:review', t.args));
    expect(review.existing).toMatchObject({ rows: [0, 1, 2], choice: 'add', choices: ['add', 'invite'], error: null, checked: 10 });
    expect(review.existing.since).toEqual({ first: Date.UTC(2024, 2, 3), last: Date.UTC(2024, 2, 3) });
    expect([review.toSend, review.members]).toEqual([10, 3]);
    expect(review.plan.lanes.find((l) => l.endpoint === 'general')).toMatchObject({ calls: 3, rows: 3 });
    expect(review.plan.lanes.filter((l) => l.endpoint !== 'general').reduce((k, l) => k + l.rows, 0)).toBe(7);
    expect(t.usersCalls() - before).toBe(1);

    const { runId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'runs:start', t.args));
    const { rows, progress } = await t.rowsOf(runId);
    expect(t.usersCalls() - before).toBe(1); // kept with the review: Send did not ask again
    expect(progress.state).toBe('finished');
    const invited = t.e.instance.orgInvitations.filter((x) => x.organizationId === t.org.id).map((x) => x.emailAddress);
    expect(invited.sort()).toEqual(t.emails.slice(3).sort());
    for (const [email, user] of t.users) {
      expect(t.org.members.get(user.id)).toBe('org:member');
      expect(t.org.memberships.get(user.id)?.publicMetadata).toEqual({ team: 'ops' });
      expect(rows.find((r) => r.email === email)).toMatchObject({
        state: 'sent',
        invitationId: user.id,
        invitationStatus: 'member',
        url: null,
      });
    }
    // Emails went to the 7 invited only.
    expect(t.e.instance.orgInvitations.filter((x) => x.organizationId === t.org.id).every((x) => x.emailsSent === 1)).toBe(true);
  });

  it('“Invite them anyway”: every row gets an organization invitation, nobody is added directly', async () => {
    const t = await setup('org', 6, (i) => i < 2);
    const review = ok<RunReview>(await dispatch(t.s.handlers, 'runs:review', { ...t.args, existing: 'invite' }));
    expect([review.existing.choice, review.existing.rows, review.members]).toEqual(['invite', [0, 1], 0]);
    const { runId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'runs:start', { ...t.args, existing: 'invite' }));
    const { rows } = await t.rowsOf(runId);
    expect(rows.every((r) => r.state === 'sent' && r.invitationId?.startsWith('orginv_'))).toBe(true);
    expect(t.org.members.size).toBe(0);
  });
});

describe.each([
  ['default', VARIANTS['default']!],
  ['existing user as duplicate_record', VARIANTS['existing user as duplicate_record']!],
])('existing accounts: application sheets (variant: %s)', (_name, variant) => {
  it('says so before sending and sends none of them unless asked; “Invite anyway” sends them on single calls', async () => {
    Object.assign(emu.current.behaviour, variant);
    const t = await setup('app', 12, (i) => i === 1 || i === 7);
    const review = ok<RunReview>(await dispatch(t.s.handlers, 'runs:review', t.args));
    expect(review.existing).toMatchObject({ rows: [1, 7], choice: 'skip', choices: ['skip', 'invite'] });
    expect(review.toSend).toBe(10);
    expect(review.skipped).toEqual([]); // the history-like group says it, not the problem list
    const dry = ok<DryRunResult>(await dispatch(t.s.handlers, 'runs:dryRun', t.args));
    expect(dry.existing.rows).toEqual([1, 7]);

    const { runId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'runs:start', t.args));
    const { rows } = await t.rowsOf(runId);
    const asked = new Set(t.e.instance.invitations.map((x) => x.emailAddress));
    for (const email of t.users.keys()) {
      expect(asked.has(email)).toBe(false);
      expect(rows.find((r) => r.email === email)).toMatchObject({
        state: 'skipped',
        message: expect.stringMatching(/^Already has an account \(user since 2024-03-03\)/),
      });
    }
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(10);
    expect(t.e.requests.filter((r) => r.method === 'POST' && r.status >= 400)).toEqual([]);

    // Invite anyway: the two go too (ignore_existing, single calls), none refused. A new sheet: fresh history.
    const u = await setup('app', 4, (i) => i === 0);
    const started = ok<{ runId: string }>(await dispatch(u.s.handlers, 'runs:start', { ...u.args, existing: 'invite' }));
    const done = await u.rowsOf(started.runId);
    expect(done.rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(u.e.requests.filter((r) => r.method === 'POST' && r.status >= 400)).toEqual([]);
  });
});

describe('existing accounts: the check itself', () => {
  it('asks 100 addresses a call with progress; a failed check says why and the rows go as invitations', async () => {
    const t = await setup('org', 250, (i) => i % 50 === 0);
    const before = t.usersCalls();
    const review = ok<RunReview>(await dispatch(t.s.handlers, 'runs:review', t.args));
    expect(t.usersCalls() - before).toBe(3);
    expect(review.existing.rows).toEqual([0, 50, 100, 150, 200]);
    expect(t.progress.map((p) => [p.checked, p.total])).toEqual([
      [100, 250],
      [200, 250],
      [250, 250],
    ]);

    const f = await setup('org', 5, (i) => i === 0);
    f.e.faults.inject({ kind: 'status', status: 500, method: 'GET', path: '/v1/users' });
    const failed = ok<RunReview>(await dispatch(f.s.handlers, 'runs:review', f.args));
    expect(failed.existing).toMatchObject({ rows: [], error: expect.stringMatching(/internal error/) });
    expect([failed.toSend, failed.members]).toEqual([5, 0]);
  });

  it('refuses “add” on an application sheet', async () => {
    const t = await setup('app', 2, () => false);
    expect(await dispatch(t.s.handlers, 'runs:review', { ...t.args, existing: 'add' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_choice' },
    });
  });
});
