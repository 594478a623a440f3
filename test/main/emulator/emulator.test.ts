import { describe, expect, it, beforeEach, onTestFinished } from 'vitest';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';

const emu = useEmulator({ rateLimits: { enabled: false } });
const key = () => emu.current.instance.secretKey;
const post = (path: string, body: unknown) => call(emu.current.origin, 'POST', path, { key: key(), body });
const get = (path: string) => call(emu.current.origin, 'GET', path, { key: key() });
let n = 0;
const email = () => `person${++n}@Example.COM`;

beforeEach(() => {
  emu.current.faults.clear();
  emu.current.rateLimits.configure({ enabled: false });
});

describe('auth', () => {
  it('rejects a missing or malformed Authorization header', async () => {
    const r = await call(emu.current.origin, 'GET', '/v1/instance', { key: null });
    expect(r.status).toBe(401);
    expect(r.body.errors[0].code).toBe('authorization_header_format_invalid');
  });
  it('rejects an unknown key with clerk_key_invalid', async () => {
    const r = await call(emu.current.origin, 'GET', '/v1/instance', { key: 'sk_test_nope1234567890' });
    expect(r.status).toBe(401);
    expect(r.body.errors[0]).toMatchObject({ code: 'clerk_key_invalid', long_message: expect.stringContaining('Secret Key is invalid') });
  });
  it('answers with exactly application/json', async () => {
    const r = await get('/v1/instance');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body).toMatchObject({ object: 'instance', environment_type: 'development' });
    expect(r.body.id).toMatch(/^ins_[A-Za-z0-9]{27}$/);
  });
});

describe('application invitations', () => {
  it('creates one with ms timestamps, an inv_ id, lower-cased domain and an accept URL', async () => {
    const before = Date.now();
    const r = await post('/v1/invitations', {
      email_address: ' Mixed.Case@Example.COM ',
      public_metadata: { Team: { Name: 'x' } },
      expires_in_days: 7,
    });
    expect(r.status).toBe(200);
    expect(r.body.id).toMatch(/^inv_/);
    expect(r.body.email_address).toBe('Mixed.Case@example.com');
    expect(r.body.public_metadata).toEqual({ Team: { Name: 'x' } });
    expect(r.body.created_at).toBeGreaterThanOrEqual(before);
    expect(r.body.expires_at - r.body.created_at).toBe(7 * 86_400_000);
    expect(r.body.url).toContain('/v1/tickets/accept?ticket=');
    expect(r.body).not.toHaveProperty('revoked');
  });

  it('refuses a second pending invitation for the same email unless ignore_existing', async () => {
    const e = email();
    expect((await post('/v1/invitations', { email_address: e })).status).toBe(200);
    const again = await post('/v1/invitations', { email_address: e });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].code).toBe('duplicate_record');
    expect(again.body.errors[0].meta.email_addresses).toEqual([e.replace('Example.COM', 'example.com')]);
    expect((await post('/v1/invitations', { email_address: e, ignore_existing: true })).status).toBe(200);
  });

  it('refuses an email that already belongs to a user', async () => {
    addUser(emu.current.instance, { emailAddress: 'taken@example.com' });
    const r = await post('/v1/invitations', { email_address: 'taken@example.com' });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].code).toBe('form_identifier_exists');
  });

  it.each([
    [{ email_address: 'not-an-email' }, 422, 'form_param_format_invalid', 'email_address'],
    [{}, 422, 'form_param_missing', 'email_address'],
    [{ email_address: 'a@b.co', colour: 'red' }, 422, 'form_param_unknown', 'colour'],
    [{ email_address: 'a@b.co', expires_in_days: 366 }, 422, 'form_param_value_invalid', 'expires_in_days'],
    [{ email_address: 'a@b.co', template_slug: 'nope' }, 422, 'form_param_value_invalid', 'template_slug'],
    [{ email_address: 'a@b.co', public_metadata: { big: 'x'.repeat(8200) } }, 422, 'form_param_exceeds_allowed_size', 'public_metadata'],
  ])('validates %j → %i %s', async (body, status, code, param) => {
    const r = await post('/v1/invitations', body);
    expect(r.status).toBe(status);
    expect(r.body.errors[0].code).toBe(code);
    expect(r.body.errors[0].meta.param_name).toBe(param);
  });

  it('answers malformed JSON with request_body_invalid', async () => {
    const r = await call(emu.current.origin, 'POST', '/v1/invitations', { key: key(), rawBody: '{"email_address":' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].code).toBe('request_body_invalid');
  });

  it('bulk: creates up to 10 and returns a plain array', async () => {
    const r = await post(
      '/v1/invitations/bulk',
      Array.from({ length: 10 }, () => ({ email_address: email() })),
    );
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body).toHaveLength(10);
  });

  it('bulk: more than 10 is refused', async () => {
    const r = await post(
      '/v1/invitations/bulk',
      Array.from({ length: 11 }, () => ({ email_address: email() })),
    );
    // 2024 evidence: 400 bulk_size_exceeded (the switch gives the spec's 422).
    expect(r.status).toBe(400);
    expect(r.body.errors[0].code).toBe('bulk_size_exceeded');
    emu.current.behaviour.bulkSize = 'form_param_array_size_exceeded';
    try {
      const spec = await post(
        '/v1/invitations/bulk',
        Array.from({ length: 11 }, () => ({ email_address: email() })),
      );
      expect([spec.status, spec.body.errors[0].code]).toEqual([422, 'form_param_array_size_exceeded']);
    } finally {
      emu.current.behaviour.bulkSize = 'bulk_size_exceeded';
    }
  });

  it('bulk is all-or-nothing and lists every pending duplicate', async () => {
    const [a, b] = [email(), email()];
    await post('/v1/invitations', { email_address: a });
    await post('/v1/invitations', { email_address: b });
    const before = emu.current.instance.invitations.length;
    const r = await post('/v1/invitations/bulk', [{ email_address: a }, { email_address: email() }, { email_address: b }]);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].meta.email_addresses).toHaveLength(2);
    expect(emu.current.instance.invitations.length).toBe(before);
  });

  it('lists with filters, paging and total_count; revokes once', async () => {
    const e = email();
    const created = (await post('/v1/invitations', { email_address: e })).body;
    const plain = await get(`/v1/invitations?query=${encodeURIComponent(e.toLowerCase().split('@')[0]!)}`);
    expect(plain.body.map((x: { id: string }) => x.id)).toEqual([created.id]);
    const paged = await get('/v1/invitations?paginated=true&limit=2&status=pending');
    expect(paged.body.data).toHaveLength(2);
    expect(paged.body.total_count).toBeGreaterThan(2);
    const revoked = await post(`/v1/invitations/${created.id}/revoke`, undefined);
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked: true });
    expect(revoked.body).not.toHaveProperty('url');
    const again = await post(`/v1/invitations/${created.id}/revoke`, undefined);
    expect(again.status).toBe(400);
    expect(again.body.errors[0].code).toBe('invitation_already_revoked');
  });

  it('caps a development instance at 100 emails a month, not counting notify:false (older docs: a 400)', async () => {
    const capped = emu.current.addInstance({ environment: 'development', monthlyEmailCap: 2 });
    emu.current.behaviour.devEmailCap = 'error';
    try {
      const p = (body: unknown) => call(emu.current.origin, 'POST', '/v1/invitations', { key: capped.secretKey, body });
      expect((await p({ email_address: email() })).status).toBe(200);
      expect((await p({ email_address: email() })).status).toBe(200);
      expect((await p({ email_address: email(), notify: false })).status).toBe(200);
      const r = await p({ email_address: email() });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].code).toBe('dev_monthly_email_limit_exceeded');
    } finally {
      emu.current.behaviour.devEmailCap = 'silent';
    }
  });
});

