/**
 * Bulk actions on the Invitations page's selection (issue 25, item 2), through main's handlers on the Sandbox: a
 * review that says what each invitee receives and what is left out; remind = a fresh invitation, then the older one
 * revoked by a second run (one valid link each); resend = a new invitation carrying the metadata; revoke.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { effectiveStatus, type EmuInstance } from '../../../src/main/emulator/store.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { ActionReview, InventoryPage } from '../../../src/shared/domain/inventory/types.ts';
import type { RunRowsPage } from '../../../src/shared/domain/send/types.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import type { Storage } from '../../../src/main/services/runs/engine/ports.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { call } from '../../helpers/http.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const ok = <T>(r: { ok: boolean }) => {
  expect(r).toMatchObject({ ok: true });
  return (r as { ok: true; value: T }).value;
};

async function synced(storage?: Storage) {
  const s = makeServices(createMemorySecretStore(), undefined, { runWindowMs: 400, ...(storage ? { storage } : {}) });
  open.push(s);
  ok(await dispatch(s.handlers, 'profiles:list', undefined));
  await s.inventory.sync('sandbox');
  const emu = s.sandboxEmulator()!;
  const list = async (q: object) =>
    ok<InventoryPage>(await dispatch(s.handlers, 'inventory:list', { profileId: 'sandbox', limit: 1000, ...q }));
  /** Every run ended, the reminders' second runs included. */
  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      const going = (await s.runs.list()).filter((r) => r.state === 'running');
      if (going.length === 0 && (await s.settleReminders()).length === 0) return;
      await Promise.all(going.map((r) => s.engine.settled(r.id)));
    }
  };
  return { s, emu, list, settle };
}

const byEmail = (i: EmuInstance, email: string) => i.invitations.filter((x) => x.emailAddress === email);

/** The workspace's storage: this computer's database, or a team's PostgreSQL (its runs are not in this computer's). */
const workspaces: [string, () => Promise<Storage | undefined>][] = [
  ['this computer', async () => undefined],
  [
    'a team workspace',
    async () => {
      const pool = await freshPgPool(4);
      open.push({ close: () => pool.end() });
      await migratePg(pool);
      return pgStorage(pool);
    },
  ],
];

