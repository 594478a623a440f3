/** A profile's client confirms its instance before the first request, also when Clerk could not be asked at first. */
import { describe, expect, it } from 'vitest';
import { createClerkClient } from '../../../src/main/services/clerk/client.ts';
import { ClerkTransportError } from '../../../src/main/services/clerk/errors.ts';
import { Failure } from '../../../src/main/services/failure.ts';
import { confirmedClient } from '../../../src/main/services/profiles/instanceGuard.ts';
import { useEmulator } from '../../helpers/emulator.ts';

const emu = useEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }, { environment: 'development' }] });
const nth = (i: number) => [...emu.current.instances.values()][i]!;

/** A client whose network can be cut (connection refused: nothing reaches Clerk). */
function client(secretKey: string) {
  const net = { up: true, posts: 0 };
  const fetchVia: typeof fetch = async (input, init) => {
    if (!net.up) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    if (init?.method === 'POST') net.posts++;
    return fetch(input, init);
  };
  return { net, client: createClerkClient({ baseUrl: emu.current.apiUrl, secretKey, fetch: fetchVia, timeoutMs: 2000 }) };
}

describe('confirmedClient', () => {
  it('offline at first: the client is given, and its first request asks Clerk first, failing as the network does', async () => {
    const mine = nth(0);
    const profile = { name: 'Dev', instanceId: mine.id, environment: 'development' as const };
    const { net, client: raw } = client(mine.secretKey);
    net.up = false;
    const c = await confirmedClient(raw, profile);
    const unreachable = await c.createInvitation({ emailAddress: 'g1@guard.test', notify: false }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ClerkTransportError);
    expect((unreachable as ClerkTransportError).unreachable).toBe(true);
    net.up = true;
    await expect(c.createInvitation({ emailAddress: 'g1@guard.test', notify: false })).resolves.toMatchObject({
      emailAddress: 'g1@guard.test',
    });
    expect(net.posts).toBe(1);
  });

  it('offline at first, then another instance’s key: no request goes, every call says why', async () => {
    const other = nth(1);
    const profile = { name: 'Dev', instanceId: nth(0).id, environment: 'development' as const };
    const { net, client: raw } = client(other.secretKey);
    net.up = false;
    const c = await confirmedClient(raw, profile);
    net.up = true;
    for (let i = 0; i < 2; i++) {
      const e = await c.createInvitationsBulk([{ emailAddress: 'g2@guard.test', notify: false }]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Failure);
      expect(e).toMatchObject({
        code: 'instance_mismatch',
        message: expect.stringContaining('The key for “Dev” now belongs to another instance'),
      });
    }
    expect(net.posts).toBe(0);
    expect(other.invitations).toHaveLength(0);
  });

  it('online: a mismatch refuses at once, before the caller has a client', async () => {
    const { client: raw } = client(nth(1).secretKey);
    await expect(confirmedClient(raw, { name: 'Dev', instanceId: nth(0).id, environment: 'development' })).rejects.toMatchObject({
      code: 'instance_mismatch',
    });
    // The same instance seen as production (a development profile) is not the profile's either.
    const { client: same } = client(nth(0).secretKey);
    await expect(confirmedClient(same, { name: 'Dev', instanceId: nth(0).id, environment: 'production' })).rejects.toMatchObject({
      code: 'instance_mismatch',
    });
  });
});
