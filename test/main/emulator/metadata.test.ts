/**
 * The emulator after acceptance (issue 24): accepting makes the user (or membership) with the invitation's metadata,
 * except under #7956 for bulk-made application invitations; a user who changes a key after sign-up; the two metadata
 * PATCH endpoints (deep merge, null removes, 8 KB, 10 writes per 10 s per user or membership). Raw HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../../src/main/emulator/behaviour.ts';
import { addMember, addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const key = () => emu.current.instance.secretKey;
const req = (method: string, path: string, body?: unknown) => call(emu.current.origin, method, path, { key: key(), body });
let n = 0;
const email = () => `m${++n}@meta.test`;
const usersOf = async (e: string) => (await req('GET', `/v1/users?email_address=${encodeURIComponent(e)}`)).body as any[];

beforeEach(() => {
  Object.assign(emu.current.behaviour, DEFAULT_BEHAVIOUR);
});

describe('accepting an invitation', () => {
  it('makes the user with the invitation’s public metadata (single and bulk alike by default)', async () => {
    const [a, b] = [email(), email()];
    expect((await req('POST', '/v1/invitations', { email_address: a, public_metadata: { plan: 'pro' } })).status).toBe(200);
    expect((await req('POST', '/v1/invitations/bulk', [{ email_address: b, public_metadata: { plan: 'team', seats: 3 } }])).status).toBe(
      200,
    );
    expect(emu.current.accept(a)).toBe(true);
    expect(emu.current.accept(b)).toBe(true);
    expect((await usersOf(a))[0].public_metadata).toEqual({ plan: 'pro' });
    expect((await usersOf(b))[0].public_metadata).toEqual({ plan: 'team', seats: 3 });
    const inv = await req('GET', `/v1/invitations?status=accepted&query=${encodeURIComponent(a)}`);
    expect(inv.body.map((x: any) => x.status)).toEqual(['accepted']);
  });

  it('#7956: a bulk-made application invitation’s metadata does not reach the user; a single one’s does', async () => {
    emu.current.behaviour.bulkMetadataLost = true;
    const [a, b] = [email(), email()];
    await req('POST', '/v1/invitations', { email_address: a, public_metadata: { plan: 'pro' } });
    await req('POST', '/v1/invitations/bulk', [{ email_address: b, public_metadata: { plan: 'pro' } }]);
    emu.current.accept(a);
    emu.current.accept(b);
    expect((await usersOf(a))[0].public_metadata).toEqual({ plan: 'pro' });
    expect((await usersOf(b))[0].public_metadata).toEqual({});
  });

  it('organization invitations put their metadata on the membership, not the user; a changed key after sign-up', async () => {
    emu.current.behaviour.changedAfterSignUp = { key: 'plan', value: 'free', every: 1 };
    const org = addOrg(emu.current.instance, { name: `Org ${++n}`, maxAllowedMemberships: 0 }, Date.now());
    const e = email();
    const sent = { email_address: e, role: 'org:member', public_metadata: { plan: 'pro', team: 'red' }, private_metadata: { crm: 7 } };
    expect((await req('POST', `/v1/organizations/${org.id}/invitations`, sent)).status).toBe(200);
    emu.current.accept(e);
    const user = (await usersOf(e))[0];
    expect(user.public_metadata).toEqual({});
    const m = (await req('GET', `/v1/organizations/${org.id}/memberships?user_id=${user.id}`)).body.data[0];
    expect([m.public_metadata, m.private_metadata]).toEqual([{ plan: 'free', team: 'red' }, { crm: 7 }]);
  });
});

describe('PATCH metadata', () => {
  it('users: a deep merge where null removes a key; other kinds kept; updated_at moves', async () => {
    const u = addUser(emu.current.instance, {
      emailAddress: email(),
      createdAt: 1000,
      publicMetadata: { plan: 'pro', team: { a: 1, b: 2 } },
    });
    const r = await req('PATCH', `/v1/users/${u.id}/metadata`, {
      public_metadata: { team: { b: null, c: 3 }, plan: null, seats: 5 },
      private_metadata: { crm: 'x' },
    });
    expect(r.status).toBe(200);
    expect([r.body.public_metadata, r.body.private_metadata]).toEqual([{ team: { a: 1, c: 3 }, seats: 5 }, { crm: 'x' }]);
    expect(r.body.updated_at).toBeGreaterThan(1000);
    expect((await req('GET', `/v1/users/${u.id}`)).body.public_metadata).toEqual({ team: { a: 1, c: 3 }, seats: 5 });
  });

  it('refuses over 8 KB after the merge, unknown keys, non-objects, and unknown users or memberships', async () => {
    const u = addUser(emu.current.instance, { emailAddress: email(), publicMetadata: { big: 'x'.repeat(5000) } });
    const big = await req('PATCH', `/v1/users/${u.id}/metadata`, { public_metadata: { more: 'y'.repeat(4000) } });
    expect([big.status, big.body.errors[0].code]).toEqual([422, 'form_param_exceeds_allowed_size']);
    expect((await req('PATCH', `/v1/users/${u.id}/metadata`, { nope: {} })).body.errors[0].code).toBe('form_param_unknown');
    expect((await req('PATCH', `/v1/users/${u.id}/metadata`, { public_metadata: 'x' })).status).toBe(422);
    expect((await req('PATCH', '/v1/users/user_nobody/metadata', { public_metadata: {} })).status).toBe(404);
    const org = addOrg(emu.current.instance, { name: `Org ${++n}` }, Date.now());
    expect((await req('PATCH', `/v1/organizations/${org.id}/memberships/${u.id}/metadata`, { public_metadata: {} })).status).toBe(404);
  });

  it('memberships: deep merge on the membership’s public and private metadata', async () => {
    const org = addOrg(emu.current.instance, { name: `Org ${++n}` }, Date.now());
    const u = addUser(emu.current.instance, { emailAddress: email() });
    addMember(org, u.id, 'org:member', Date.now(), { publicMetadata: { plan: 'pro' } });
    const r = await req('PATCH', `/v1/organizations/${org.id}/memberships/${u.id}/metadata`, {
      public_metadata: { team: 'red' },
      private_metadata: { crm: 1 },
    });
    expect(r.status).toBe(200);
    expect([r.body.public_metadata, r.body.private_metadata]).toEqual([{ plan: 'pro', team: 'red' }, { crm: 1 }]);
  });

  it('10 writes per 10 s per user: the 11th answers 429 with Retry-After; another user is not held', async () => {
    const [a, b] = [addUser(emu.current.instance, { emailAddress: email() }), addUser(emu.current.instance, { emailAddress: email() })];
    for (let i = 0; i < 10; i++) expect((await req('PATCH', `/v1/users/${a.id}/metadata`, { public_metadata: { i } })).status).toBe(200);
    const over = await req('PATCH', `/v1/users/${a.id}/metadata`, { public_metadata: { i: 11 } });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await req('GET', `/v1/users/${a.id}`)).body.public_metadata).toEqual({ i: 9 });
    expect((await req('PATCH', `/v1/users/${b.id}/metadata`, { public_metadata: { i: 1 } })).status).toBe(200);
  });
});
