/**
 * Invitations made outside Invite Desk (issue 25, item 5): seeded by the thousand with every status, listed instance-wide,
 * paged exactly as Clerk pages (`limit` 1–500, else the default 10; offsets), and `GET /v1/invitations` without a
 * status leaving revoked ones out. Raw HTTP, as a client sees it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutsideSummary } from '../../../src/main/emulator/outside.ts';
import { addOrg } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';

const emu = useEmulator({ rateLimits: { enabled: false } });
const get = (path: string) => call(emu.current.origin, 'GET', path, { key: emu.current.instance.secretKey });
let seeded: OutsideSummary;

beforeAll(() => {
  const i = emu.current.instance;
  addOrg(i, { name: 'Capped', maxAllowedMemberships: 5 }, Date.now());
  addOrg(i, { name: 'Open', maxAllowedMemberships: 0 }, Date.now());
  seeded = emu.current.seedOutside({ count: 3000, orgShare: 0.3 });
});

/** Every page of a list, `limit` at a time, by offset. */
async function walk(path: string, limit: number): Promise<{ id: string; status: string }[]> {
  const out: { id: string; status: string }[] = [];
  for (let offset = 0; ; offset += limit) {
    const r = await get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}&offset=${offset}`);
    expect(r.status).toBe(200);
    const data = Array.isArray(r.body) ? r.body : r.body.data;
    out.push(...data);
    if (data.length < limit) return out;
  }
}

describe('emulator: invitations made outside the app', () => {
  it('seeds thousands, application and organization, each status represented', () => {
    const i = emu.current.instance;
    expect(seeded.app + seeded.org).toBe(3000);
    expect(seeded.org).toBeGreaterThan(700);
    expect(seeded.org).toBeLessThan(1100);
    for (const s of ['pending', 'accepted', 'revoked', 'expired'] as const) expect(seeded.byStatus[s]).toBeGreaterThan(100);
    // Pending invitations take seats: the capped organization got none.
    const capped = [...i.orgs.values()].find((o) => o.name === 'Capped')!;
    expect(i.orgInvitations.some((x) => x.organizationId === capped.id)).toBe(false);
  });

  it('GET /v1/invitations without a status leaves revoked ones out; status by status they add up', async () => {
    const all = await walk('/v1/invitations', 500);
    expect(all.some((x) => x.status === 'revoked')).toBe(false);
    let total = 0;
    for (const s of ['pending', 'accepted', 'revoked', 'expired']) {
      const list = await walk(`/v1/invitations?status=${s}`, 500);
      expect(list.every((x) => x.status === s)).toBe(true);
      total += list.length;
    }
    expect(total).toBe(seeded.app);
    expect(all.length).toBe(seeded.app - (await walk('/v1/invitations?status=revoked', 500)).length);
  });

  it('pages by offset with every invitation exactly once, and a limit outside 1–500 becomes 10', async () => {
    const ids = (await walk('/v1/invitations?status=pending,accepted,revoked,expired', 137)).map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(seeded.app);
    for (const limit of [0, 501, 1000]) expect((await get(`/v1/invitations?limit=${limit}`)).body).toHaveLength(10);
    expect((await get('/v1/invitations?limit=500')).body).toHaveLength(500);
    expect((await get('/v1/invitations?limit=1')).body).toHaveLength(1);
    const paged = await get('/v1/invitations?status=revoked&paginated=true&limit=3');
    expect(paged.body.data).toHaveLength(3);
    expect(paged.body.total_count).toBe(seeded.byStatus.revoked - countOrg('revoked'));
  });

  it('GET /v1/organization_invitations lists the whole instance, with each organization, paged with total_count', async () => {
    const first = await get('/v1/organization_invitations?limit=500');
    expect(first.body.total_count).toBe(seeded.org);
    expect(first.body.data[0].public_organization_data.name).toBe('Open');
    expect(first.body.data[0].url).toBeNull(); // list answers carry no accept link
    const all = await walk('/v1/organization_invitations', 500);
    expect(new Set(all.map((x) => x.id)).size).toBe(seeded.org);
    expect((await get('/v1/organization_invitations?limit=0')).body.data).toHaveLength(10);
    const revoked = await get('/v1/organization_invitations?status=revoked&limit=1');
    expect(revoked.body.total_count).toBe(countOrg('revoked'));
  });
});

function countOrg(status: string): number {
  const now = Date.now();
  return emu.current.instance.orgInvitations.filter(
    (x) => (x.status === 'pending' && x.expiresAt !== null && x.expiresAt <= now ? 'expired' : x.status) === status,
  ).length;
}