describe('organization invitations', () => {
  const setup = (max = 5) => {
    const i = emu.current.instance;
    const admin = addUser(i, { emailAddress: `admin${++n}@org.test` });
    const member = addUser(i, { emailAddress: `member${++n}@org.test` });
    const org = addOrg(i, { name: `Org ${n}`, maxAllowedMemberships: max, admins: [admin.id] }, Date.now());
    org.members.set(member.id, 'org:member');
    return { org, admin, member };
  };

  it('creates one with role_name, inviter data and private metadata', async () => {
    const { org, admin } = setup();
    const r = await post(`/v1/organizations/${org.id}/invitations`, {
      email_address: email(),
      role: 'org:member',
      inviter_user_id: admin.id,
      private_metadata: { seat: 3 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: 'organization_invitation',
      role: 'org:member',
      role_name: 'Member',
      organization_id: org.id,
      inviter_id: admin.id,
      private_metadata: { seat: 3 },
    });
    expect(r.body.public_inviter_data.user_id).toBe(admin.id);
  });

  it('needs a role from the org role set, an admin inviter, a known org (2026 codes)', async () => {
    const { org, member } = setup();
    Object.assign(emu.current.behaviour, { unknownRole: 'value_invalid', inviterErrors: '2026' });
    onTestFinished(() => void Object.assign(emu.current.behaviour, { unknownRole: 'not_found', inviterErrors: '2024' }));
    expect((await post(`/v1/organizations/${org.id}/invitations`, { email_address: email() })).body.errors[0].code).toBe(
      'form_param_missing',
    );
    expect((await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:owner' })).body.errors[0].code).toBe(
      'form_param_value_invalid',
    );
    const notAdmin = await post(`/v1/organizations/${org.id}/invitations`, {
      email_address: email(),
      role: 'org:member',
      inviter_user_id: member.id,
    });
    expect([notAdmin.status, notAdmin.body.errors[0].code]).toEqual([403, 'not_an_admin_in_organization']);
    const unknown = await post('/v1/organizations/org_missing/invitations', { email_address: email(), role: 'org:member' });
    expect([unknown.status, unknown.body.errors[0].code]).toEqual([404, 'resource_not_found']);
  });

  it('refuses existing members and counts pending invitations against the membership quota', async () => {
    const { org, member } = setup(4); // admin + member + 2 free seats
    const already = await post(`/v1/organizations/${org.id}/invitations`, { email_address: member.emailAddresses[0], role: 'org:member' });
    expect(already.body.errors[0].code).toBe('already_a_member_in_organization');
    const bulk = await post(`/v1/organizations/${org.id}/invitations/bulk`, [
      { email_address: email(), role: 'org:member' },
      { email_address: email(), role: 'org:admin' },
    ]);
    expect(bulk.status).toBe(200);
    expect(bulk.body.total_count).toBe(2);
    const over = await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:member' });
    expect([over.status, over.body.errors[0].code]).toEqual([403, 'organization_membership_quota_exceeded']);
  });

  it('revokes a pending one, then says it is not pending', async () => {
    const { org } = setup();
    const inv = (await post(`/v1/organizations/${org.id}/invitations`, { email_address: email(), role: 'org:member' })).body;
    expect((await post(`/v1/organizations/${org.id}/invitations/${inv.id}/revoke`, {})).body.status).toBe('revoked');
    const again = await post(`/v1/organizations/${org.id}/invitations/${inv.id}/revoke`, {});
    expect([again.status, again.body.errors[0].code]).toEqual([404, 'organization_invitation_not_pending']);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once an endpoint is spent, per endpoint, until the window resets', async () => {
    let now = 1_000_000;
    const { startClerkEmulator } = await import('../../../src/main/emulator/server.ts');
    const e = await startClerkEmulator({ now: () => now, rateLimits: { hourlyWindowMs: 60_000, limits: { 'invitations.create': 2 } } });
    try {
      const k = e.instance.secretKey;
      const p = () => call(e.origin, 'POST', '/v1/invitations', { key: k, body: { email_address: `${++n}@rl.test`, notify: false } });
      expect((await p()).status).toBe(200);
      expect((await p()).status).toBe(200);
      now += 15_000;
      const limited = await p();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      // the bulk endpoint has its own budget
      expect(
        (await call(e.origin, 'POST', '/v1/invitations/bulk', { key: k, body: [{ email_address: `${++n}@rl.test`, notify: false }] }))
          .status,
      ).toBe(200);
      now += 45_000;
      expect((await p()).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('applies the general limit (100 per 10 s on development) to other calls', async () => {
    emu.current.rateLimits.configure({ enabled: true, generalWindowMs: 60_000, limits: { general: 3 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/v1/organizations')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('fault injection', () => {
  it('answers 5xx with Clerk error bodies, a set number of times', async () => {
    emu.current.faults.inject({ kind: 'status', status: 503, path: '/v1/instance', times: 1 });
    const first = await get('/v1/instance');
    expect([first.status, first.body.errors[0].code]).toEqual([503, 'internal_clerk_error']);
    expect((await get('/v1/instance')).status).toBe(200);
  });

  it('drops the connection before or after the request takes effect', async () => {
    const before = emu.current.instance.invitations.length;
    emu.current.faults.inject({ kind: 'reset', method: 'POST', path: '/v1/invitations', times: 1 });
    await expect(post('/v1/invitations', { email_address: email() })).rejects.toThrow();
    expect(emu.current.instance.invitations.length).toBe(before);
    emu.current.faults.inject({ kind: 'reset_after_commit', method: 'POST', path: '/v1/invitations', times: 1 });
    await expect(post('/v1/invitations', { email_address: email() })).rejects.toThrow();
    expect(emu.current.instance.invitations.length).toBe(before + 1);
  });

  it('late commit: the caller is cut off, and the request takes effect afterwards', async () => {
    const before = emu.current.instance.invitations.length;
    const landed = emu.current.lateCommits.length;
    emu.current.faults.inject({ kind: 'late_commit', delayMs: 120, method: 'POST', path: '/v1/invitations', times: 1 });
    const address = email();
    await expect(post('/v1/invitations', { email_address: address })).rejects.toThrow();
    // Cut off, and Clerk shows nothing yet: a lookup now would wrongly say “not sent”.
    expect(emu.current.instance.invitations.length).toBe(before);
    expect(JSON.stringify((await get(`/v1/invitations?query=${encodeURIComponent(address)}`)).body)).not.toContain(address.toLowerCase());
    await expect.poll(() => emu.current.lateCommits.length).toBe(landed + 1);
    expect(emu.current.instance.invitations.map((i) => i.emailAddress)).toContain(address.toLowerCase());
  });

  it('can answer slowly and storm with 429s', async () => {
    emu.current.faults.inject({ kind: 'slow', delayMs: 150, path: '/v1/instance', times: 1 });
    const t = Date.now();
    expect((await get('/v1/instance')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    emu.current.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 7, times: 3 });
    const storm = await Promise.all([get('/v1/instance'), get('/v1/organizations'), get('/v1/invitations')]);
    expect(storm.map((r) => [r.status, r.headers.get('retry-after')])).toEqual([
      [429, '7'],
      [429, '7'],
      [429, '7'],
    ]);
    expect((await get('/v1/instance')).status).toBe(200);
  });
});
