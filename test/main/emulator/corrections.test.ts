/**
 * Every row of API.md's "Corrections from further evidence", and each switch for what may have changed since
 * 2024 or is unknown. Raw HTTP, so what is asserted is exactly what a client would see.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../../src/main/emulator/behaviour.ts';
import { acceptInvitation, addOrg, addUser, expireInvitation } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';

const emu = useEmulator({ rateLimits: { enabled: false } });
const key = () => emu.current.instance.secretKey;
const post = (path: string, body?: unknown) => call(emu.current.origin, 'POST', path, { key: key(), body });
const get = (path: string) => call(emu.current.origin, 'GET', path, { key: key() });
let n = 0;
const email = (tag = 'c') => `${tag}${++n}@corrections.test`;

beforeEach(() => {
  Object.assign(emu.current.behaviour, DEFAULT_BEHAVIOUR);
  emu.current.rateLimits.configure({ enabled: false });
});

const orgSetup = (max = 0) => {
  const i = emu.current.instance;
  const admin = addUser(i, { emailAddress: email('admin') });
  const member = addUser(i, { emailAddress: email('member') });
  const org = addOrg(i, { name: `Org ${++n}`, maxAllowedMemberships: max, admins: [admin.id] }, Date.now());
  org.members.set(member.id, 'org:member');
  return { org, admin, member };
};

describe('corrections: development email cap', () => {
  it('past the cap the invitation is still created, no error, and the email silently not sent; +clerk_test exempt', async () => {
    const dev = emu.current.addInstance({ environment: 'development', monthlyEmailCap: 2 });
    const p = (e: string) => call(emu.current.origin, 'POST', '/v1/invitations', { key: dev.secretKey, body: { email_address: e } });
    for (let i = 0; i < 3; i++) expect((await p(email())).status).toBe(200);
    expect((await p('someone+clerk_test@corrections.test')).status).toBe(200);
    expect(dev.invitations.map((x) => x.emailsSent)).toEqual([1, 1, 0, 0]);
    expect([dev.emailsSent, dev.emailsSuppressed]).toEqual([2, 1]);
  });
});

describe('corrections: listing', () => {
  it('with no status lists non-revoked only; several statuses may be asked; lists carry no url; bad limits become 10', async () => {
    const [a, b, c] = [email(), email(), email()];
    const ia = (await post('/v1/invitations', { email_address: a, notify: false })).body;
    await post('/v1/invitations', { email_address: b, notify: false });
    await post('/v1/invitations', { email_address: c, notify: false });
    await post(`/v1/invitations/${ia.id}/revoke`);
    acceptInvitation(emu.current.instance, b, Date.now());
    const plain = (await get('/v1/invitations?limit=500')).body as { email_address: string; status: string }[];
    expect(plain.some((x) => x.email_address === a)).toBe(false);
    expect(plain.find((x) => x.email_address === b)?.status).toBe('accepted');
    expect(plain.every((x) => !('url' in x))).toBe(true);
    const revoked = (await get('/v1/invitations?status=revoked&limit=500')).body as { email_address: string }[];
    expect(revoked.map((x) => x.email_address)).toContain(a);
    const both = (await get('/v1/invitations?status=revoked&status=accepted&limit=500')).body as { email_address: string }[];
    expect(both.map((x) => x.email_address)).toEqual(expect.arrayContaining([a, b]));
    for (let i = 0; i < 12; i++) await post('/v1/invitations', { email_address: email('page'), notify: false });
    expect((await get('/v1/invitations?limit=900')).body).toHaveLength(10);
    expect((await get('/v1/invitations?limit=0')).body).toHaveLength(10);
    const { org } = orgSetup();
    await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:member' });
    const orgList = (await get(`/v1/organizations/${org.id}/invitations`)).body;
    expect(orgList.data[0].url).toBeNull();
  });
});

describe('corrections: revoking', () => {
  it('an accepted app invitation: 400 invitation_already_accepted; an unknown one: 404 resource_not_found', async () => {
    const e = email();
    const inv = (await post('/v1/invitations', { email_address: e, notify: false })).body;
    acceptInvitation(emu.current.instance, e, Date.now());
    const accepted = await post(`/v1/invitations/${inv.id}/revoke`);
    expect([accepted.status, accepted.body.errors[0].code]).toEqual([400, 'invitation_already_accepted']);
    const unknown = await post('/v1/invitations/inv_2deletedXXXXXXXXXXXXXXXXXXX/revoke');
    expect([unknown.status, unknown.body.errors[0].code]).toEqual([404, 'resource_not_found']);
  });

  it('an org invitation that is not pending (a second revoke too): 404 organization_invitation_not_pending', async () => {
    const { org } = orgSetup();
    const inv = (await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:member' })).body;
    expect((await post(`/v1/organizations/${org.id}/invitations/${inv.id}/revoke`, {})).status).toBe(200);
    const again = await post(`/v1/organizations/${org.id}/invitations/${inv.id}/revoke`, {});
    expect([again.status, again.body.errors[0].code]).toEqual([404, 'organization_invitation_not_pending']);
  });
});

describe('corrections: organization invitations (2024 behaviour by default, switchable)', () => {
  it('inviter not allowed: 403 not_a_member_in_organization or missing_organization_permission; 2026: not_an_admin', async () => {
    const { org, member } = orgSetup();
    const stranger = addUser(emu.current.instance, { emailAddress: email('stranger') });
    const as = (inviter: string) =>
      post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:member', inviter_user_id: inviter });
    const a = await as(stranger.id);
    expect([a.status, a.body.errors[0].code]).toEqual([403, 'not_a_member_in_organization']);
    const b = await as(member.id);
    expect([b.status, b.body.errors[0].code]).toEqual([403, 'missing_organization_permission']);
    emu.current.behaviour.inviterErrors = '2026';
    const c = await as(member.id);
    expect([c.status, c.body.errors[0].code]).toEqual([403, 'not_an_admin_in_organization']);
  });

  it('unknown role: 404 resource_not_found naming param "role" (switch: 422 form_param_value_invalid)', async () => {
    const { org } = orgSetup();
    const r = await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:owner' });
    expect([r.status, r.body.errors[0].code, r.body.errors[0].meta]).toEqual([404, 'resource_not_found', { param_name: 'role' }]);
    emu.current.behaviour.unknownRole = 'value_invalid';
    const s = await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:owner' });
    expect([s.status, s.body.errors[0].code]).toEqual([422, 'form_param_value_invalid']);
  });

  it('an email with a pending org invitation: 200, the existing one reused (role and metadata NOT applied), email sent again', async () => {
    const { org } = orgSetup();
    const e = email();
    const first = (await post(`/v1/organizations/${org.id}/invitations`, { email_address: e, role: 'org:member' })).body;
    const again = await post(`/v1/organizations/${org.id}/invitations/bulk`, [
      { email_address: e, role: 'org:admin', public_metadata: { x: 1 } },
      { email_address: email(), role: 'org:member' },
    ]);
    expect(again.status).toBe(200);
    expect(again.body.data[0]).toMatchObject({ id: first.id, role: 'org:member', public_metadata: {} });
    expect(emu.current.instance.orgInvitations.find((x) => x.id === first.id)!.emailsSent).toBe(2);
    for (const [mode, code] of [
      ['duplicate_record', 'duplicate_record'],
      ['organization_invitation_not_unique', 'organization_invitation_not_unique'],
    ] as const) {
      emu.current.behaviour.orgDuplicatePending = mode;
      const r = await post(`/v1/organizations/${org.id}/invitations`, { email_address: e, role: 'org:member' });
      expect([r.status, r.body.errors[0].code, r.body.errors[0].meta.email_addresses]).toEqual([400, code, [e]]);
    }
  });
});

describe('corrections: who an error names', () => {
  it('bad email: meta.param_name only; blocked: meta.identifiers; duplicates: meta.email_addresses; every kind in errors[]', async () => {
    const bad = await post('/v1/invitations', { email_address: 'not-an-email' });
    expect(bad.body.errors[0].meta).toEqual({ param_name: 'email_address' });
    const blocked = email('blocked');
    emu.current.instance.blockedEmails.add(blocked);
    const dup = email('dup');
    await post('/v1/invitations', { email_address: dup, notify: false });
    const r = await post('/v1/invitations/bulk', [{ email_address: blocked }, { email_address: email() }, { email_address: dup }]);
    expect(r.status).toBe(403);
    expect(r.body.errors.map((x: { code: string }) => x.code)).toEqual(['not_allowed_access', 'duplicate_record']);
    expect(r.body.errors[0].meta).toEqual({ identifiers: [blocked] });
    expect(r.body.errors[1].meta).toEqual({ email_addresses: [dup] });
  });

  it('bulk cannot bypass an existing user with ignore_existing; a single call can', async () => {
    const user = addUser(emu.current.instance, { emailAddress: email('user') });
    const e = user.emailAddresses[0]!;
    const bulk = await post('/v1/invitations/bulk', [{ email_address: e, ignore_existing: true }]);
    expect([bulk.status, bulk.body.errors[0].code]).toEqual([422, 'form_identifier_exists']);
    expect((await post('/v1/invitations', { email_address: e, ignore_existing: true })).status).toBe(200);
  });
});

describe('unknowns, switchable', () => {
  it('partial bulk: the good rows are committed although the call answers an error', async () => {
    const dup = email('dup');
    await post('/v1/invitations', { email_address: dup, notify: false });
    const good = email('good');
    const all = await post('/v1/invitations/bulk', [{ email_address: good }, { email_address: dup }]);
    expect(all.status).toBe(400);
    expect(emu.current.instance.invitations.some((x) => x.emailAddress === good)).toBe(false);
    emu.current.behaviour.partialBulk = true;
    const part = await post('/v1/invitations/bulk', [{ email_address: good }, { email_address: dup }]);
    expect(part.status).toBe(400);
    expect(emu.current.instance.invitations.filter((x) => x.emailAddress === good)).toHaveLength(1);
  });

  it('expired invitations block a new one only in that variant', async () => {
    const e = email();
    await post('/v1/invitations', { email_address: e, notify: false });
    expireInvitation(emu.current.instance, e, Date.now());
    emu.current.behaviour.expiredBlocks = true;
    expect((await post('/v1/invitations', { email_address: e, notify: false })).body.errors[0].code).toBe('duplicate_record');
    emu.current.behaviour.expiredBlocks = false;
    expect((await post('/v1/invitations', { email_address: e, notify: false })).status).toBe(200);
  });

  it('rate limits: fixed or sliding windows, rejected requests counted or not, org limits per org, the 429 code', async () => {
    const e = emu.current;
    const limitTo = (limit: number) =>
      e.rateLimits.configure({
        enabled: true,
        hourlyWindowMs: 60_000,
        limits: { 'invitations.create': limit, 'org_invitations.create': limit },
      });
    // Rejected (4xx) requests counted: two bad requests spend a limit of 2.
    limitTo(2);
    await post('/v1/invitations', { email_address: 'bad' });
    await post('/v1/invitations', { email_address: 'bad' });
    const spent = await post('/v1/invitations', { email_address: email(), notify: false });
    expect([spent.status, spent.body.errors[0].code]).toEqual([429, 'too_many_requests']);
    // Not counted: they are taken back.
    e.behaviour.rejectedCount = 'not_counted';
    e.behaviour.rateLimitCode = 'rate_limit_exceeded';
    limitTo(2);
    await post('/v1/invitations', { email_address: 'bad' });
    await post('/v1/invitations', { email_address: 'bad' });
    expect((await post('/v1/invitations', { email_address: email(), notify: false })).status).toBe(200);
    expect((await post('/v1/invitations', { email_address: email(), notify: false })).status).toBe(200);
    const limited = await post('/v1/invitations', { email_address: email(), notify: false });
    expect([limited.status, limited.body.errors[0].code]).toEqual([429, 'rate_limit_exceeded']);
    // Org limits per organization: a second org has its own budget.
    e.behaviour.orgLimits = 'per_organization';
    limitTo(1);
    const [o1, o2] = [orgSetup().org, orgSetup().org];
    expect((await post(`/v1/organizations/${o1.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(200);
    expect((await post(`/v1/organizations/${o1.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(429);
    expect((await post(`/v1/organizations/${o2.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(200);
    e.behaviour.orgLimits = 'per_instance';
    limitTo(1);
    expect((await post(`/v1/organizations/${o1.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(200);
    expect((await post(`/v1/organizations/${o2.id}/invitations`, { email_address: email(), role: 'org:member' })).status).toBe(429);
  });

  it('sliding windows refuse a burst across a fixed window boundary', () => {
    const e = emu.current;
    e.rateLimits.configure({ enabled: true, hourlyWindowMs: 1000, limits: { 'invitations.create': 2 } });
    const take = (t: number) => e.rateLimits.take('ins_x', 'invitations.create', 'development', t);
    e.rateLimits.mode = 'fixed';
    expect([take(0), take(900), take(1000), take(1001)]).toEqual([null, null, null, null]);
    e.rateLimits.configure({});
    e.rateLimits.mode = 'sliding';
    expect([take(0), take(900), take(1000), take(1001)]).toEqual([null, null, null, 1]);
    expect(take(1900)).toBe(null);
  });
});
