/**
 * The waitlist service through its IPC channels (issue 23): a sync pages through Clerk 500 at a time with progress
 * and keeps the last sync's time; the local copy is searched by email or domain and filtered by status and date;
 * a review skips entries not pending with their status and says which pace its plan assumes; runs invite, reject
 * (production asks for the profile's name) and add (deduplicated, “already on the waitlist”).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { addWaitlistEntry } from '../../../src/main/emulator/waitlist.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { WaitlistPage, WaitlistReview, WaitlistState, WaitlistSyncProgress } from '../../../src/shared/domain/waitlist/types.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { ok } from '../../helpers/result.ts';

const devEmu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const prodEmu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const DAY = 86_400_000;

async function withProfile(emu: typeof devEmu, name: string) {
  const s = makeServices(createMemorySecretStore());
  open.push(s);
  const p = await s.profiles.add({ name, secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl });
  return { s, profileId: p.id };
}

describe('waitlist service', () => {
  it('syncs 1,234 entries in pages of 500 with progress, keeps the time, and drops what Clerk no longer lists', async () => {
    const e = devEmu.current;
    const t0 = Date.now() - 30 * DAY;
    for (let i = 0; i < 1234; i++) addWaitlistEntry(e.instance, `p${i}@${['acme', 'globex', 'initech'][i % 3]}.test`, t0 + i * 60_000);
    const { s, profileId } = await withProfile(devEmu, 'Dev');
    const before = e.requests.length;
    const st = ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    expect(st.counts).toMatchObject({ total: 1234, pending: 1234 });
    expect(st.lastSync?.total).toBe(1234);
    expect(e.requests.slice(before).filter((r) => r.path === '/v1/waitlist_entries')).toHaveLength(3);
    const progress = s.events.filter((x) => x.event === 'waitlist:syncProgress').map((x) => x.payload as WaitlistSyncProgress);
    expect(progress.map((p) => p.fetched)).toEqual([500, 1000, 1234, 1234]);
    expect(progress.at(-1)).toMatchObject({ done: true, total: 1234 });

    // Search by domain, by part of an address, filter by status and request date: from the local copy.
    const get = async (filter: object, offset = 0, limit = 50) =>
      ok<WaitlistPage>(await dispatch(s.handlers, 'waitlist:page', { profileId, filter, offset, limit }));
    expect((await get({ search: '@acme.test' })).total).toBe(412);
    expect((await get({ search: 'P12' })).rows.every((r) => r.email.includes('p12'))).toBe(true);
    const recent = await get({ after: t0 + 1000 * 60_000 });
    expect(recent.total).toBe(234);
    expect(recent.rows[0]!.email).toBe('p1233@acme.test'); // newest request first
    expect((await get({ before: t0 + 10 * 60_000 })).total).toBe(10);

    // Deleted in Clerk since: gone from the copy at the next sync, which Clerk first asks to wait (429): obeyed.
    e.instance.waitlist.splice(0, 34);
    e.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 1, times: 1, path: '/waitlist_entries' });
    const at = e.requests.length;
    expect(ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:sync', { profileId })).counts.total).toBe(1200);
    const pages = e.requests.slice(at).filter((r) => r.path === '/v1/waitlist_entries');
    expect(pages.map((r) => r.status)).toEqual([429, 200, 200, 200]);
  });

  it('reviews and runs an invite of all pending: entries not pending skipped with their status; the plan says its pace', async () => {
    const e = devEmu.current;
    e.instance.waitlist = [];
    const list = Array.from({ length: 12 }, (_, i) => addWaitlistEntry(e.instance, `r${i}@review.test`, Date.now() - DAY + i));
    list[0]!.status = 'invited';
    list[1]!.status = 'rejected';
    const { s, profileId } = await withProfile(devEmu, 'Dev2');
    ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    const review = ok<WaitlistReview>(
      await dispatch(s.handlers, 'waitlist:review', {
        profileId,
        action: 'invite',
        selection: { kind: 'ids', ids: list.map((x) => x.id) },
      }),
    );
    expect(review.toSend).toBe(10);
    expect(review.skipped.map((g) => [g.reason, g.count])).toEqual([
      ['Already invited', 1],
      ['Already rejected', 1],
    ]);
    expect(review.pace).toBe('invitations');
    expect(review.paceNote).toMatch(/100 invites an hour/);
    expect(review.plan).toMatchObject({ endpoint: 'app.single', calls: 10, limit: 100 });
    const general = ok<WaitlistReview>(
      await dispatch(s.handlers, 'waitlist:review', {
        profileId,
        action: 'invite',
        selection: { kind: 'filter', filter: { status: 'pending' } },
        pace: 'general',
      }),
    );
    expect(general.plan).toMatchObject({ endpoint: 'general', calls: 10 });
    expect(general.paceNote).toMatch(/general limit/);

    const { runId } = ok<{ runId: string }>(
      await dispatch(s.handlers, 'waitlist:start', {
        profileId,
        action: 'invite',
        selection: { kind: 'filter', filter: { status: 'pending' } },
        pace: 'general',
      }),
    );
    await s.engine.settled(runId);
    const run = (await s.runs.list()).find((r) => r.id === runId)!;
    expect(run).toMatchObject({ op: 'waitlist_invite', sheetName: 'Waitlist: invite 10 (pending)', state: 'finished' });
    expect(run.counts).toMatchObject({ sent: 10, skipped: 0 });
    expect(e.instance.waitlist.filter((x) => x.status === 'invited')).toHaveLength(11);
    // The run's outcome is in the local copy at once (before any sync), then the sync confirms it from Clerk.
    expect(ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:state', { profileId })).counts).toMatchObject({
      invited: 11,
      pending: 0,
    });
    expect(ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:sync', { profileId })).counts).toMatchObject({ invited: 11, pending: 0 });
    const again = await dispatch(s.handlers, 'waitlist:start', {
      profileId,
      action: 'invite',
      selection: { kind: 'filter', filter: { status: 'pending' } },
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'nothing_to_send' } });
  });

  it('reject on production asks for the profile’s name first, and sends nothing without it', async () => {
    const e = prodEmu.current;
    const list = Array.from({ length: 3 }, (_, i) => addWaitlistEntry(e.instance, `x${i}@prod.test`, Date.now() - DAY));
    const { s, profileId } = await withProfile(prodEmu, 'Acme live');
    ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    const selection = { kind: 'emails', emails: ['x0@prod.test', 'X1@PROD.test', 'nobody@prod.test', 'not an email'] };
    const review = ok<WaitlistReview>(await dispatch(s.handlers, 'waitlist:review', { profileId, action: 'reject', selection }));
    expect(review).toMatchObject({ toSend: 2, environment: 'production', profileName: 'Acme live' });
    expect(review.skipped.map((g) => g.reason).sort()).toEqual(['Not a valid email address', 'Not on the waitlist (at the last sync)']);
    const refused = await dispatch(s.handlers, 'waitlist:start', { profileId, action: 'reject', selection, confirmName: 'acme' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required', field: 'confirmName' } });
    expect(e.instance.waitlist.every((x) => x.status === 'pending')).toBe(true);
    const { runId } = ok<{ runId: string }>(
      await dispatch(s.handlers, 'waitlist:start', { profileId, action: 'reject', selection, confirmName: 'Acme live' }),
    );
    await s.engine.settled(runId);
    expect(list.map((x) => x.status)).toEqual(['rejected', 'rejected', 'pending']);
    const run = (await s.runs.list()).find((r) => r.id === runId)!;
    expect(run.counts).toMatchObject({ sent: 2, skipped: 2 });
  });

  it('adds a sheet’s addresses: deduplicated first, those already on the waitlist reported, notify as chosen', async () => {
    const e = devEmu.current;
    e.instance.waitlist = [];
    addWaitlistEntry(e.instance, 'old@add.test', Date.now() - DAY);
    const { s, profileId } = await withProfile(devEmu, 'Dev3');
    ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    const sheet = ok<{ id: string }>(
      await dispatch(s.handlers, 'sheets:create', {
        name: 'Prospects',
        settings: (await import('../../../src/shared/domain/sheet/types.ts')).defaultSettings(),
        columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: [['new1@add.test'], ['NEW1@add.test'], ['old@add.test'], ['new2@add.test'], ['']],
      }),
    );
    const selection = { kind: 'sheet', sheetId: sheet.id };
    const review = ok<WaitlistReview>(
      await dispatch(s.handlers, 'waitlist:review', { profileId, action: 'add', selection, notify: false }),
    );
    expect(review).toMatchObject({ toSend: 2, notify: false });
    expect(review.skipped).toEqual([{ reason: 'Already on the waitlist (pending)', count: 1, sample: ['old@add.test'] }]);
    const { runId } = ok<{ runId: string }>(
      await dispatch(s.handlers, 'waitlist:start', { profileId, action: 'add', selection, notify: false }),
    );
    await s.engine.settled(runId);
    expect(e.instance.waitlist.map((x) => [x.emailAddress, x.notified])).toEqual([
      ['old@add.test', false],
      ['new1@add.test', false],
      ['new2@add.test', false],
    ]);
    const bulk = e.requests.filter((r) => r.path === '/v1/waitlist_entries/bulk');
    expect(bulk.at(-1)?.status).toBe(200);
  });
});

describe('waitlist run follow-ups', () => {
  it('retry failed makes a waitlist run of the same kind for the failed entries; a reject run offers no revoke', async () => {
    const e = devEmu.current;
    e.instance.waitlist = [];
    const list = Array.from({ length: 4 }, (_, i) => addWaitlistEntry(e.instance, `f${i}@retry.test`, Date.now() - DAY));
    const { s, profileId } = await withProfile(devEmu, 'Dev4');
    ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    // Two entries refuse the invite the first time (an existing pending invitation, no ignore_existing).
    e.instance.invitations.push(
      ...list.slice(0, 2).map((x, i) => ({
        id: `inv_pre${i}`,
        emailAddress: x.emailAddress,
        publicMetadata: {},
        status: 'pending' as const,
        ticket: `t${i}`,
        expiresAt: null,
        createdAt: Date.now() - DAY,
        updatedAt: Date.now() - DAY,
        emailsSent: 0,
      })),
    );
    const selection = { kind: 'filter', filter: { status: 'pending' } };
    const first = ok<{ runId: string }>(
      await dispatch(s.handlers, 'waitlist:start', { profileId, action: 'invite', selection, pace: 'general' }),
    );
    await s.engine.settled(first.runId);
    expect((await s.runs.list()).find((r) => r.id === first.runId)!.counts).toMatchObject({ sent: 2, failed: 2 });
    for (const inv of e.instance.invitations.filter((x) => x.id.startsWith('inv_pre'))) inv.status = 'revoked';
    const retry = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:followUp', { runId: first.runId, which: 'failed' }));
    await s.engine.settled(retry.runId);
    const again = (await s.runs.list()).find((r) => r.id === retry.runId)!;
    expect(again).toMatchObject({ op: 'waitlist_invite', parentRunId: first.runId });
    expect(again.counts).toMatchObject({ sent: 2, failed: 0 });
    expect(list.every((x) => x.status === 'invited' && x.actions === 1)).toBe(true);

    // Entries invited since are no longer pending (the runs' outcome is in the local copy): a new one to reject.
    const late = addWaitlistEntry(e.instance, 'late@retry.test', Date.now());
    ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
    const rej = ok<{ runId: string }>(
      await dispatch(s.handlers, 'waitlist:start', { profileId, action: 'reject', selection: { kind: 'ids', ids: [late.id] } }),
    );
    await s.engine.settled(rej.runId);
    expect(await dispatch(s.handlers, 'runs:followUp', { runId: rej.runId, which: 'revoke_pending' })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_send' },
    });
  });
});

describe('invite with metadata (issue 23, item 3)', () => {
  for (const moves of [true, false]) {
    it(`makes a waitlist_invitation sheet of the selected pending entries; after its run the waitlist is synced (template ${moves ? 'moves' : 'leaves'} the entry)`, async () => {
      const e = devEmu.current;
      e.instance.waitlist = [];
      e.behaviour.waitlistTemplateMovesEntry = moves;
      const list = Array.from({ length: 3 }, (_, i) => addWaitlistEntry(e.instance, `m${i}-${moves}@meta.test`, Date.now() - DAY));
      list[2]!.status = 'rejected';
      const { s, profileId } = await withProfile(devEmu, `Meta ${moves}`);
      ok(await dispatch(s.handlers, 'waitlist:sync', { profileId }));
      const sheet = ok<{ id: string }>(
        await dispatch(s.handlers, 'waitlist:toSheet', { profileId, selection: { kind: 'ids', ids: list.map((x) => x.id) } }),
      );
      const doc = await s.sheets.get(sheet.id);
      expect(doc.settings).toMatchObject({ kind: 'app', templateSlug: 'waitlist_invitation' });
      // The pending ones (the rejected one is not), those who waited longest first.
      expect(doc.rows.map((r) => r[0]).sort()).toEqual([list[0]!.emailAddress, list[1]!.emailAddress]);
      const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'runs:start', { sheetId: sheet.id, profileId }));
      await s.engine.settled(runId);
      expect(e.instance.invitations.filter((i) => i.emailAddress.endsWith(`-${moves}@meta.test`))).toHaveLength(2);
      // The sync after the run shows what Clerk did to the entries, whichever way it goes.
      await expect
        .poll(async () => ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:state', { profileId })).lastSync?.at ?? 0)
        .toBeGreaterThan((await s.runs.list()).find((r) => r.id === runId)!.createdAt);
      const counts = ok<WaitlistState>(await dispatch(s.handlers, 'waitlist:state', { profileId })).counts;
      expect(counts).toMatchObject(moves ? { invited: 2, pending: 0 } : { invited: 0, pending: 2 });
      e.behaviour.waitlistTemplateMovesEntry = true;
    });
  }
});
