/** A follow-up started again (one after another, two at once, beside a status sync) never invites anyone twice. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { effectiveStatus, expireInvitation } from '../../../src/main/emulator/store.ts';
import { createRunsRepo, ProfileBusyError } from '../../../src/main/services/runs/runsRepo.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { ok } from '../../helpers/result.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const columns: SheetColumn[] = [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }];

/** A sandbox run of `n` rows whose invitations then expire in Clerk, synced: `n` rows to “resend expired or revoked”. */
async function expiredRun(domain: string, n = 5) {
  const s = makeServices(createMemorySecretStore());
  open.push(s);
  const emails = Array.from({ length: n }, (_, i) => `e${i}@${domain}`);
  const sheet = ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', {
      name: 'Expiring',
      settings: { ...defaultSettings(), notify: false },
      columns,
      rows: emails.map((e) => [e]),
    }),
  );
  const first = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId: 'sandbox' }));
  await s.engine.settled(first.runId);
  const emu = s.sandboxEmulator()!;
  for (const e of emails) expect(expireInvitation(emu.instance, e, Date.now())).toBe(true);
  ok(await dispatch(s.handlers, 'history:sync', { runId: first.runId }));
  const pendingPer = () => {
    const m = new Map<string, number>();
    for (const inv of emu.instance.invitations)
      if (inv.emailAddress.endsWith(`@${domain}`) && effectiveStatus(inv, Date.now()) === 'pending')
        m.set(inv.emailAddress, (m.get(inv.emailAddress) ?? 0) + 1);
    return emails.map((e) => m.get(e) ?? 0);
  };
  return { s, emu, emails, runId: first.runId, pendingPer };
}

const resend = (s: ReturnType<typeof makeServices>, runId: string) =>
  dispatch(s.handlers, 'runs:followUp', { runId, which: 'expired_or_revoked' });

