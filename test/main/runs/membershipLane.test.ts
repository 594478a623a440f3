/**
 * The membership lane (issue 22, item 2) on the in-memory twin with a scripted Clerk: an organization run's rows that
 * carry an account's user id are added as members on the general limit, the others invited; never twice (unknown
 * outcomes looked up in the memberships), “already a member” an outcome, errors handled as for invitations. And
 * application rows invited anyway although they have an account go on the single lane only.
 */
import { describe, expect, it } from 'vitest';
import type { EngineDeps } from '../../../src/main/services/runs/engine.ts';
import type { RowRequest } from '../../../src/shared/domain/sheet/validate.ts';
import { newRun } from '../../helpers/newRun.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { engineOnTwin } from '../../helpers/twinEngine.ts';

const ORG = 'org_1';
const orgRow = (email: string, userId?: string): RowRequest =>
  appRequest(email, { organizationId: ORG, role: 'org:member', ...(userId ? { memberUserId: userId } : {}) });

function setup(o: Partial<EngineDeps> = {}) {
  const twin = engineOnTwin(o);
  const launch = (rows: RowRequest[], kind: 'app' | 'org' = 'org') =>
    twin.launch(rows, { kind, organizationId: kind === 'org' ? ORG : null, sheetName: 'members' });
  return { ...twin, launch };
}

const mixed = () => [
  ...Array.from({ length: 6 }, (_, i) => orgRow(`new${i}@m.test`)),
  ...Array.from({ length: 4 }, (_, i) => orgRow(`old${i}@m.test`, `user_${i}`)),
];

