/**
 * Reminder rules on a team database: a rule made on one computer is the team's (listed, applied and counted on every
 * member's app), and two apps applying it at the same moment remind each person once between them. A teammate's claim
 * with no run yet is theirs to launch; left without a run (their app stopped), another app launches it once it is stale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { STALE_CLAIM_MS } from '../../../src/main/services/inventory/reminderRules.ts';
import { pgStorage } from '../../../src/main/services/runs/engine/pgStore.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { pgAppStores } from '../../../src/main/services/team/pgAppStores.ts';
import { migratePg } from '../../../src/main/services/team/pgMigrations.ts';
import { pgRemindersPort } from '../../../src/main/services/team/pgReminders.ts';
import type { ReminderRule } from '../../../src/shared/domain/inventory/types.ts';
import type { ProfileView } from '../../../src/shared/domain/profile.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgPool } from '../../helpers/pgDatabase.ts';
import { pendingMadeElsewhere, syncInvitations } from '../../helpers/outsideInvitations.ts';
import { ok } from '../../helpers/result.ts';

const DAY = 86_400_000;
const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development', monthlyEmailCap: null }] });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Pending invitations made 8 days ago outside the app: due under a 7-day rule. */
const pendingSince = (people: string[]) => pendingMadeElsewhere(emu.current.instance, people, 8 * DAY);

async function team(people: string[]) {
  const pool = await freshPgPool(8);
  cleanups.push(() => pool.end());
  await migratePg(pool);
  pendingSince(people);
  const member = async (name: string) => {
    const s = makeServices(createMemorySecretStore(), undefined, {
      storage: pgStorage(pool),
      stores: pgAppStores(pool, { member: name }),
      member: name,
      runWindowMs: 400,
    });
    cleanups.push(() => s.close());
    const call = (c: Parameters<typeof dispatch>[1], a?: unknown) => dispatch(s.handlers, c, a);
    // The team's profile of the instance when a teammate made it (this computer enters its own key), else a new one.
    const shared = ok<{ profiles: ProfileView[] }>(await call('profiles:list')).profiles.find(
      (p) => p.instanceId === emu.current.instance.id,
    );
    const profile = shared
      ? ok<ProfileView>(await call('profiles:replaceKey', { id: shared.id, secretKey: emu.current.instance.secretKey }))
      : ok<ProfileView>(
          await call('profiles:add', { name: 'Acme dev', secretKey: emu.current.instance.secretKey, baseUrl: emu.current.apiUrl }),
        );
    await syncInvitations(call, profile.id);
    return { s, call, profile };
  };
  return { pool, member };
}
const invitationsOf = (email: string) => emu.current.instance.invitations.filter((x) => x.emailAddress === email);
/** Each person's invitations as Clerk holds them; a reminder ends as one fresh pending and the older one revoked
 * (the app that ran the reminder launches that revoke when the reminder's run ends). */
const statuses = (people: string[]) =>
  people.map((e) =>
    invitationsOf(e)
      .map((x) => x.status)
      .sort(),
  );
const reminded = (people: string[]) => people.map(() => ['pending', 'revoked']);

describe('reminder rules on a team database', () => {
  it('a rule is the team’s: listed on both apps; both applying it at once remind each person once', async () => {
    const people = ['a@rt.test', 'b@rt.test', 'c@rt.test', 'd@rt.test', 'e@rt.test', 'f@rt.test'];
    const { member } = await team(people);
    const ana = await member('ana@a');
    const ben = await member('ben@b');
    expect(ben.profile.id).toBe(ana.profile.id); // one profile of the instance for the team

    const [rule] = ok<ReminderRule[]>(
      await ana.call('reminders:save', { profileId: ana.profile.id, afterDays: 7, maxReminders: 1, enabled: true }),
    );
    expect(ok<ReminderRule[]>(await ben.call('reminders:list', { profileId: ben.profile.id }))).toMatchObject([
      { id: rule!.id, afterDays: 7, maxReminders: 1, dueNow: 6, sent: 0 },
    ]);

    const [byAna, byBen] = await Promise.all([ana.s.reminders.evaluate(), ben.s.reminders.evaluate()]);
    expect(byAna.length + byBen.length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => statuses(people)).toEqual(reminded(people));
    expect(ok<ReminderRule[]>(await ben.call('reminders:list', { profileId: ben.profile.id }))).toMatchObject([{ sent: 6, dueNow: 0 }]);
    // Applied again on either computer: at most once, as the rule says.
    expect(await Promise.all([ana.s.reminders.evaluate(), ben.s.reminders.evaluate()])).toEqual([[], []]);
  });

  it('a teammate’s claim without its run is theirs for a while; stale (their app stopped), another app launches it once', async () => {
    const { pool, member } = await team([]);
    const ben = await member('ben@b');
    // Made after Ben's app last read the instance's invitations: his copy does not hold them yet.
    pendingSince(['g@rt.test', 'h@rt.test']);
    const [rule] = ok<ReminderRule[]>(
      await ben.call('reminders:save', { profileId: ben.profile.id, afterDays: 7, maxReminders: 1, enabled: true }),
    );
    // Ana's app claimed both a moment ago and has not launched their run yet.
    const claims = pgRemindersPort(pool);
    const ids = ['g@rt.test', 'h@rt.test'].map((e) => invitationsOf(e)[0]!.id);
    const claim = (runId: string, now: number) =>
      claims.claim(
        rule!.id,
        ['g@rt.test', 'h@rt.test'].map((e, i) => ({ emailKey: e, invitationId: ids[i]! })),
        {
          now,
          runId,
          max: 1,
          lastBefore: now - 7 * DAY,
        },
      );
    expect(await claim('run-of-ana', Date.now())).toEqual(ids);
    expect(await ben.s.reminders.evaluate()).toEqual([]);
    expect(['g@rt.test', 'h@rt.test'].map((e) => invitationsOf(e).length)).toEqual([1, 1]);

    // Her app stopped right after: once the claim is stale, Ben's app launches that run (its id), once.
    await pool.query('UPDATE reminder_log SET last_at = last_at - $1', [STALE_CLAIM_MS + 1000]);
    expect(await ben.s.reminders.evaluate()).toEqual(['run-of-ana']);
    await expect.poll(() => statuses(['g@rt.test', 'h@rt.test'])).toEqual(reminded(['g@rt.test', 'h@rt.test']));
    expect(await ben.s.reminders.evaluate()).toEqual([]);
  });
});
