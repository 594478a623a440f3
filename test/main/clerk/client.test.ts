import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../../../src/main/services/clerk/errors.ts';
import { addOrg, addUser } from '../../../src/main/emulator/store.ts';
import { useEmulator } from '../../helpers/emulator.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ monthlyEmailCap: null }] });
const client = (over: Partial<Parameters<typeof createClerkClient>[0]> = {}) =>
  createClerkClient({ baseUrl: emu.current.apiUrl, secretKey: emu.current.instance.secretKey, ...over });

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('Clerk client against the emulator', () => {
  it('returns typed camelCase objects and leaves metadata keys alone', async () => {
    const inv = await client().createInvitation({
      emailAddress: 'typed@client.test',
      publicMetadata: { snake_key: { camelKey: 1 } },
      notify: false,
    });
    expect(inv).toMatchObject({
      emailAddress: 'typed@client.test',
      status: 'pending',
      revoked: false,
      publicMetadata: { snake_key: { camelKey: 1 } },
    });
    expect(typeof inv.createdAt).toBe('number');
    const listed = await client().listInvitations({ query: 'typed@client.test' });
    expect(listed.data.map((i) => i.id)).toEqual([inv.id]);
    expect(listed.totalCount).toBe(1);
    const revoked = await client().revokeInvitation(inv.id);
    expect([revoked.status, revoked.revoked, revoked.url]).toEqual(['revoked', true, null]);
  });

  it('reads the instance, organizations, roles and role sets', async () => {
    const i = emu.current.instance;
    const admin = addUser(i, { emailAddress: 'boss@client.test' });
    const org = addOrg(i, { name: 'Client Org', admins: [admin.id] }, Date.now());
    expect(await client().getInstance()).toMatchObject({ id: i.id, environmentType: 'development' });
    const orgs = await client().listOrganizations({ query: 'client org' });
    expect(orgs.data[0]).toMatchObject({ id: org.id, name: 'Client Org', membersCount: 1, roleSetKey: 'role_set:default' });
    expect((await client().listOrganizationRoles()).data.map((r) => r.key)).toEqual(['org:admin', 'org:member']);
    expect(await client().getRoleSet('role_set:default')).toMatchObject({
      roles: [{ key: 'org:admin' }, { key: 'org:member' }],
      defaultRole: { key: 'org:member' },
    });
    const created = await client().createOrganizationInvitationsBulk(org.id, [
      { emailAddress: 'o@client.test', role: 'org:member', inviterUserId: admin.id },
    ]);
    expect(created[0]).toMatchObject({ organizationId: org.id, roleName: 'Member', inviterId: admin.id });
    expect((await client().listOrganizationInvitations(org.id, { status: 'pending' })).data).toHaveLength(1);
    expect((await client().listInstanceOrganizationInvitations({ query: 'o@client.test' })).data[0]?.organizationName).toBe('Client Org');
  });

  it('turns Clerk error bodies into ClerkApiError with code, long message, meta and status', async () => {
    await client().createInvitation({ emailAddress: 'twice@client.test', notify: false });
    const e = await client()
      .createInvitationsBulk([{ emailAddress: 'twice@client.test' }, { emailAddress: 'new@client.test' }])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ClerkApiError);
    expect(e).toMatchObject({ status: 400, code: 'duplicate_record', meta: { email_addresses: ['twice@client.test'] } });
    expect((e as ClerkApiError).longMessage).toContain('already pending invitations');
    expect((e as ClerkApiError).traceId).toMatch(/^trace_/);
    const bad = await client({ secretKey: 'sk_test_wrongwrongwrong' })
      .getInstance()
      .catch((x: unknown) => x);
    expect(bad).toMatchObject({ status: 401, code: 'clerk_key_invalid' });
  });

  it('reports Retry-After on a 429 (within the limit’s window: an hour on invitation creates, 10 s elsewhere)', async () => {
    emu.current.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
    const e = await client()
      .createInvitation({ emailAddress: 'wait@client.test' })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 429, retryAfterSeconds: 42, retryAfterAskedSeconds: null });
    emu.current.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
    const general = await client()
      .getInstance()
      .catch((x: unknown) => x);
    expect(general).toMatchObject({ status: 429, retryAfterSeconds: 10, retryAfterAskedSeconds: 42 });
  });

  it('gives up after its timeout and reports dropped connections', async () => {
    emu.current.faults.inject({ kind: 'slow', delayMs: 2000, path: '/v1/instance', times: 1 });
    const slow = await client({ timeoutMs: 100 })
      .getInstance()
      .catch((x: unknown) => x);
    expect(slow).toBeInstanceOf(ClerkTransportError);
    expect((slow as ClerkTransportError).kind).toBe('timeout');
    emu.current.faults.inject({ kind: 'reset', path: '/v1/instance', times: 1 });
    const reset = await client()
      .getInstance()
      .catch((x: unknown) => x);
    expect(reset).toMatchObject({ kind: 'network' });
  });

  it('never follows a redirect, so the key never reaches another origin', async () => {
    const seen: (string | undefined)[] = [];
    const other = await listen((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{}');
    });
    const redirector = await listen((_req, res) => {
      res.writeHead(307, { Location: `${other.url}/v1/instance` });
      res.end();
    });
    try {
      const e = await client({ baseUrl: `${redirector.url}/v1` })
        .getInstance()
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ kind: 'redirect' });
      expect(seen).toEqual([]);
    } finally {
      await other.close();
      await redirector.close();
    }
  });

  it('refuses a 200 that is not application/json', async () => {
    const html = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    try {
      const e = await client({ baseUrl: html.url })
        .getInstance()
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ kind: 'bad_response' });
    } finally {
      await html.close();
    }
  });
});