describe.each(workspaces)('remind on %s', (_name, storage) => {
  it('remind: a review saying what the invitee receives; one fresh invitation each, the older one revoked', async () => {
    const { s, emu, list, settle } = await synced(await storage());
    const pending = (await list({ status: ['pending'], kind: 'app', olderThanDays: 1 })).rows.slice(0, 12);
    const accepted = (await list({ status: ['accepted'] })).rows.slice(0, 3);
    const org = (await list({ kind: 'org', status: ['pending'] })).rows.slice(0, 2);
    const ids = [...pending, ...accepted, ...org].map((r) => r.id);
    const review = ok<ActionReview>(await dispatch(s.handlers, 'inventory:review', { profileId: 'sandbox', ids, action: 'remind' }));
    expect(review.take).toBe(12);
    expect(review.receives).toMatch(/One new invitation email.*older email stops working/);
    expect(review.steps).toHaveLength(2);
    expect(review.leftOut).toEqual(
      expect.arrayContaining([
        { reason: 'accepted: nothing to remind', count: 3 },
        { reason: expect.stringMatching(/^organization invitations/), count: 2 },
      ]),
    );
    expect(review.notes.join(' ')).toMatch(/made outside Invite Desk.*redirect URL/);
    const { runId } = ok<{ runId: string }>(await dispatch(s.handlers, 'inventory:act', { profileId: 'sandbox', ids, action: 'remind' }));
    await settle();
    // The second run (the older invitations revoked) is launched at the first one's end: until it has ended too.
    await expect.poll(async () => (await s.runs.list()).find((r) => r.parentRunId === runId)?.state).toBe('finished');
    const now = Date.now();
    for (const r of pending) {
      const all = byEmail(emu.instance, r.email);
      expect(all).toHaveLength(2); // the old one and exactly one fresh one
      const fresh = all.find((x) => x.id !== r.id)!;
      expect(effectiveStatus(fresh, now)).toBe('pending');
      expect(fresh.emailsSent).toBe(1);
      expect(fresh.publicMetadata).toEqual(JSON.parse(r.publicMetadata));
      expect(all.find((x) => x.id === r.id)!.status).toBe('revoked');
    }
    const runs = await s.runs.list();
    const second = runs.find((r) => r.parentRunId === runId)!;
    expect(second).toMatchObject({ op: 'revoke', state: 'finished', counts: { sent: 12 } });
    // Settling again launches nothing more.
    expect(await s.settleReminders()).toEqual([]);
    expect(await s.runs.list()).toHaveLength(2);
  });

  it('remind: a person reminded since the copy was read (a teammate, the Dashboard) gets no second email', async () => {
    // Two computers' reminder rules, or a reminder after a crash: the copy said the old invitation was pending, but a
    // newer one had been made meanwhile; the run made a third and the person got a second reminder.
    const { s, emu, list, settle } = await synced(await storage());
    const [ann, ben] = (await list({ status: ['pending'], kind: 'app', olderThanDays: 1 })).rows;
    const made = await call(emu.origin, 'POST', '/v1/invitations', {
      key: emu.instance.secretKey,
      body: { email_address: ann!.email, ignore_existing: true },
    });
    expect(made.status).toBe(200);
    const { runId } = ok<{ runId: string }>(
      await dispatch(s.handlers, 'inventory:act', { profileId: 'sandbox', ids: [ann!.id, ben!.id], action: 'remind' }),
    );
    await settle();
    await expect.poll(async () => (await s.runs.list()).find((r) => r.parentRunId === runId)?.state).toBe('finished');
    // Ann: her old invitation and the newer one, no third; Ben: reminded as asked.
    expect(
      byEmail(emu.instance, ann!.email)
        .map((x) => x.id)
        .sort(),
    ).toEqual([ann!.id, made.body.id].sort());
    expect(byEmail(emu.instance, ben!.email)).toHaveLength(2);
    const page = ok<RunRowsPage>(await dispatch(s.handlers, 'runs:get', { runId }));
    expect(page.rows.find((r) => r.email === ann!.email)?.message).toMatch(/Reminded already/);
  });
});

describe('bulk actions on a selection', () => {
  it('resend: a new invitation for each revoked or expired one, carrying its metadata; revoke: pending ones revoked', async () => {
    const { s, emu, list, settle } = await synced();
    const gone = (await list({ status: ['revoked', 'expired'], kind: 'app' })).rows.slice(0, 8);
    const r1 = ok<{ runId: string }>(
      await dispatch(s.handlers, 'inventory:act', { profileId: 'sandbox', ids: gone.map((r) => r.id), action: 'resend' }),
    );
    await settle();
    expect((await s.runs.list()).find((r) => r.id === r1.runId)).toMatchObject({ state: 'finished', counts: { sent: 8 } });
    for (const r of gone) {
      const fresh = byEmail(emu.instance, r.email).filter((x) => effectiveStatus(x, Date.now()) === 'pending');
      expect(fresh).toHaveLength(1);
      expect(fresh[0]!.publicMetadata).toEqual(JSON.parse(r.publicMetadata));
    }
    const org = (await list({ kind: 'org', status: ['pending'] })).rows.slice(0, 5);
    await dispatch(s.handlers, 'inventory:act', { profileId: 'sandbox', ids: org.map((r) => r.id), action: 'revoke' });
    await settle();
    for (const r of org) expect(emu.instance.orgInvitations.find((x) => x.id === r.id)!.status).toBe('revoked');
    // Nothing of the selection qualifies: said, with why.
    const again = await dispatch(s.handlers, 'inventory:act', {
      profileId: 'sandbox',
      ids: gone.slice(0, 1).map((r) => r.id),
      action: 'remind',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'nothing_to_send' } });
  });
});