describe('membership lane (in-memory store, scripted Clerk)', () => {
  it('one run, two kinds: invitations only for the new people, memberships (general limit) for those with an account', async () => {
    const s = setup();
    const { id, run, left } = await s.launch(mixed());
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 10, failed: 0 } });
    expect(left).toEqual([]);
    expect(s.clerk.creates.flat().sort()).toEqual(Array.from({ length: 6 }, (_, i) => `new${i}@m.test`));
    expect([...s.clerk.memberCalls].sort()).toEqual(['user_0', 'user_1', 'user_2', 'user_3']);
    const rows = s.store.rows(id);
    const members = rows.filter((r) => r.email.startsWith('old'));
    expect(members.map((r) => [r.invitationId, r.invitationStatus, r.url])).toEqual([0, 1, 2, 3].map((i) => [`user_${i}`, 'member', null]));
    // Each membership request counted on the general limit's ledger (10 s window), none on the hourly ones.
    expect((await s.store.quota.ledger('ins_1', 'general', 10_000, Date.now())).sent).toHaveLength(4);
    const hourly = await Promise.all(
      ['org.bulk', 'org.single'].map((e) => s.store.quota.ledger('ins_1', e as 'org.bulk', 200_000, Date.now())),
    );
    expect(hourly.reduce((n, l) => n + l.sent.length, 0)).toBe(s.clerk.creates.length);
    // One progress for the run: its counts cover both kinds.
    expect(s.events.at(-1)).toMatchObject({ id, state: 'finished', counts: { sent: 10 } });
  });

  it('never twice: a membership Clerk made without answering is found in the organization after the grace', async () => {
    const s = setup();
    s.clerk.answerMembership((call) => (call === 0 ? 'commit-then-timeout' : 'ok'));
    const { id, run } = await s.launch(mixed().slice(6));
    expect(run.counts).toMatchObject({ sent: 4, failed: 0 });
    expect(s.clerk.memberCalls).toHaveLength(4); // the lost one was not asked again
    const rows = s.store.rows(id);
    expect(rows.every((r) => r.invitationStatus === 'member' && r.message === null)).toBe(true);
  });

  it('never twice: not found after the grace → asked once more; still unknown after the attempt cap → never resent', async () => {
    const s = setup();
    s.clerk.answerMembership((call) => (call === 0 ? 'timeout' : 'ok'));
    const { run } = await s.launch([orgRow('old@m.test', 'user_9')]);
    expect(run.counts).toMatchObject({ sent: 1 });
    expect(s.clerk.memberCalls).toEqual(['user_9', 'user_9']);

    const never = setup({ maxAttempts: 3 });
    never.clerk.answerMembership(() => 'timeout');
    const stuck = await never.launch([orgRow('old@m.test', 'user_9')]);
    expect(stuck.run.counts).toMatchObject({ failed: 1, sent: 0 });
    expect(never.clerk.memberCalls).toEqual(['user_9', 'user_9', 'user_9']);
  });

  it('“already a member” is an outcome, not a failure: the row is done with a note, no invitation spent', async () => {
    const s = setup();
    s.clerk.addMember(ORG, 'user_1', 'org:admin', Date.UTC(2024, 2, 3));
    const { id, run } = await s.launch([orgRow('old@m.test', 'user_1'), orgRow('new@m.test')]);
    expect(run.counts).toMatchObject({ sent: 2, failed: 0 });
    const row = s.store.rows(id).find((r) => r.email === 'old@m.test')!;
    expect(row).toMatchObject({ state: 'sent', invitationId: 'user_1', invitationStatus: 'member' });
    expect(row.message).toBe('Already a member (since 2024-03-03): nothing to do, no email sent.');
    expect(s.clerk.creates.flat()).toEqual(['new@m.test']);
  });

  it('a row journaled done carries its note in the same write: killed right after, it does not read as added by this run', async () => {
    // The metadata soak once found a repaired row with no “Left alone” note: the process was killed between the
    // row's 'sent' and its note, two writes. Here the process is killed right after the row's write.
    const s = setup();
    s.clerk.addMember(ORG, 'user_1', 'org:admin', Date.UTC(2024, 2, 3));
    let killed = () => {};
    const kill = new Promise<void>((resolve) => (killed = resolve));
    const markSent = s.store.journal.markSent.bind(s.store.journal);
    s.store.journal.markSent = async (...args) => {
      await markSent(...args);
      if (args[1].some((r) => r.invitationId === 'user_1')) {
        killed();
        return new Promise<void>(() => {}); // the process is gone: nothing after this write happens
      }
    };
    const id = 'run-killed-after-sent';
    void s.engine.launch(newRun(id, [orgRow('old@m.test', 'user_1')], { kind: 'org', organizationId: ORG, windowMs: 200 }));
    await kill;
    const row = s.store.rows(id)[0]!;
    expect([row.state, row.message]).toEqual(['sent', 'Already a member (since 2024-03-03): nothing to do, no email sent.']);
  });

  it('errors: an account deleted since the review fails its row and the run goes on; a quota refusal fails the rows that need a seat, with why', async () => {
    const s = setup();
    s.clerk.answerMembership((_call, user) =>
      user === 'user_1' ? { status: 404, code: 'resource_not_found', emails: ['user_id'] } : 'ok',
    );
    const { id, run } = await s.launch(mixed().slice(6));
    expect(run).toMatchObject({ state: 'finished', counts: { sent: 3, failed: 1 } });
    expect(s.store.rows(id).find((r) => r.invitationId === null)).toMatchObject({
      errorCode: 'user_not_found',
      message: expect.stringMatching(/send this row an invitation instead/),
    });

    const q = setup();
    q.clerk.answerMembership(() => ({ status: 403, code: 'organization_membership_quota_exceeded' }));
    // No seat left (issue 21, item 2): the rows that need one fail with the true reason and the run finishes.
    const full = await q.launch(mixed().slice(6));
    expect(full.run).toMatchObject({ state: 'finished', counts: { failed: 4, queued: 0 } });
    expect(q.store.rows(full.id).every((r) => /raise its limit in Clerk/.test(r.message ?? ''))).toBe(true);
    expect(q.clerk.memberCalls).toHaveLength(1); // the first request goes alone: one refusal, not four
  });

  it('pacing: a 429 blocks the general limit for its Retry-After (at most 10 s) and the row goes again, once', async () => {
    const s = setup();
    s.clerk.answerMembership((call) => (call === 0 ? { status: 429, code: 'too_many_requests', retryAfter: 1 } : 'ok'));
    const { run } = await s.launch(mixed().slice(6, 8));
    expect(run.counts.sent).toBe(2);
    expect((await s.store.quota.ledger('ins_1', 'general', 10_000, 0)).blockedUntil).toBeGreaterThan(0);
    expect(s.events.some((e) => e.waitReason === 'Clerk asked to wait (Retry-After)')).toBe(true);
    expect(new Set(s.clerk.memberCalls).size).toBe(2);
  });

  it('application rows with an account, invited anyway, go only on the single lane (a bulk call cannot bypass them)', async () => {
    const s = setup();
    const rows = Array.from({ length: 12 }, (_, i) =>
      appRequest(`a${i}@m.test`, i % 4 === 0 ? { existingUser: true, ignoreExisting: true } : {}),
    );
    const { run } = await s.launch(rows, 'app');
    expect(run.counts.sent).toBe(12);
    const existing = ['a0@m.test', 'a4@m.test', 'a8@m.test'];
    for (const call of s.clerk.creates) if (call.some((e) => existing.includes(e))) expect(call).toHaveLength(1);
    expect(
      s.clerk.creates
        .filter((c) => c.length > 1)
        .flat()
        .some((e) => existing.includes(e)),
    ).toBe(false);
  });
});
