/** Status sync asks Clerk per status: a revoke made in Clerk (Dashboard, another tool) reaches the run's rows. */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptInvitation } from '../../../src/main/emulator/store.ts';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { fetchStatuses } from '../../../src/main/services/history/statusSync.ts';
import { appRequest, engineOnEmulator } from '../../helpers/runFixture.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('status sync', () => {
  it('sees revocations made in Clerk, keeps the stored accept links, and pages each status', async () => {
    const { emulator, fx } = await engineOnEmulator(cleanups);
    const emails = Array.from({ length: 12 }, (_, i) => `s${i}@sync.test`);
    const id = fx.createRun(
      emails.map((e) => appRequest(e)),
      { windowMs: 60_000, instanceId: emulator.instance.id },
    );
    await fx.engine.start(id);
    await fx.engine.settled(id);
    const links = fx.repo.rows(id).map((r) => r.url);
    expect(links.every((u) => u?.includes('ticket='))).toBe(true);

    // In the Dashboard: two revoked, one accepted.
    const client = createClerkClient({ baseUrl: emulator.apiUrl, secretKey: emulator.instance.secretKey });
    const rows = fx.repo.rows(id);
    await client.revokeInvitation(rows[0]!.invitationId!);
    await client.revokeInvitation(rows[5]!.invitationId!);
    acceptInvitation(emulator.instance, 's7@sync.test', Date.now());

    const statuses = await fetchStatuses(client, { kind: 'app' }, fx.repo.get(id)!.createdAt);
    expect(fx.repo.applyStatuses(id, statuses, Date.now())).toBe(3);
    const after = fx.repo.rows(id);
    expect(after.map((r) => r.invitationStatus)).toEqual(
      emails.map((_, i) => (i === 0 || i === 5 ? 'revoked' : i === 7 ? 'accepted' : 'pending')),
    );
    // Each row knows when its invitation expires (create answer, then sync), for "expiring in N days".
    expect(after.every((r) => r.expiresAt === emulator.instance.invitations.find((x) => x.id === r.invitationId)!.expiresAt)).toBe(true);
    // List answers carry no url: the links from the create answers stay.
    expect(after.map((r) => r.url)).toEqual(links);
    const lists = emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/invitations');
    expect(lists).toHaveLength(4); // one page per status
    // A second sync changes nothing.
    expect(fx.repo.applyStatuses(id, await fetchStatuses(client, { kind: 'app' }, 0), Date.now())).toBe(0);
  });
});