describe('follow-ups started again', () => {
  it('“Resend expired or revoked” started 3 times: one new invitation per email; the 2nd and 3rd are refused, saying why', async () => {
    const { s, runId, pendingPer } = await expiredRun('again.test');
    const tally = ok<{ tally: { expiredOrRevoked: number } }>(await dispatch(s.handlers, 'runs:get', { runId }));
    expect(tally.tally.expiredOrRevoked).toBe(5);
    const f1 = ok<{ runId: string }>(await resend(s, runId));
    await s.engine.settled(f1.runId);
    for (let i = 0; i < 2; i++) {
      const again = await resend(s, runId);
      expect(again).toMatchObject({
        ok: false,
        error: {
          code: 'nothing_to_send',
          message: expect.stringMatching(/5 rows .*sent again by a later run .*Expiring \(resend expired and revoked\)/),
        },
      });
    }
    expect(pendingPer()).toEqual([1, 1, 1, 1, 1]);
    // The run's buttons follow: nothing left to resend.
    const after = ok<{ tally: { expiredOrRevoked: number } }>(await dispatch(s.handlers, 'runs:get', { runId }));
    expect(after.tally.expiredOrRevoked).toBe(0);
  });

  it('two starts at once make one follow-up; a second start while the first is paused is refused too', async () => {
    const { s, emu, runId, pendingPer } = await expiredRun('twice.test', 30);
    // Slow answers: the follow-up's first request (10 rows) is still out when it is paused; 20 rows stay queued.
    const slow = emu.faults.inject({ kind: 'slow', delayMs: 200, method: 'POST' });
    const [a, b] = await Promise.all([resend(s, runId), resend(s, runId)]);
    const started = [a, b].filter((r) => r.ok);
    expect(started).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/profile_busy|nothing_to_send/) } });
    const f1 = (started[0] as { ok: true; value: { runId: string } }).value.runId;
    await s.engine.pause(f1);
    emu.faults.remove(slow);
    const paused = ok<{ progress: { state: string; counts: { queued: number } } }>(await dispatch(s.handlers, 'runs:get', { runId: f1 }));
    expect(paused.progress.state).toBe('paused');
    expect(paused.progress.counts.queued).toBeGreaterThan(0);
    // Paused with rows still queued: they are being sent (by that run), so they are not offered again.
    const again = await resend(s, runId);
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send', message: expect.stringMatching(/all 30 rows .* being sent, or were sent again, by another run/) },
    });
    ok(await dispatch(s.handlers, 'runs:resume', { runId: f1 }));
    await s.engine.settled(f1);
    expect(pendingPer()).toEqual(Array.from({ length: 30 }, () => 1));
  });

  it('a status sync racing the follow-up changes nothing: still one new invitation per email', async () => {
    const { s, runId, pendingPer } = await expiredRun('sync.test');
    const [f1] = await Promise.all([
      resend(s, runId),
      dispatch(s.handlers, 'history:sync', { profileId: 'sandbox' }),
      dispatch(s.handlers, 'history:sync', { runId }),
    ]);
    const id = ok<{ runId: string }>(f1).runId;
    await Promise.all([s.engine.settled(id), dispatch(s.handlers, 'history:sync', { profileId: 'sandbox' })]);
    ok(await dispatch(s.handlers, 'history:sync', { profileId: 'sandbox' }));
    const [x, y] = await Promise.all([resend(s, runId), dispatch(s.handlers, 'history:sync', { runId })]);
    expect(x).toMatchObject({ ok: false, error: { code: 'nothing_to_send' } });
    ok(y);
    expect(pendingPer()).toEqual([1, 1, 1, 1, 1]);
  });

  it('“Revoke pending” started again is refused: the invitations are revoked (or being revoked) by the first', async () => {
    const { s, runId } = await expiredRun('revoke.test');
    // A fresh run of pending invitations: the expired ones above are resent first.
    const fresh = ok<{ runId: string }>(await resend(s, runId));
    await s.engine.settled(fresh.runId);
    const revoke = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId: fresh.runId, which: 'revoke_pending' }));
    await s.engine.settled(revoke.runId);
    expect(await dispatch(s.handlers, 'runs:followUp', { runId: fresh.runId, which: 'revoke_pending' })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send', message: expect.stringContaining('revoked, or are being revoked, by another run') },
    });
  });

  it('two follow-ups made at once from two profiles of one instance: the second finds the first in its own transaction', () => {
    const dir = makeTempDir();
    const db = openDatabase(join(dir.path, 'runs.sqlite'));
    try {
      const repo = createRunsRepo(db);
      const run = (id: string, profileId: string, parentRunId: string | null) => ({
        id,
        profileId,
        profileName: profileId,
        environment: 'development' as const,
        instanceId: 'ins_same',
        kind: 'app' as const,
        organizationId: null,
        organizationName: null,
        sheetId: null,
        sheetName: id,
        op: 'create' as const,
        options: { settings: null, columns: [] },
        windowMs: 1000,
        createdAt: 1,
        parentRunId,
        rows: [{ sheetRow: 0, email: 'JOSÉ@acme.test', request: appRequest('JOSÉ@acme.test') }],
      });
      repo.create(run('parent', 'p1', null), 1);
      repo.markSent('parent', [{ idx: 0, invitationId: 'inv_1', status: 'expired', url: null }], 1);
      repo.setState('parent', 'finished', 1);
      repo.create(run('first', 'p1', 'parent'), 2);
      const second = {
        ...run('second', 'p2', 'parent'),
        rows: [{ sheetRow: 0, email: 'josé@acme.test', request: appRequest('josé@acme.test') }],
      };
      // While the first runs, the instance's claim refuses the second; paused, its queued row still holds the email.
      expect(() => repo.create(second, 2)).toThrow(ProfileBusyError);
      repo.setState('first', 'paused', 3, 'Paused by you');
      expect(() => repo.create(second, 3)).toThrow(/1 row is being sent by another run \(“first”/);
      expect(repo.get('second')).toBeNull();
    } finally {
      db.close();
      dir.remove();
    }
  });
});
