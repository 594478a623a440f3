/**
 * Issue 24 through the real main services and IPC handlers, against the emulator: a status sync finds invitations
 * accepted; “Check metadata” says per row “metadata landed” / “missing: plan, team” / “differs: plan (sent pro, now
 * free)” and per run “5 accepted: …”, with progress; the repair review shows each change before → after, leaves a
 * different key alone unless ticked, asks for the typed name on production, and after a repair asks to check again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../../../src/main/emulator/store.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { CheckSummary } from '../../../src/shared/domain/metadata/landed.ts';
import type { CheckProgress, RepairReview } from '../../../src/shared/domain/metadata/repairPlan.ts';
import type { RunRowView } from '../../../src/shared/domain/send/types.ts';
import { defaultSettings, type SheetColumn } from '../../../src/shared/domain/sheet/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { ok } from '../../helpers/result.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }, { environment: 'production' }] });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const columns: SheetColumn[] = [
  { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
  { id: 'c1', header: 'plan', target: { kind: 'meta', scope: 'public', path: 'plan', type: 'string' } },
  { id: 'c2', header: 'team', target: { kind: 'meta', scope: 'public', path: 'team', type: 'string' } },
];
let n = 0;

/** Five rows sent to the application instance (single requests), all accepted, then made to look as listed. */
async function acceptedRun(prod = false) {
  const e = emu.current;
  const instance = prod ? [...e.instances.values()][1]! : e.instance;
  const progress: CheckProgress[] = [];
  const s = makeServices(createMemorySecretStore(), (event, payload) => {
    if (event === 'metadata:progress') progress.push(payload as CheckProgress);
  });
  open.push(s);
  const tag = `c${++n}`;
  const profile = await s.profiles.add({ name: prod ? 'Acme live' : `Dev ${tag}`, secretKey: instance.secretKey, baseUrl: e.apiUrl });
  const emails = Array.from({ length: 5 }, (_, i) => `${tag}-${i}@check.test`);
  const settings = { ...defaultSettings('app'), notify: false };
  const sheet = ok<{ id: string }>(
    await dispatch(s.handlers, 'sheets:create', { name: tag, settings, columns, rows: emails.map((m) => [m, 'pro', 'red']) }),
  );
  const args = { sheetId: sheet.id, profileId: profile.id, ...(prod ? { confirmName: 'Acme live' } : {}) };
  const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', args));
  await s.engine.settled(runId);
  for (const m of emails) expect(e.accept(m, instance)).toBe(true);
  const user = (i: number) => findUserByEmail(instance, emails[i]!)!;
  // Row 1: #7956 took everything; row 2: the user changed plan; row 3: team went missing; rows 0 and 4 landed.
  user(1).publicMetadata = {};
  user(2).publicMetadata = { plan: 'free', team: 'red' };
  user(3).publicMetadata = { plan: 'pro' };
  return { s, e, runId, emails, user, progress, profile };
}

const rowsOf = async (t: Awaited<ReturnType<typeof acceptedRun>>) =>
  ok<{ rows: RunRowView[] }>(await dispatch(t.s.handlers, 'runs:get', { runId: t.runId })).rows;

describe('metadata check', () => {
  it('after a sync finds them accepted: each row landed, missing or different, the run’s tally, progress', async () => {
    const t = await acceptedRun();
    const before = t.e.requests.length;
    const early = await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId });
    expect(early).toMatchObject({ ok: false, error: { code: 'nothing_to_check', message: expect.stringMatching(/sync/i) } });
    ok(await dispatch(t.s.handlers, 'history:sync', { runId: t.runId }));
    const summary = ok<CheckSummary>(await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId }));
    expect(summary).toMatchObject({ accepted: 5, landed: 2, missing: 2, differs: 1, line: '5 accepted: 2 landed, 2 missing, 1 differ' });
    expect(t.progress.at(-1)).toEqual({ runId: t.runId, checked: 5, total: 5 });
    expect((await rowsOf(t)).map((r) => r.metadata?.label)).toEqual([
      'metadata landed',
      'missing: plan, team',
      'differs: plan (sent pro, now free)',
      'missing: team',
      'metadata landed',
    ]);
    const again = ok<CheckSummary & { checking: boolean }>(await dispatch(t.s.handlers, 'metadata:summary', { runId: t.runId }));
    expect(again).toMatchObject({ accepted: 5, checking: false, line: summary.line });
    // The check reads only: one users call for the five addresses, nothing written.
    expect(t.e.requests.slice(before).filter((r) => r.method === 'PATCH')).toEqual([]);
  });
});

