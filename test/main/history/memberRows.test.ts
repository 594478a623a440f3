/**
 * History knows the rows added as members (issue 22, item 3): run detail (and its filter), search, export and “open
 * as sheet” say “added as member”; status sync leaves them alone; revoke follow-ups do not offer them, and say why.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { acceptInvitation } from '../../../src/main/emulator/store.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import type { FollowUpTally, HistoryHit, RunRowView, RunReview } from '../../../src/shared/domain/send/types.ts';
import type { SheetDoc } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { existingFixture } from '../../helpers/existingFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const { setup, ok } = existingFixture(emu);

/** An organization run of 5 rows, 2 of whom had an account (rows 0 and 3): 3 invited, 2 added as members. */
async function memberRun() {
  const t = await setup('org', 5, (i) => i === 0 || i === 3);
  const { runId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'runs:start', t.args));
  await t.rowsOf(runId);
  return { ...t, runId };
}

describe('rows added as members, in the history', () => {
  it('run detail filters them; search, export and “open as sheet” say “added as member”', async () => {
    const t = await memberRun();
    const members = ok<{ rows: RunRowView[]; total: number }>(
      await dispatch(t.s.handlers, 'runs:get', { runId: t.runId, state: 'member' }),
    );
    expect(members.total).toBe(2);
    expect(members.rows.map((r) => [r.sheetRow, r.invitationStatus])).toEqual([
      [0, 'member'],
      [3, 'member'],
    ]);
    expect(ok<number[]>(await dispatch(t.s.handlers, 'runs:rowIds', { runId: t.runId, state: 'member' }))).toEqual([0, 3]);

    const hits = ok<HistoryHit[]>(await dispatch(t.s.handlers, 'history:search', { email: t.emails[0]! }));
    expect(hits[0]).toMatchObject({ state: 'sent', invitationStatus: 'member', invitationId: t.users.get(t.emails[0]!)!.id });

    const csv = ok<{ csv: string }>(await dispatch(t.s.handlers, 'runs:export', { runId: t.runId })).csv;
    const lines = Papa.parse<string[]>(csv.replace(/^\uFEFF/, '')).data.filter((l) => l.length > 1);
    expect(lines.slice(1).map((l) => [l[1], l[2], l[3]])).toEqual(
      t.emails.map((e, i) => [e, i === 0 || i === 3 ? 'added as member' : 'sent', i === 0 || i === 3 ? 'member' : 'pending']),
    );

    const sheet = ok<{ id: string }>(await dispatch(t.s.handlers, 'runs:toSheet', { runId: t.runId, which: 'all' }));
    const doc = ok<SheetDoc>(await dispatch(t.s.handlers, 'sheets:get', { id: sheet.id }));
    expect(doc.rows.map((r) => r.at(-1))).toEqual(['added as member', 'sent', 'sent', 'added as member', 'sent']);
  });

  it('status sync leaves them alone; revoke follow-ups offer only the invitations and say why the members are not', async () => {
    const t = await memberRun();
    acceptInvitation(t.e.instance, t.emails[1]!, Date.now());
    ok(await dispatch(t.s.handlers, 'history:sync', { runId: t.runId }));
    const rows = ok<{ rows: RunRowView[] }>(await dispatch(t.s.handlers, 'runs:get', { runId: t.runId })).rows;
    expect(rows.map((r) => r.invitationStatus)).toEqual(['member', 'accepted', 'pending', 'member', 'pending']);

    const tally = ok<FollowUpTally>(await dispatch(t.s.handlers, 'runs:tally', { runId: t.runId, rows: [0, 1, 2, 3, 4] }));
    expect(tally).toMatchObject({ pending: 2, members: 2, expiredOrRevoked: 0, links: 3 });
    const refused = await dispatch(t.s.handlers, 'runs:followUp', { runId: t.runId, which: 'revoke_pending', rows: [0, 3] });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send', message: expect.stringMatching(/2 rows were added as members.*does not remove members/) },
    });
    const { runId: revokeRun } = ok<{ runId: string }>(
      await dispatch(t.s.handlers, 'runs:followUp', { runId: t.runId, which: 'revoke_pending' }),
    );
    await t.s.engine.settled(revokeRun);
    const revoked = ok<{ rows: RunRowView[] }>(await dispatch(t.s.handlers, 'runs:get', { runId: revokeRun })).rows;
    expect(revoked.map((r) => r.email)).toEqual([t.emails[2], t.emails[4]]);
    expect(t.org.members.size).toBe(3); // the two added, and the one who accepted
  });

  it('a later review of the same people: no history group for the members; their accounts are found again', async () => {
    const t = await memberRun();
    const review = ok<RunReview>(await dispatch(t.s.handlers, 'runs:review', t.args));
    expect(review.history.map((g) => [g.key, g.rows])).toEqual([['pending', [1, 2, 4]]]);
    expect(review.existing.rows).toEqual([0, 3]);
  });
});
