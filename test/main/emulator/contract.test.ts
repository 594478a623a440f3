/** Every endpoint the app uses answers with shapes valid under Clerk's own OpenAPI spec; so do error bodies. */
import { describe, expect, it } from 'vitest';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { seedDemo } from '../../../src/main/emulator/seed.ts';
import { useEmulator } from '../../helpers/emulator.ts';
import { call } from '../../helpers/http.ts';
import { assertRequestMatchesSpec, assertResponseMatchesSpec, assertSchema } from '../../helpers/openapi.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });

describe('emulator responses match the OpenAPI spec', () => {
  it('answers every endpoint of API.md with a spec-valid body', async () => {
    const e = emu.current;
    seedDemo(e.instance, Date.now());
    const k = e.instance.secretKey;
    const org = [...e.instance.orgs.values()].find((o) => o.slug === 'globex-support')!;
    const admin = [...org.members.keys()][0]!;
    const req = async (method: string, path: string, specPath: string, body?: unknown) => {
      const r = await call(e.origin, method, `/v1${path}`, { key: k, body });
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(200);
      assertResponseMatchesSpec(method, specPath, 200, r.body);
      return r.body;
    };
    await req('GET', '/instance', '/instance');
    await req('GET', '/jwks', '/jwks');
    const inv = await req('POST', '/invitations', '/invitations', {
      email_address: 'c1@contract.test',
      public_metadata: { a: 1 },
      redirect_url: 'https://app.example/welcome',
      notify: false,
      expires_in_days: 3,
      template_slug: 'invitation',
    });
    await req('POST', '/invitations/bulk', '/invitations/bulk', [
      { email_address: 'c2@contract.test' },
      { email_address: 'c3@contract.test', ignore_existing: true },
    ]);
    await req('GET', '/invitations', '/invitations');
    // The spec knows only the plain array; API.md documents `paginated=true` → {data,total_count}.
    const paged = await call(e.origin, 'GET', '/v1/invitations?paginated=true&status=pending&order_by=email_address&limit=2', { key: k });
    expect(Object.keys(paged.body).sort()).toEqual(['data', 'total_count']);
    expect(paged.body.data).toHaveLength(2);
    paged.body.data.forEach((x: unknown) => assertSchema('Invitation', x));
    await req('POST', `/invitations/${inv.id}/revoke`, '/invitations/{invitation_id}/revoke');
    const oinv = await req('POST', `/organizations/${org.id}/invitations`, '/organizations/{organization_id}/invitations', {
      email_address: 'o1@contract.test',
      role: 'org:viewer',
      inviter_user_id: admin,
      private_metadata: { p: true },
    });
    await req('POST', `/organizations/${org.id}/invitations/bulk`, '/organizations/{organization_id}/invitations/bulk', [
      { email_address: 'o2@contract.test', role: 'org:member' },
      { email_address: 'o3@contract.test', role: 'org:admin' },
    ]);
    await req('GET', `/organizations/${org.id}/invitations?status=pending`, '/organizations/{organization_id}/invitations');
    await req('GET', `/organizations/${org.id}/invitations/${oinv.id}`, '/organizations/{organization_id}/invitations/{invitation_id}');
    await req('GET', '/organization_invitations?query=o1', '/organization_invitations');
    await req(
      'POST',
      `/organizations/${org.id}/invitations/${oinv.id}/revoke`,
      '/organizations/{organization_id}/invitations/{invitation_id}/revoke',
      { requesting_user_id: admin },
    );
    await req('GET', '/organizations?include_members_count=true', '/organizations');
    await req('GET', `/organizations/${org.id}`, '/organizations/{organization_id}');
    await req('GET', '/organization_roles', '/organization_roles');
    await req('GET', '/role_sets', '/role_sets');
    await req('GET', '/role_sets/role_set:support', '/role_sets/{role_set_key_or_id}');
    // People (issue 22): users by email, memberships created and listed.
    const users = await req('GET', '/users?email_address=EXISTING.user@sandbox.example&limit=100', '/users');
    expect(users).toHaveLength(1);
    await req('POST', `/organizations/${org.id}/memberships`, '/organizations/{organization_id}/memberships', {
      user_id: users[0].id,
      role: 'org:viewer',
      public_metadata: { team: 'ops' },
      private_metadata: { seat: 1 },
    });
    const members = await req(
      'GET',
      `/organizations/${org.id}/memberships?user_id=${users[0].id}`,
      '/organizations/{organization_id}/memberships',
    );
    expect(members.total_count).toBe(1);
    // After acceptance (issue 24): one user, and the two metadata writes.
    await req('GET', `/users/${users[0].id}`, '/users/{user_id}');
    await req('PATCH', `/users/${users[0].id}/metadata`, '/users/{user_id}/metadata', { public_metadata: { plan: 'pro', gone: null } });
    await req(
      'PATCH',
      `/organizations/${org.id}/memberships/${users[0].id}/metadata`,
      '/organizations/{organization_id}/memberships/{user_id}/metadata',
      { public_metadata: { team: 'red' }, private_metadata: { seat: 2 } },
    );
  });

  it('sends error bodies in the ClerkErrors envelope', async () => {
    const e = emu.current;
    const cases: [string, string, string, unknown, number][] = [
      ['POST', '/invitations', '/invitations', { email_address: 'bad' }, 422],
      ['POST', '/invitations', '/invitations', { email_address: 'dup@contract.test' }, 200],
      ['POST', '/invitations', '/invitations', { email_address: 'dup@contract.test' }, 400],
      [
        'POST',
        '/organizations/org_nope/invitations',
        '/organizations/{organization_id}/invitations',
        { email_address: 'x@y.z', role: 'org:member' },
        404,
      ],
    ];
    for (const [method, path, specPath, body, status] of cases) {
      const r = await call(e.origin, method, `/v1${path}`, { key: e.instance.secretKey, body });
      expect(r.status).toBe(status);
      assertResponseMatchesSpec(method, specPath, status, r.body);
    }
  });
});

