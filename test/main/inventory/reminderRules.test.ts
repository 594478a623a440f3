/**
 * Reminder rules against a fake wall clock (issue 25, item 3): “still pending after 7 days, at most twice” sends one
 * reminder when due, none before, a second a week later and never a third; not across a restart, a clock set back and
 * forth, or two evaluations at once. The clock moves on by itself (runs pace on it) and jumps when the test says.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/adapters/sqliteDb.ts';
import { startClerkEmulator, type ClerkEmulator } from '../../../src/main/emulator/server.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMainServices } from '../../../src/main/services/mainServices.ts';
import { createMemorySecretStore, type SecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import type { ProfileView } from '../../../src/shared/domain/profile.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const DAY = 86_400_000;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function fakeWall() {
  const realStart = Date.now();
  let offset = Date.UTC(2026, 11, 5, 9) - realStart;
  return { now: () => Date.now() + offset, jump: (ms: number) => (offset += ms) };
}

async function world() {
  const wall = fakeWall();
  const emu = await startClerkEmulator({ now: wall.now, rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
  cleanup.push(() => emu.close());
  emu.seedOutside({ count: 15, orgShare: 0, accepted: 0, revoked: 0, expired: 0, spanDays: 1 });
  for (const x of emu.instance.invitations) {
    x.createdAt = wall.now() - 8 * DAY; // pending for 8 days: due under a 7-day rule
    x.expiresAt = x.createdAt + 30 * DAY;
  }
  const dir = makeTempDir();
  cleanup.push(async () => dir.remove());
  const secrets = createMemorySecretStore();
  const boot = async (s: SecretStore) => {
    const services = createMainServices({
      db: openDatabase(join(dir.path, 'app.sqlite')),
      secrets: s,
      emit: () => {},
      appVersion: '0.0.0-test',
      platform: 'linux',
      now: wall.now,
      runWindowMs: 400,
    });
    return services;
  };
  let s = await boot(secrets);
  const profile = (await dispatch(s.handlers, 'profiles:add', { name: 'Dev', secretKey: emu.instance.secretKey, baseUrl: emu.apiUrl })) as {
    ok: true;
    value: ProfileView;
  };
  const profileId = profile.value.id;
  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      const going = (await s.runs.list()).filter((r) => r.state === 'running');
      if (going.length === 0 && (await s.settleReminders()).length === 0) return;
      await Promise.all(going.map((r) => s.engine.settled(r.id)));
    }
  };
  /** Reminders each invitee got so far (their invitations beyond the first), and how many of theirs are pending. */
  const perPerson = () => {
    const by = new Map<string, { n: number; pending: number }>();
    const now = wall.now();
    for (const x of emu.instance.invitations) {
      const e = by.get(x.emailAddress) ?? { n: 0, pending: 0 };
      e.n++;
      if (x.status === 'pending' && x.expiresAt! > now) e.pending++;
      by.set(x.emailAddress, e);
    }
    return [...by.values()];
  };
  const reminders = () => [...new Set(perPerson().map((p) => p.n - 1))];
  return {
    dbPath: join(dir.path, 'app.sqlite'),
    wall,
    emu: emu as ClerkEmulator,
    profileId,
    get s() {
      return s;
    },
    settle,
    reminders,
    onePending: () => perPerson().every((p) => p.pending === 1),
    async restart() {
      await s.close();
      s = await boot(secrets);
    },
    close: () => s.close(),
  };
}

