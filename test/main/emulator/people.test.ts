/**
 * The emulator's people (issue 22): users found by email, users made by an accepted invitation, an organization's
 * memberships listed and created with Clerk's errors, all counted on the general limit; and the variant for the code
 * an application invitation to an existing user gets. Raw HTTP: exactly what a client sees.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../../src/main/emulator/behaviour.ts';
import { acceptInvitation, addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const key = () => emu.current.instance.secretKey;
const post = (path: string, body?: unknown) => call(emu.current.origin, 'POST', path, { key: key(), body });
const get = (path: string) => call(emu.current.origin, 'GET', path, { key: key() });
let n = 0;
const email = (tag = 'p') => `${tag}${++n}@people.test`;

beforeEach(() => {
  Object.assign(emu.current.behaviour, DEFAULT_BEHAVIOUR);
  emu.current.rateLimits.configure({ enabled: false });
});

const org = (max = 0) => addOrg(emu.current.instance, { name: `Org ${++n}`, maxAllowedMemberships: max }, Date.now());

describe('GET /v1/users', () => {
  it('finds users by email address, any case, unknown addresses ignored; a plain array with limit and offset', async () => {
    const a = addUser(emu.current.instance, { emailAddress: email(), createdAt: 1000 });
    const b = addUser(emu.current.instance, { emailAddress: email(), createdAt: 2000 });
    const q = [a, b].map((u) => `email_address=${encodeURIComponent(u.emailAddresses[0]!.toUpperCase())}`).join('&');
    const r = await get(`/v1/users?${q}&email_address=nobody@people.test&limit=100`);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    // Newest first, each with its addresses and when it was created.
    expect(r.body.map((u: any) => [u.id, u.email_addresses[0].email_address, u.created_at])).toEqual([
      [b.id, b.emailAddresses[0], 2000],
      [a.id, a.emailAddresses[0], 1000],
    ]);
    expect((await get(`/v1/users?${q}&limit=1&offset=1`)).body.map((u: any) => u.id)).toEqual([a.id]);
  });

  it('takes up to 100 addresses a call and refuses 101, naming the parameter', async () => {
    const many = (k: number) => Array.from({ length: k }, (_, i) => `email_address=x${i}@people.test`).join('&');
    expect((await get(`/v1/users?${many(100)}`)).status).toBe(200);
    const r = await get(`/v1/users?${many(101)}`);
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ code: 'form_param_value_invalid', meta: { param_name: 'email_address' } });
  });

  it('counts against the general limit (429 with Retry-After past it)', async () => {
    emu.current.rateLimits.configure({ enabled: true, limits: { general: 2 } });
    expect((await get('/v1/users?email_address=a@people.test')).status).toBe(200);
    expect((await get('/v1/users?email_address=a@people.test')).status).toBe(200);
    const r = await get('/v1/users?email_address=a@people.test');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('accepting an invitation', () => {
  it('creates the user with that address (then found by GET /v1/users); an organization invitation also makes a member', async () => {
    const o = org();
    const e = email();
    expect(
      (await post(`/v1/organizations/${o.id}/invitations`, { email_address: e, role: 'org:member', public_metadata: { t: 1 } })).status,
    ).toBe(200);
    expect((await get(`/v1/users?email_address=${e}`)).body).toEqual([]);
    expect(acceptInvitation(emu.current.instance, e, 5000)).toBe(true);
    const users = (await get(`/v1/users?email_address=${e}`)).body;
    expect(users).toHaveLength(1);
    expect(users[0].created_at).toBe(5000);
    const m = (await get(`/v1/organizations/${o.id}/memberships?user_id=${users[0].id}`)).body;
    expect(m.data).toHaveLength(1);
    expect(m.data[0]).toMatchObject({ role: 'org:member', public_metadata: { t: 1 }, public_user_data: { user_id: users[0].id } });
  });
});

describe('organization memberships', () => {
  it('adds an existing user directly with role and metadata: no invitation, no email; listed by user id or email', async () => {
    const o = org();
    const u = addUser(emu.current.instance, { emailAddress: email() });
    const before = emu.current.instance.emailsSent;
    const r = await post(`/v1/organizations/${o.id}/memberships`, {
      user_id: u.id,
      role: 'org:admin',
      public_metadata: { team: 'ops' },
      private_metadata: { seat: 3 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: 'organization_membership',
      role: 'org:admin',
      public_metadata: { team: 'ops' },
      private_metadata: { seat: 3 },
      organization: { id: o.id },
      public_user_data: { user_id: u.id, identifier: u.emailAddresses[0] },
    });
    expect(r.body.id).toMatch(/^orgmem_/);
    expect(emu.current.instance.orgInvitations.filter((x) => x.organizationId === o.id)).toEqual([]);
    expect(emu.current.instance.emailsSent).toBe(before);
    const byId = await get(`/v1/organizations/${o.id}/memberships?user_id=${u.id}`);
    const byEmail = await get(`/v1/organizations/${o.id}/memberships?email_address=${u.emailAddresses[0]!.toUpperCase()}`);
    for (const list of [byId, byEmail]) expect(list.body).toMatchObject({ total_count: 1, data: [{ id: r.body.id }] });
    expect((await get(`/v1/organizations/${o.id}/memberships?user_id=user_nobody`)).body).toEqual({ data: [], total_count: 0 });
  });

  it('refuses a second membership (already a member), an unknown user (404 naming user_id), a missing role', async () => {
    const o = org();
    const u = addUser(emu.current.instance, { emailAddress: email() });
    expect((await post(`/v1/organizations/${o.id}/memberships`, { user_id: u.id, role: 'org:member' })).status).toBe(200);
    const again = await post(`/v1/organizations/${o.id}/memberships`, { user_id: u.id, role: 'org:member' });
    expect([again.status, again.body.errors[0].code]).toEqual([400, 'already_a_member_in_organization']);
    const nobody = await post(`/v1/organizations/${o.id}/memberships`, { user_id: 'user_2nobody', role: 'org:member' });
    expect([nobody.status, nobody.body.errors[0].code, nobody.body.errors[0].meta]).toEqual([
      404,
      'resource_not_found',
      { param_name: 'user_id' },
    ]);
    const noRole = await post(`/v1/organizations/${o.id}/memberships`, { user_id: u.id });
    expect([noRole.status, noRole.body.errors[0].code]).toEqual([422, 'form_param_missing']);
    const unknownOrg = await post(`/v1/organizations/org_nope/memberships`, { user_id: u.id, role: 'org:member' });
    expect([unknownOrg.status, unknownOrg.body.errors[0].meta]).toEqual([404, undefined]);
  });

  it('counts members and pending invitations against the organization quota', async () => {
    const o = org(2);
    const [a, b] = [addUser(emu.current.instance, { emailAddress: email() }), addUser(emu.current.instance, { emailAddress: email() })];
    expect((await post(`/v1/organizations/${o.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(200);
    expect((await post(`/v1/organizations/${o.id}/memberships`, { user_id: a.id, role: 'org:member' })).status).toBe(200);
    const full = await post(`/v1/organizations/${o.id}/memberships`, { user_id: b.id, role: 'org:member' });
    expect([full.status, full.body.errors[0].code]).toEqual([403, 'organization_membership_quota_exceeded']);
  });

  it('counts creates and lists against the general limit', async () => {
    const o = org();
    const u = addUser(emu.current.instance, { emailAddress: email() });
    emu.current.rateLimits.configure({ enabled: true, limits: { general: 1 } });
    expect((await post(`/v1/organizations/${o.id}/memberships`, { user_id: u.id, role: 'org:member' })).status).toBe(200);
    expect((await get(`/v1/organizations/${o.id}/memberships`)).status).toBe(429);
    expect(emu.current.rateLimits.used(emu.current.instance.id, 'general', Date.now())).toBe(1);
  });
});

describe('variant: the code of an application invitation to an existing user', () => {
  it('documented 422 form_identifier_exists, or a 400 duplicate_record naming the address', async () => {
    const u = addUser(emu.current.instance, { emailAddress: email() });
    const first = await post('/v1/invitations', { email_address: u.emailAddresses[0] });
    expect([first.status, first.body.errors[0].code]).toEqual([422, 'form_identifier_exists']);
    emu.current.behaviour.existingUser = 'duplicate_record';
    const other = await post('/v1/invitations/bulk', [{ email_address: email() }, { email_address: u.emailAddresses[0] }]);
    expect([other.status, other.body.errors[0].code, other.body.errors[0].meta]).toEqual([
      400,
      'duplicate_record',
      { email_addresses: [u.emailAddresses[0]] },
    ]);
    // ignore_existing on the single endpoint bypasses the account either way.
    expect((await post('/v1/invitations', { email_address: u.emailAddresses[0], ignore_existing: true })).status).toBe(200);
  });
});