describe('metadata repair', () => {
  it('reviews before → after, leaves a different key alone unless ticked, writes, then asks to check again', async () => {
    const t = await acceptedRun();
    ok(await dispatch(t.s.handlers, 'history:sync', { runId: t.runId }));
    ok(await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId }));
    const plain = ok<RepairReview>(await dispatch(t.s.handlers, 'metadata:review', { runId: t.runId }));
    expect(plain.rows.map((r) => [r.email, r.writes.map((w) => `${w.key}: ${String(w.before)} → ${String(w.after)}`)])).toEqual([
      [t.emails[1], ['plan: undefined → pro', 'team: undefined → red']],
      [t.emails[3], ['team: undefined → red']],
    ]);
    expect([plain.differing, plain.leftAlone, plain.overwrites]).toEqual([[{ key: 'plan', rows: 1 }], 1, 0]);
    const ticked = ok<RepairReview>(await dispatch(t.s.handlers, 'metadata:review', { runId: t.runId, overwrite: ['plan'] }));
    expect(ticked.rows.find((r) => r.email === t.emails[2])?.writes).toMatchObject([
      { key: 'plan', before: 'free', after: 'pro', kind: 'overwrite' },
    ]);

    const { runId: repairId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'metadata:repair', { runId: t.runId }));
    await t.s.engine.settled(repairId);
    const repaired = ok<{ rows: RunRowView[]; progress: { state: string; op: string } }>(
      await dispatch(t.s.handlers, 'runs:get', { runId: repairId }),
    );
    expect([repaired.progress.state, repaired.progress.op]).toEqual(['finished', 'repair']);
    expect(repaired.rows.map((r) => [r.email, r.state, r.invitationId])).toEqual([
      [t.emails[1], 'sent', t.user(1).id],
      [t.emails[3], 'sent', t.user(3).id],
    ]);
    expect([t.user(1).publicMetadata, t.user(2).publicMetadata, t.user(3).publicMetadata]).toEqual([
      { plan: 'pro', team: 'red' },
      { plan: 'free', team: 'red' },
      { plan: 'pro', team: 'red' },
    ]);
    // No invitation, no email: the repair run is not a send.
    expect(t.e.instance.invitations.filter((i) => t.emails.includes(i.emailAddress))).toHaveLength(5);
    const stale = await dispatch(t.s.handlers, 'metadata:review', { runId: t.runId });
    expect(stale).toMatchObject({ ok: false, error: { code: 'check_again' } });
    const after = ok<CheckSummary>(await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId }));
    expect(after.line).toBe('5 accepted: 4 landed, 1 differ');
    const none = await dispatch(t.s.handlers, 'metadata:repair', { runId: t.runId });
    expect(none).toMatchObject({ ok: false, error: { code: 'nothing_to_send' } });
  });

  it('a key set by the user after the check is left alone, and says so', async () => {
    const t = await acceptedRun();
    ok(await dispatch(t.s.handlers, 'history:sync', { runId: t.runId }));
    ok(await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId }));
    t.user(3).publicMetadata = { plan: 'pro', team: 'blue' };
    const { runId: repairId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'metadata:repair', { runId: t.runId }));
    await t.s.engine.settled(repairId);
    const rows = ok<{ rows: RunRowView[] }>(await dispatch(t.s.handlers, 'runs:get', { runId: repairId })).rows;
    expect(rows.find((r) => r.email === t.emails[3])?.message).toBe('Left alone (changed since the check): team.');
    expect(t.user(3).publicMetadata).toEqual({ plan: 'pro', team: 'blue' });
  });

  it('production: the profile’s name typed first', async () => {
    const t = await acceptedRun(true);
    ok(await dispatch(t.s.handlers, 'history:sync', { runId: t.runId }));
    ok(await dispatch(t.s.handlers, 'metadata:check', { runId: t.runId }));
    const before = t.e.requests.length;
    const refused = await dispatch(t.s.handlers, 'metadata:repair', { runId: t.runId, confirmName: 'acme' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required', field: 'confirmName' } });
    expect(t.e.requests.slice(before).filter((r) => r.method === 'PATCH')).toEqual([]);
    const { runId } = ok<{ runId: string }>(await dispatch(t.s.handlers, 'metadata:repair', { runId: t.runId, confirmName: 'Acme live' }));
    await t.s.engine.settled(runId);
    expect(t.user(1).publicMetadata).toEqual({ plan: 'pro', team: 'red' });
  });
});