describe('reminder rules', () => {
  it('7 days, at most twice: one reminder when due, none before, a second a week later, never a third; the next due time shown', async () => {
    const w = await world();
    cleanup.push(() => w.close());
    await w.s.reminders.save({ profileId: w.profileId, afterDays: 7, maxReminders: 2, enabled: true });
    expect((await w.s.reminders.list(w.profileId))[0]!.nextDueAt).toBeNull(); // nothing in the local copy yet
    await w.s.inventory.sync(w.profileId);
    expect((await w.s.reminders.list(w.profileId))[0]).toMatchObject({ dueNow: 15, sent: 0 });
    expect(await w.s.reminders.evaluate()).toHaveLength(1);
    await w.settle();
    expect(w.reminders()).toEqual([1]);
    expect(w.onePending()).toBe(true); // one valid link each
    expect(await w.s.reminders.evaluate()).toEqual([]); // not due again yet
    await w.s.inventory.sync(w.profileId);
    const rule = (await w.s.reminders.list(w.profileId))[0]!;
    expect(rule).toMatchObject({ dueNow: 0, sent: 15 });
    expect(rule.nextDueAt! - w.wall.now()).toBeGreaterThan(7 * DAY - 60_000);
    expect(rule.nextDueAt! - w.wall.now()).toBeLessThanOrEqual(7 * DAY);

    w.wall.jump(6 * DAY);
    expect(await w.s.reminders.evaluate()).toEqual([]);
    w.wall.jump(1 * DAY + 60_000);
    expect(await w.s.reminders.evaluate()).toHaveLength(1);
    await w.settle();
    expect(w.reminders()).toEqual([2]);
    w.wall.jump(8 * DAY);
    expect(await w.s.reminders.evaluate()).toEqual([]);
    await w.settle();
    expect(w.reminders()).toEqual([2]);
    expect(w.onePending()).toBe(true);
  }, 60_000);

  it('never more than the rule says across a restart, a clock set back and forth, and two evaluations at once', async () => {
    const w = await world();
    cleanup.push(() => w.close());
    await w.s.reminders.save({ profileId: w.profileId, afterDays: 7, maxReminders: 2, enabled: true });
    await w.s.inventory.sync(w.profileId);
    // Two evaluations at once: one reminder run between them.
    const [a, b] = await Promise.all([w.s.reminders.evaluate(), w.s.reminders.evaluate()]);
    expect([...a, ...b]).toHaveLength(1);
    await w.settle();
    expect(w.reminders()).toEqual([1]);
    // Restarted: nothing due again.
    await w.restart();
    expect(await w.s.reminders.evaluate()).toEqual([]);
    // The clock set back a month, then forward to where it was: still nothing.
    w.wall.jump(-30 * DAY);
    expect(await w.s.reminders.evaluate()).toEqual([]);
    w.wall.jump(30 * DAY);
    expect(await w.s.reminders.evaluate()).toEqual([]);
    // A week on: the second, once, whatever happens at once.
    w.wall.jump(7 * DAY + 60_000);
    const both = await Promise.all([w.s.reminders.evaluate(), w.s.reminders.evaluate(), w.s.reminders.evaluate()]);
    expect(both.flat()).toHaveLength(1);
    await w.settle();
    await w.restart();
    w.wall.jump(60 * DAY);
    expect(await w.s.reminders.evaluate()).toEqual([]);
    expect(w.reminders()).toEqual([2]);
  }, 60_000);

  it('on a run: only the people that run sent are reminded, the second time too (their fresh invitation is another run’s)', async () => {
    const w = await world();
    cleanup.push(() => w.close());
    const mine = w.emu.instance.invitations.slice(0, 4);
    const db = openDatabase(w.dbPath);
    db.exec(`INSERT INTO runs (id, profile_id, profile_name, environment, instance_id, kind, sheet_name, options, state, window_ms, created_at, finished_at, op)
             VALUES ('runA', '${w.profileId}', 'Dev', 'development', '${w.emu.instance.id}', 'app', 'Spring', '{}', 'finished', 1, 1, 1, 'create')`);
    const row = db.prepare(
      "INSERT INTO run_rows (run_id, idx, sheet_row, email, email_key, request, state, invitation_id, updated_at) VALUES ('runA', ?, ?, ?, ?, '{}', 'sent', ?, 0)",
    );
    mine.forEach((x, i) => row.run(i, i, x.emailAddress, x.emailAddress, x.id));
    db.close();
    const [rule] = await w.s.reminders.save({ profileId: w.profileId, runId: 'runA', afterDays: 7, maxReminders: 2, enabled: true });
    expect(rule).toMatchObject({ runId: 'runA', runName: 'Spring' });
    await w.s.inventory.sync(w.profileId);
    expect((await w.s.reminders.list(w.profileId))[0]!.dueNow).toBe(4);
    await w.s.reminders.evaluate();
    await w.settle();
    const count = (email: string) => w.emu.instance.invitations.filter((x) => x.emailAddress === email).length;
    expect(mine.map((x) => count(x.emailAddress))).toEqual([2, 2, 2, 2]);
    expect(w.emu.instance.invitations.filter((x) => !mine.some((m) => m.emailAddress === x.emailAddress)).length).toBe(11);
    w.wall.jump(7 * DAY + 60_000);
    await w.s.reminders.evaluate();
    await w.settle();
    expect(mine.map((x) => count(x.emailAddress))).toEqual([3, 3, 3, 3]);
    expect((await w.s.reminders.list(w.profileId))[0]).toMatchObject({ sent: 8, nextDueAt: null });
  }, 60_000);

  it('production waits for one click with the profile’s name typed', async () => {
    const wall = fakeWall();
    const emu = await startClerkEmulator({ now: wall.now, rateLimits: { enabled: false }, instances: [{ environment: 'production' }] });
    cleanup.push(() => emu.close());
    emu.seedOutside({ count: 5, orgShare: 0, accepted: 0, revoked: 0, expired: 0, spanDays: 1 });
    for (const x of emu.instance.invitations) x.createdAt = wall.now() - 8 * DAY;
    const dir = makeTempDir();
    cleanup.push(async () => dir.remove());
    const s = createMainServices({
      db: openDatabase(join(dir.path, 'app.sqlite')),
      secrets: createMemorySecretStore(),
      emit: () => {},
      appVersion: '0',
      platform: 'linux',
      now: wall.now,
      runWindowMs: 400,
    });
    cleanup.push(() => s.close());
    const p = (await dispatch(s.handlers, 'profiles:add', { name: 'Prod', secretKey: emu.instance.secretKey, baseUrl: emu.apiUrl })) as {
      ok: true;
      value: ProfileView;
    };
    const [rule] = await s.reminders.save({ profileId: p.value.id, afterDays: 7, maxReminders: 1, enabled: true });
    await s.inventory.sync(p.value.id);
    expect(await s.reminders.evaluate()).toEqual([]);
    expect((await s.reminders.list(p.value.id))[0]!.dueNow).toBe(5);
    const wrong = await dispatch(s.handlers, 'reminders:apply', { profileId: p.value.id, ruleId: rule!.id, confirmName: 'prod' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect((await s.reminders.list(p.value.id))[0]).toMatchObject({ dueNow: 5, sent: 0 }); // nobody's reminder used up
    const right = await dispatch(s.handlers, 'reminders:apply', { profileId: p.value.id, ruleId: rule!.id, confirmName: 'Prod' });
    expect(right).toMatchObject({ ok: true });
    expect((right as { ok: true; value: { runIds: string[] } }).value.runIds).toHaveLength(1);
  }, 30_000);
});
