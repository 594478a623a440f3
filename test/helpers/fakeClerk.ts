/**
 * A scripted Clerk client for policy tests of the run engine (no HTTP): application invitations and organization
 * memberships kept in memory, and each create call answered as the test says (answer, commit then time out, time
 * out without commit, an error).
 */
import type { ClerkClient } from '../../src/main/services/clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../../src/main/services/clerk/errors.ts';
import type { Invitation, OrganizationMembership } from '../../src/main/services/clerk/types.ts';

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
  /** Memberships by user id; `memberCalls`: the user id of each membership create, in order. */
  const memberships = new Map<string, OrganizationMembership>();
  const memberCalls: string[] = [];
  let memberScript: (call: number, userId: string) => Answer = () => 'ok';
  let mn = 0;
  const addMember = (orgId: string, userId: string, role: string, at = now()): OrganizationMembership => {
    const m = {
      id: `orgmem_${memberships.size + 1}`,
      userId,
      organizationId: orgId,
      role,
      publicMetadata: {},
      privateMetadata: {},
      createdAt: at,
      updatedAt: at,
    };
    memberships.set(userId, m);
    return m;
  };
  const createMembership = async (orgId: string, p: { userId: string; role: string }): Promise<OrganizationMembership> => {
    memberCalls.push(p.userId);
    const a = memberScript(mn++, p.userId);
    const fail = (status: number, code: string, meta: Record<string, unknown> = {}, retryAfter: number | null = null) =>
      new ClerkApiError({
        status,
        errors: [{ code, message: code, longMessage: code, meta }],
        retryAfterSeconds: retryAfter,
        traceId: null,
      });
    if (a === 'timeout') throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
    if (memberships.has(p.userId)) throw fail(400, 'already_a_member_in_organization');
    if (a === 'commit-then-timeout') {
      addMember(orgId, p.userId, p.role);
      throw new ClerkTransportError('timeout', 'Clerk did not answer in time');
    }
    if (a !== 'ok') throw fail(a.status, a.code, a.emails ? { param_name: a.emails[0] } : {}, a.retryAfter ?? null);
    return addMember(orgId, p.userId, p.role);
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
    createOrganizationInvitationChecked: async (_org: string, p: { emailAddress: string }) => checked(await create([p.emailAddress])),
    createOrganizationInvitationsBulkChecked: async (_org: string, items: { emailAddress: string }[]) =>
      checked(await create(items.map((i) => i.emailAddress))),
    listOrganizationInvitations: async (_org: string, p: { emailAddress?: string; status?: string } = {}) => {
      const data = invitations.filter(
        (i) => (!p.emailAddress || i.emailAddress === p.emailAddress.toLowerCase()) && (!p.status || i.status === p.status),
      );
      return { data, totalCount: data.length };
    },
    createOrganizationMembership: createMembership,
    listOrganizationMemberships: async (_org: string, p: { userIds?: string[] } = {}) => {
      const data = [...memberships.values()].filter((m) => !p.userIds || p.userIds.includes(m.userId));
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
    memberships,
    memberCalls,
    /** A member from before the run (the test says when). */
    addMember,
    /** Membership creates' answers; `emails: [param]` becomes the error's meta.param_name. */
    answerMembership(fn: (call: number, userId: string) => Answer) {
      memberScript = fn;
    },
    perEmail: () => {
      const m = new Map<string, number>();
      for (const i of invitations) m.set(i.emailAddress, (m.get(i.emailAddress) ?? 0) + 1);
      return m;
    },
  };
}