describe('client requests match the OpenAPI spec', () => {
  it('sends spec-valid bodies for every create and revoke', async () => {
    const e = emu.current;
    const sent: { method: string; path: string; body: unknown }[] = [];
    const spy: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (init?.body)
        sent.push({ method: String(init.method), path: url.pathname.replace(/^\/v1/, ''), body: JSON.parse(String(init.body)) });
      return fetch(input, init);
    };
    const client = createClerkClient({ baseUrl: e.apiUrl, secretKey: e.instance.secretKey, fetch: spy });
    const org = [...e.instance.orgs.values()].find((o) => o.slug === 'acme')!;
    const admin = [...org.members.keys()][0]!;
    const full = { publicMetadata: { team: { name: 'Ops' } }, redirectUrl: 'https://app.example/x', notify: false, expiresInDays: 10 };
    await client.createInvitation({ emailAddress: 'k1@client.test', ...full, ignoreExisting: true, templateSlug: 'invitation' });
    await client.createInvitationsBulk([{ emailAddress: 'k2@client.test', ...full }, { emailAddress: 'k3@client.test' }]);
    const o = await client.createOrganizationInvitation(org.id, {
      emailAddress: 'k4@client.test',
      role: 'org:member',
      inviterUserId: admin,
      privateMetadata: { s: 1 },
      ...full,
    });
    await client.createOrganizationInvitationsBulk(org.id, [{ emailAddress: 'k5@client.test', role: 'org:admin', ...full }]);
    await client.revokeOrganizationInvitation(org.id, o.id, admin);
    const someone = [...e.instance.users.values()].find((u) => !org.members.has(u.id))!;
    await client.createOrganizationMembership(org.id, {
      userId: someone.id,
      role: 'org:member',
      publicMetadata: { team: { name: 'Ops' } },
      privateMetadata: { s: 1 },
    });
    expect(sent.map((s) => s.path)).toEqual([
      '/invitations',
      '/invitations/bulk',
      `/organizations/${org.id}/invitations`,
      `/organizations/${org.id}/invitations/bulk`,
      `/organizations/${org.id}/invitations/${o.id}/revoke`,
      `/organizations/${org.id}/memberships`,
    ]);
    const specPaths = [
      '/invitations',
      '/invitations/bulk',
      '/organizations/{organization_id}/invitations',
      '/organizations/{organization_id}/invitations/bulk',
      '/organizations/{organization_id}/invitations/{invitation_id}/revoke',
      '/organizations/{organization_id}/memberships',
    ];
    sent.forEach((s, i) => assertRequestMatchesSpec(s.method, specPaths[i]!, s.body));
  });

  it('catches a body the spec forbids (the check can fail)', () => {
    expect(() => assertRequestMatchesSpec('POST', '/invitations', { email_address: 'a@b.c', colour: 'red' })).toThrow(/does not match/);
    expect(() => assertResponseMatchesSpec('GET', '/instance', 200, { object: 'instance' })).toThrow(/does not match/);
    expect(() => assertResponseMatchesSpec('GET', '/users', 200, [{ id: 'user_1', object: 'user' }])).toThrow(/does not match/);
  });
});
