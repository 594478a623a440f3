/**
 * A scripted Clerk client for policy tests of the run engine (no HTTP): application invitations kept in memory, and
 * each create call answered as the test says (answer, commit then time out, time out without commit, an error).
 */
import type { ClerkClient } from '../../src/main/services/clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../../src/main/services/clerk/errors.ts';
import type { Invitation } from '../../src/main/services/clerk/types.ts';

export type Answer = 'ok' | 'commit-then-timeout' | 'timeout' | { status: number; code: string; emails?: string[]; retryAfter?: number };

export function fakeClerk(now: () => number = Date.now) {
  const invitations: Invitation[] = [];
  const creates: string[][] = [];
  let script: (call: number, emails: string[]) => Answer = () => 'ok';
  let n = 0;
  const make = (email: string): Invitation => {
    const t = now();
    const inv: Invitation = {
      id: `inv_${invitations.length + 1}`,
      emailAddress: email,
      publicMetadata: {},
      status: 'pending',
      revoked: false,
      url: `https://accept.test/${invitations.length + 1}`,
      expiresAt: null,
      createdAt: t,
      updatedAt: t,
    };
    invitations.push(inv);
    return inv;
  };
  const create = async (emails: string[]): Promise<Invitation[]> => {
    creates.push(emails);
    const a = script(n++, emails);
    if (a === 'timeout') throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
    if (a === 'commit-then-timeout') {
      emails.forEach(make);
      throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
    }
    if (a !== 'ok')
      throw new ClerkApiError({
        status: a.status,
        errors: [{ code: a.code, message: a.code, longMessage: a.code, meta: a.emails ? { email_addresses: a.emails } : {} }],
        retryAfterSeconds: a.retryAfter ?? null,
        traceId: null,
      });
    return emails.map(make);
  };
  const checked = (list: Invitation[]) => ({ created: list.map((invitation, index) => ({ index, invitation })), unknown: [] });
  const client = {
    reachable: async () => true,
    createInvitationChecked: async (p: { emailAddress: string }) => checked(await create([p.emailAddress])),
    createInvitationsBulkChecked: async (items: { emailAddress: string }[]) => checked(await create(items.map((i) => i.emailAddress))),
    revokeInvitation: async (id: string) => {
      const inv = invitations.find((i) => i.id === id);
      if (!inv)
        throw new ClerkApiError({
          status: 404,
          errors: [{ code: 'resource_not_found', message: 'not found', longMessage: 'not found', meta: {} }],
          retryAfterSeconds: null,
          traceId: null,
        });
      Object.assign(inv, { status: 'revoked', revoked: true, url: null });
      return inv;
    },
    listInvitations: async (p: { query?: string; status?: string } = {}) => {
      const data = invitations.filter(
        (i) => (!p.query || i.emailAddress.includes(p.query.toLowerCase())) && (!p.status || i.status === p.status),
      );
      return { data, totalCount: data.length };
    },
  } as unknown as ClerkClient;
  return {
    client,
    invitations,
    /** Emails of each create call, in order. */
    creates,
    answer(fn: (call: number, emails: string[]) => Answer) {
      script = fn;
    },
    perEmail: () => {
      const m = new Map<string, number>();
      for (const i of invitations) m.set(i.emailAddress, (m.get(i.emailAddress) ?? 0) + 1);
      return m;
    },
  };
}
