/**
 * The engine's promises under every way real Clerk might behave (API.md's unknowns and 2024-era behaviours):
 * exactly once and no 429 at the ceiling (kill and resume: variantsKill.test.ts), on this computer's SQLite and on a
 * team's PostgreSQL. Windows are compressed and rows few, so each variant is fast.
 */
import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../../src/main/emulator/behaviour.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { appRequest } from '../../helpers/runFixture.ts';
import { emails, setupOn, status429, twice, WINDOW, type Storage } from '../../helpers/variantFixture.ts';

const STORAGES: Storage[] = ['SQLite', 'PostgreSQL (team workspace)'];
const CASES = STORAGES.flatMap((storage) => Object.entries(VARIANTS).map(([name, behaviour]) => [name, storage, behaviour] as const));

describe.each(CASES)('variant: %s, on %s', (_name, storage, behaviour) => {
  // Real HTTP, faults and compressed windows: ~3 s alone; the margin is for a machine busy with other suites.
  it(
    'exactly once: faults, a pending duplicate and an existing user in the batches; every row final, nothing twice',
    { timeout: 60_000 },
    async () => {
      const { emulator, armFaults, ...fx } = await setupOn(storage, behaviour, { armFaultsLater: true });
      emulator.rateLimits.configure({ enabled: false });
      const client = createClerkClient({ baseUrl: emulator.apiUrl, secretKey: emulator.instance.secretKey });
      await client.createInvitation({ emailAddress: 'a3@variant.test', notify: false }); // pending already
      addUser(emulator.instance, { emailAddress: 'a6@variant.test' });
      const org = addOrg(emulator.instance, { name: 'V', maxAllowedMemberships: 0 }, Date.now());
      await client.createOrganizationInvitation(org.id, { emailAddress: 'o2@variant.test', role: 'org:member', notify: false });
      // Those two were made well before this run (a lookup after an unknown outcome must not take them for ours).
      for (const x of [...emulator.instance.invitations, ...emulator.instance.orgInvitations]) x.createdAt -= 10 * 60_000;
      const start = emulator.instance.invitations.length + emulator.instance.orgInvitations.length;
      emulator.rateLimits.configure({ enabled: true });
      armFaults();
      emulator.faults.inject({ kind: 'reset_after_commit', method: 'POST', times: 2 });
      emulator.faults.inject({ kind: 'status', status: 503, method: 'POST', times: 1 });

      const app = await fx.createRun(
        emails(16, 'a').map((e) => appRequest(e)),
        { windowMs: WINDOW, instanceId: emulator.instance.id },
      );
      await fx.engine.start(app);
      await fx.engine.settled(app);
      const orgRun = await fx.createRun(
        emails(12, 'o').map((e) => appRequest(e, { organizationId: org.id, role: 'org:member' })),
        { kind: 'org', windowMs: WINDOW, instanceId: emulator.instance.id },
      );
      await fx.engine.start(orgRun);
      await fx.engine.settled(orgRun);

      for (const id of [app, orgRun]) expect(await fx.get(id)).toMatchObject({ state: 'finished', counts: { queued: 0, inflight: 0 } });
      expect(twice(emulator)).toEqual([]);
      const a = await fx.rows(app);
      expect(a.find((r) => r.email === 'a3@variant.test')).toMatchObject({ state: 'failed', errorCode: 'duplicate_record' });
      // An existing user met without the pre-flight: failed with the code Clerk gave (the variant's), never sent.
      expect(a.find((r) => r.email === 'a6@variant.test')).toMatchObject({
        state: 'failed',
        errorCode: behaviour.existingUser ?? 'form_identifier_exists',
      });
      expect(a.filter((r) => r.state === 'sent')).toHaveLength(14);
      // Each sent row points at the one invitation Clerk has for its email.
      for (const r of a.filter((x) => x.state === 'sent'))
        expect(emulator.instance.invitations.find((x) => x.emailAddress === r.email)?.id).toBe(r.invitationId);
      const o = await fx.rows(orgRun);
      const dup = o.find((r) => r.email === 'o2@variant.test')!;
      // 2024: Clerk reuses the pending one (200: the row points at it; after a lost answer the lookup finds it older
      // than the run and says so); otherwise a duplicate error. Either way no second invitation.
      const existing = emulator.instance.orgInvitations.find((x) => x.emailAddress === 'o2@variant.test')!;
      if (behaviour.orgDuplicatePending !== undefined) expect(dup.state).toBe('failed');
      else if (dup.state === 'sent') expect(dup.invitationId).toBe(existing.id);
      else expect(dup).toMatchObject({ state: 'failed', errorCode: 'duplicate_record' });
      expect(o.filter((r) => r.state === 'sent').length).toBeGreaterThanOrEqual(11);
      expect(emulator.instance.invitations.length + emulator.instance.orgInvitations.length - start).toBe(14 + 11);
    },
  );

  it('no 429 at the ceiling: two windows of sending, both lanes full', async () => {
    const { emulator, ...fx } = await setupOn(storage, behaviour);
    const id = await fx.createRun(
      emails(30, 'c').map((e) => appRequest(e)),
      { windowMs: WINDOW, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    expect((await fx.get(id))!.counts).toMatchObject({ sent: 30, failed: 0 });
    expect(status429(emulator)).toBe(0);
    expect(twice(emulator)).toEqual([]);
  });
});
