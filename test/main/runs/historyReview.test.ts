/** The review knows what this instance already sent: skipped by default, sent again only by explicit choice. */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { acceptInvitation } from '../../../src/main/emulator/store.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { HistoryGroup, RunReview } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

describe('history-aware review', () => {
  it('“Open as sheet” of a sent run: every row flagged as invited (pending / accepted), skipped; sending a group anyway is explicit', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Nov',
        settings: { ...defaultSettings(), notify: false },
        columns,
        rows: Array.from({ length: 30 }, (_, i) => [`h${i}@hist.test`]),
      }),
    );
    const first = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    await s.engine.settled(first.runId);
    const emu = s.sandboxEmulator()!;
    for (const i of [0, 1, 2]) expect(acceptInvitation(emu.instance, `h${i}@hist.test`, Date.now())).toBe(true);
    ok(await dispatch(s.handlers, 'history:sync', { runId: first.runId }));

    // Open the sent run as a sheet: today every row would look "Ready".
    const again = ok<{ id: string }>(await dispatch(s.handlers, 'runs:toSheet', { runId: first.runId, which: 'all' }));
    const review = ok<RunReview>(await dispatch(s.handlers, 'runs:review', { sheetId: again.id, profileId: 'sandbox' }));
    expect(review.history.map((g: HistoryGroup) => [g.key, g.rows.length, g.resend])).toEqual([
      ['pending', 27, false],
      ['accepted', 3, false],
    ]);
    expect(review.toSend).toBe(0);
    const refused = await dispatch(s.handlers, 'runs:start', { sheetId: again.id, profileId: 'sandbox' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'nothing_to_send', message: expect.stringContaining('already invited') } });
    expect(emu.instance.invitations.filter((i) => i.emailAddress.endsWith('@hist.test'))).toHaveLength(30);

    // Sending the pending group anyway: explicit, with ignore_existing; the accepted stay skipped.
    const chosen = ok<RunReview>(
      await dispatch(s.handlers, 'runs:review', { sheetId: again.id, profileId: 'sandbox', resend: ['pending'] }),
    );
    expect(chosen.toSend).toBe(27);
    const resent = ok<{ runId: string }>(
      await dispatch(s.handlers, 'runs:start', { sheetId: again.id, profileId: 'sandbox', resend: ['pending'] }),
    );
    await s.engine.settled(resent.runId);
    const run = ok<{ progress: { counts: Record<string, number> }; rows: { message: string | null; state: string }[] }>(
      await dispatch(s.handlers, 'runs:get', { runId: resent.runId }),
    );
    expect(run.progress.counts).toMatchObject({ sent: 27, skipped: 3, failed: 0 });
    expect(run.rows.filter((r) => r.state === 'skipped').every((r) => /Already invited on .* \(accepted\)/.test(r.message ?? ''))).toBe(
      true,
    );
  });

  it('follow-up counts follow the present: “send the rest” is no longer offered once a follow-up sent them', async () => {
    const s = makeServices(createMemorySecretStore());
    open.push(s);
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Rest',
        settings: { ...defaultSettings(), notify: false },
        columns,
        rows: Array.from({ length: 40 }, (_, i) => [`r${i}@rest.test`]),
      }),
    );
    const emu = s.sandboxEmulator() ?? (await s.profiles.secretFor('sandbox'), s.sandboxEmulator()!);
    const slow = emu.faults.inject({ kind: 'slow', delayMs: 200, method: 'POST' });
    const first = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
    ok(await dispatch(s.handlers, 'runs:cancel', { runId: first.runId }));
    emu.faults.remove(slow);
    const before = ok<{ rows: { state: string }[] }>(await dispatch(s.handlers, 'runs:get', { runId: first.runId }));
    const unsent = before.rows.filter((r) => r.state === 'cancelled').length;
    expect(unsent).toBeGreaterThan(0);
    const rest = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId: first.runId, which: 'unsent' }));
    await s.engine.settled(rest.runId);
    const after = ok<{ rows: { state: string; sentLater?: boolean }[] }>(await dispatch(s.handlers, 'runs:get', { runId: first.runId }));
    expect(after.rows.filter((r) => r.state === 'cancelled').every((r) => r.sentLater === true)).toBe(true);
    expect(await dispatch(s.handlers, 'runs:followUp', { runId: first.runId, which: 'unsent' })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send' },
    });
    expect(emu.instance.invitations.filter((i) => i.emailAddress.endsWith('@rest.test'))).toHaveLength(40);
  });
});
