/**
 * Waitlist runs on the engine against the emulator (issue 23, items 2, 4 and 5): invite, reject and add, each
 * entry done once; an entry already where the run would put it is done with a note; a locked entry waits and is
 * tried again, saying so; an unknown outcome is looked up before any retry; pacing draws no 429 under both
 * variants of `/invite` (general limit only, or also the invitation budget).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClerkEmulator } from '../../../src/main/emulator/server.ts';
import { addWaitlistEntry } from '../../../src/main/emulator/waitlist.ts';
import type { RunOp } from '../../../src/shared/domain/send/limits.ts';
import type { RowRequest, WaitlistPace } from '../../../src/shared/domain/sheet/validate.ts';
import { engineOnEmulator, type makeRunFixture } from '../../helpers/runFixture.ts';

export const entryRequest = (email: string, id: string, extra: Partial<RowRequest> = {}): RowRequest => ({
  emailAddress: email,
  publicMetadata: {},
  privateMetadata: {},
  notify: true,
  ignoreExisting: false,
  waitlistEntryId: id,
  ...extra,
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  o: {
    hourly?: number;
    general?: number;
    invitationsLimit?: number;
    generalLimit?: number;
    limits?: Parameters<typeof makeRunFixture>[0]['limits'];
  } = {},
) {
  const { emulator, fx } = await engineOnEmulator(cleanups, o.limits ? { limits: o.limits } : {}, {
    rateLimits: {
      hourlyWindowMs: o.hourly ?? 600,
      generalWindowMs: o.general ?? 10_000,
      limits: { 'invitations.create': o.invitationsLimit ?? 100, general: o.generalLimit ?? 1000 },
    },
    instances: [{ monthlyEmailCap: null }],
  });
  return { emulator, f: fx };
}

async function runOp(e: ClerkEmulator, f: ReturnType<typeof makeRunFixture>, op: RunOp, rows: RowRequest[], windowMs: number) {
  const id = f.createRun(rows, { op, windowMs, instanceId: e.instance.id });
  await f.engine.start(id);
  await f.engine.settled(id);
  return { run: f.repo.get(id)!, rows: f.repo.rows(id) };
}

const entries = (e: ClerkEmulator, n: number, prefix = 'w') =>
  Array.from({ length: n }, (_, i) => addWaitlistEntry(e.instance, `${prefix}${i}@wait.test`, Date.now() - 86_400_000));
const invites = (e: ClerkEmulator, pace: WaitlistPace, n: number) =>
  entries(e, n).map((x) => entryRequest(x.emailAddress, x.id, { waitlistPace: pace }));
const refusedInvites = (e: ClerkEmulator) => e.requests.filter((r) => /\/invite$/.test(r.path) && r.status === 400).length;
const tooMany = (e: ClerkEmulator) => e.requests.filter((r) => r.status === 429).length;

describe('waitlist invite runs', () => {
  it('invites each pending entry once, with its real invitation; an entry already invited is done with a note, not invited again', async () => {
    const { emulator: e, f } = await setup();
    const rows = invites(e, 'general', 5);
    const already = e.instance.waitlist[2]!;
    already.status = 'invited';
    const { run, rows: out } = await runOp(e, f, 'waitlist_invite', rows, 10_000);
    expect(run.state).toBe('finished');
    expect(run.op).toBe('waitlist_invite');
    expect(run.counts).toMatchObject({ sent: 5, failed: 0 });
    expect(e.instance.waitlist.map((x) => x.status)).toEqual(['invited', 'invited', 'invited', 'invited', 'invited']);
    expect(e.instance.invitations).toHaveLength(4);
    expect(out[2]!.message).toMatch(/^Already invited/);
    const byEmail = new Map(e.instance.invitations.map((i) => [i.emailAddress, i.id]));
    expect(out.filter((r) => r.idx !== 2).every((r) => r.invitationId === byEmail.get(r.email))).toBe(true);
    expect(e.instance.waitlist.map((x) => x.actions)).toEqual([1, 1, 0, 1, 1]);
  });

  it('a locked entry (409) waits and is tried again later, saying so, and is then invited once', async () => {
    const { emulator: e, f } = await setup();
    const rows = invites(e, 'general', 3);
    const locked = e.instance.waitlist[1]!;
    locked.lockedUntil = Date.now() + 400;
    const seen: string[] = [];
    const id = f.createRun(rows, { op: 'waitlist_invite', windowMs: 10_000, instanceId: e.instance.id });
    const watch = setInterval(() => {
      const m = f.repo.rows(id)[1]?.message;
      if (m) seen.push(m);
    }, 10);
    await f.engine.start(id);
    await f.engine.settled(id);
    clearInterval(watch);
    expect(e.requests.some((r) => r.path.endsWith(`${locked.id}/invite`) && r.status === 409)).toBe(true);
    expect(seen.some((m) => /Locked in Clerk.*tried again later/.test(m))).toBe(true);
    expect(f.repo.get(id)!.counts).toMatchObject({ sent: 3, failed: 0 });
    expect(locked.actions).toBe(1);
  });

  it('an entry Clerk no longer has fails its row with the next step; the run goes on', async () => {
    const { emulator: e, f } = await setup();
    const rows = invites(e, 'general', 3);
    e.instance.waitlist.splice(0, 1);
    const { run, rows: out } = await runOp(e, f, 'waitlist_invite', rows, 10_000);
    expect(run.counts).toMatchObject({ sent: 2, failed: 1 });
    expect(out[0]!.message).toMatch(/no such waitlist entry.*sync the waitlist/);
  });

  it('an unknown outcome (the answer lost, committed late) is looked up, never invited twice', async () => {
    const { emulator: e, f } = await setup();
    const rows = invites(e, 'general', 30);
    e.faults.inject({ kind: 'late_commit', delayMs: 100, path: /\/invite$/, probability: 0.3 });
    e.faults.inject({ kind: 'reset_after_commit', path: /\/invite$/, probability: 0.2 });
    const { run } = await runOp(e, f, 'waitlist_invite', rows, 10_000);
    await expect.poll(() => e.pendingLateCommits()).toBe(0);
    expect(run.counts).toMatchObject({ sent: 30, failed: 0 });
    expect(e.instance.waitlist.every((x) => x.actions === 1)).toBe(true);
    expect(e.instance.invitations).toHaveLength(30);
    expect(refusedInvites(e)).toBe(0); // never asked Clerk to invite an entry it had already invited
  });

  for (const [variant, pace, limits] of [
    ['general limit only', 'general', { 'invitations.create': 5 }],
    ['also the invitation budget', 'invitations', { 'invitations.create': 10 }],
  ] as const) {
    it(`paces invites with no 429 when /invite draws ${variant}`, async () => {
      // The engine keeps under Clerk's limits as the app knows them: 18 of 20 general requests per window here.
      const { emulator: e, f } = await setup({
        general: 500,
        generalLimit: 20,
        invitationsLimit: limits['invitations.create'],
        hourly: 500,
        limits: { general: 18, 'app.single': limits['invitations.create'] },
      });
      e.behaviour.waitlistInviteBudget = pace;
      const rows = invites(e, pace, 40);
      const started = Date.now();
      const id = f.createRun(rows, { op: 'waitlist_invite', windowMs: 500, instanceId: e.instance.id });
      await f.engine.start(id);
      await f.engine.settled(id);
      expect(f.repo.get(id)!.counts).toMatchObject({ sent: 40, failed: 0 });
      expect(tooMany(e)).toBe(0);
      // It did wait for the windows: 40 on 10 (budget) or 18 (general) per 500 ms takes several windows.
      expect(Date.now() - started).toBeGreaterThan(pace === 'invitations' ? 1500 : 500);
    });
  }
});

describe('waitlist reject and add runs', () => {
  it('rejects each entry once; one already rejected is done with a note; invited ones lose their invitation', async () => {
    const { emulator: e, f } = await setup();
    const list = entries(e, 4);
    list[0]!.status = 'rejected';
    e.faults.inject({ kind: 'late_commit', delayMs: 80, path: /\/reject$/, times: 1 });
    const { run, rows } = await runOp(
      e,
      f,
      'waitlist_reject',
      list.map((x) => entryRequest(x.emailAddress, x.id)),
      10_000,
    );
    await expect.poll(() => e.pendingLateCommits()).toBe(0);
    expect(run.counts).toMatchObject({ sent: 4, failed: 0 });
    expect(e.instance.waitlist.every((x) => x.status === 'rejected')).toBe(true);
    expect(rows[0]!.message).toMatch(/^Already rejected/);
    expect(list.slice(1).map((x) => x.actions)).toEqual([1, 1, 1]);
  });

  it('adds addresses in bulk calls; those already on the waitlist come back as they were, reported so', async () => {
    const { emulator: e, f } = await setup();
    const old = addWaitlistEntry(e.instance, 'old@wait.test', Date.now() - 86_400_000 * 3);
    const emails = ['old@wait.test', ...Array.from({ length: 24 }, (_, i) => `new${i}@wait.test`)];
    const { run, rows } = await runOp(
      e,
      f,
      'waitlist_add',
      emails.map((m) => ({ emailAddress: m, publicMetadata: {}, privateMetadata: {}, notify: false, ignoreExisting: false })),
      10_000,
    );
    expect(run.counts).toMatchObject({ sent: 25, failed: 0 });
    expect(e.instance.waitlist).toHaveLength(25);
    expect(rows[0]!.invitationId).toBe(old.id);
    expect(rows[0]!.message).toMatch(/^Already on the waitlist \(pending, since /);
    expect(rows.slice(1).every((r) => r.message === null && /^wle_/.test(r.invitationId ?? ''))).toBe(true);
    expect(e.instance.waitlist.filter((x) => x.emailAddress.startsWith('new')).every((x) => !x.notified)).toBe(true);
    const bulkCalls = e.requests.filter((r) => r.path.endsWith('/waitlist_entries/bulk'));
    expect(bulkCalls.length).toBe(1); // 25 addresses, up to 50 a call
  });
});
