/**
 * The instance inventory's sync (issue 25, item 1): every invitation, asked status by status, organization invitations
 * instance-wide, 500 a page; incremental (a second sync reads far less and still ends equal to Clerk); an interrupted
 * first sync completed by the next; the general limit kept, a 429 waited out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptInvitation, addOrg } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';
import { inventoryFixture } from '../../helpers/inventoryFixture.ts';

const emu = useEmulator({ rateLimits: { enabled: false } });
const fixtures: { close(): void }[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.close()));

function setup(count: number) {
  const instance = emu.current.addInstance({ environment: 'production' });
  addOrg(instance, { name: 'Open Org', maxAllowedMemberships: 0 }, Date.now());
  emu.current.seedOutside({ count }, instance);
  const f = inventoryFixture(emu.current, instance);
  fixtures.push(f);
  return { instance, ...f };
}

describe('inventory sync', () => {
  it('copies every invitation of the instance, revoked ones included, with their organizations', async () => {
    const f = setup(2600);
    const before = emu.current.requests.length;
    const done = await f.service.sync('p1');
    expect(done.state).toBe('done');
    expect(f.localSide()).toEqual(f.clerkSide());
    expect([...f.localSide().values()].filter((s) => s === 'revoked').length).toBeGreaterThan(50);
    const asked = emu.current.requests.slice(before).map((r) => r.path);
    expect(asked.filter((p) => p === '/v1/invitations').length).toBeGreaterThanOrEqual(4); // status by status
    expect(asked.filter((p) => p === '/v1/organization_invitations').length).toBeGreaterThanOrEqual(4);
    expect(done.requests).toBe(emu.current.requests.length - before);
    const page = f.service.list({ profileId: 'p1', kind: 'org', limit: 1 });
    expect(page.rows[0]!.organizationName).toBe('Open Org');
    expect(page.organizations).toEqual([{ id: page.rows[0]!.organizationId, name: 'Open Org' }]);
    expect(page.syncedAt).not.toBeNull();
    // Progress: a first report before anything is read, counts as pages come, the end.
    expect(f.events[0]!.state).toBe('syncing');
    expect(f.events.at(-1)).toMatchObject({ state: 'done', read: done.read });
  });

  it('a second sync reads only what may have changed, and ends equal to Clerk after accepts, revokes, expiries and new ones', async () => {
    const f = setup(3000);
    const first = await f.service.sync('p1');
    const pending = f.instance.invitations.filter((x) => x.status === 'pending' && x.expiresAt! > Date.now());
    // An old pending one accepted, one revoked through the API, one expired, and new ones made outside.
    const oldest = pending.reduce((a, b) => (a.createdAt < b.createdAt ? a : b));
    acceptInvitation(f.instance, oldest.emailAddress, Date.now());
    const revoked = pending.find((x) => x !== oldest)!;
    expect((await call(emu.current.origin, 'POST', `/v1/invitations/${revoked.id}/revoke`, { key: f.instance.secretKey })).status).toBe(
      200,
    );
    const expiring = f.instance.orgInvitations.find((x) => x.status === 'pending' && x.expiresAt! > Date.now())!;
    expiring.expiresAt = Date.now() - 1;
    for (let i = 0; i < 3; i++)
      await call(emu.current.origin, 'POST', '/v1/invitations', {
        key: f.instance.secretKey,
        body: { email_address: `new${i}@later.test` },
      });
    const second = await f.service.sync('p1');
    expect(f.localSide()).toEqual(f.clerkSide());
    expect(second.changed).toBe(6);
    // Nothing changed since: the pending lists and one page of each terminal list, no more.
    const third = await f.service.sync('p1');
    expect(third.changed).toBe(0);
    expect(f.localSide()).toEqual(f.clerkSide());
    const pendingNow = [...f.clerkSide().values()].filter((x) => x === 'pending').length;
    expect(third.requests).toBeLessThan(first.requests);
    expect(third.read).toBeLessThan(first.read);
    expect(third.read).toBeLessThanOrEqual(pendingNow + 6 * 500); // at most one page of each terminal list
  });

  it('an interrupted first sync is completed by the next one, nothing missing', async () => {
    const instance = emu.current.addInstance({ environment: 'production' });
    emu.current.seedOutside({ count: 4000, orgShare: 0 }, instance);
    let once = true;
    const f = inventoryFixture(emu.current, instance, { reportEveryMs: 0 }, (p) => {
      if (once && p.requests >= 3) {
        once = false;
        f.service.stop('p1');
      }
    });
    fixtures.push(f);
    const stopped = await f.service.sync('p1');
    expect(stopped.state).toBe('failed');
    expect(stopped.error).toMatch(/stopped/);
    expect(f.localSide().size).toBeLessThan(f.clerkSide().size);
    expect(f.service.list({ profileId: 'p1' }).syncedAt).toBeNull();
    expect((await f.service.sync('p1')).state).toBe('done');
    expect(f.localSide()).toEqual(f.clerkSide());
  });

  it('a sync Clerk refuses says why in one sentence: Clerk’s own full stop is not doubled', async () => {
    const instance = emu.current.addInstance({ environment: 'development' });
    emu.current.seedOutside({ count: 30, orgShare: 0 }, instance);
    emu.current.faults.inject({ kind: 'status', status: 400, probability: 1 });
    const f = inventoryFixture(emu.current, instance);
    fixtures.push(f);
    const failed = await f.service.sync('p1');
    emu.current.faults.clear();
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^The sync stopped: .+ What was read so far is kept; sync again to go on\.$/);
    expect(failed.error).not.toMatch(/\.\./);
  });

  it('keeps under the general limit and waits out a 429 instead of failing', async () => {
    const instance = emu.current.addInstance({ environment: 'development' });
    emu.current.seedOutside({ count: 30, orgShare: 0 }, instance);
    // Clerk's limit tighter than the pace the sync believes: it must meet 429s and wait them out.
    emu.current.rateLimits.configure({ enabled: true, generalWindowMs: 1000, limits: { general: 3 } });
    const f = inventoryFixture(emu.current, instance);
    fixtures.push(f);
    try {
      const done = await f.service.sync('p1');
      expect(done.state).toBe('done');
      expect(f.localSide()).toEqual(f.clerkSide());
      expect(emu.current.requests.some((r) => r.instanceId === instance.id && r.status === 429)).toBe(true);
    } finally {
      emu.current.rateLimits.configure({ enabled: false });
    }
  }, 20_000);
});
