/**
 * The Clerk Backend API client. Main-process only: it holds the secret key for the length of a call.
 * Every failure becomes a ClerkApiError (Clerk said no) or a ClerkTransportError (no usable answer).
 */
import { allProven, checkCreated, type CreateAnswer, type CreateKind } from './checkCreated.ts';
import { boundRetryAfter, ClerkApiError, ClerkTransportError, parseErrorBody, parseRetryAfter, windowSecondsOf } from './errors.ts';
import {
  fromCreateInvitation,
  fromCreateOrganizationInvitation,
  fromCreateOrganizationMembership,
  toInstance,
  toInvitation,
  toOrganization,
  toOrganizationInvitation,
  toOrganizationMembership,
  toPage,
  toRole,
  toRoleSet,
  toUser,
  toWaitlistEntry,
} from './mappers.ts';
import type {
  CreateInvitationParams,
  CreateOrganizationInvitationParams,
  CreateOrganizationMembershipParams,
  Instance,
  Invitation,
  ListInstanceOrganizationInvitationsParams,
  ListInvitationsParams,
  ListOrganizationInvitationsParams,
  ListOrganizationMembershipsParams,
  ListParams,
  ListUsersParams,
  MetadataPatch,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  Page,
  Role,
  RoleSet,
  User,
  WaitlistEntry,
  ListWaitlistParams,
} from './types.ts';
import { describe } from './transportWords.ts';

export const CLERK_API_VERSION = '2026-05-12';

export type ClerkClientOptions = {
  /** e.g. `https://api.clerk.com/v1`; endpoint paths are appended to it. */
  baseUrl: string;
  secretKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Read before each request: aborting it abandons the request (quit deadline, wake from sleep). */
  signal?: () => AbortSignal | undefined;
  /** The caller's clock, for `onAnswer` (the run engine's, which tests may fake). */
  now?: () => number;
  /**
   * Every answer that carried Clerk's clock (its `Date` header), with when the request went and the answer came
   * on the caller's clock: what the run engine learns Clerk's clock from.
   */
  onAnswer?: (a: ClerkAnswerTime) => void;
};

export type ClerkAnswerTime = { date: number; sentAt: number; receivedAt: number };
/** What a caller that drives requests (the run engine) hooks into a client. */
export type ClientHooks = Pick<ClerkClientOptions, 'signal' | 'now' | 'onAnswer'>;

/** An array value repeats its parameter (`email_address=a&email_address=b`), as Clerk's list filters take them. */
type Query = Record<string, string | number | boolean | readonly string[] | undefined>;
type RequestInit = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; query?: Query; body?: unknown };

export type ClerkClient = ReturnType<typeof createClerkClient>;

export function createClerkClient(options: ClerkClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);

  const signalFor = () => {
    const outer = options.signal?.();
    return outer ? AbortSignal.any([AbortSignal.timeout(timeoutMs), outer]) : AbortSignal.timeout(timeoutMs);
  };

  async function request(init: RequestInit): Promise<unknown> {
    const url = new URL(init.path.replace(/^\//, ''), base);
    // The key goes only to the configured origin: a path can never point elsewhere.
    if (url.origin !== base.origin) throw new ClerkTransportError('network', `Refusing to call ${url.origin}`);
    for (const [k, v] of Object.entries(init.query ?? {})) {
      if (Array.isArray(v)) for (const x of v as readonly string[]) url.searchParams.append(k, x);
      else if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.secretKey}`,
      'Clerk-API-Version': CLERK_API_VERSION,
      Accept: 'application/json',
    };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const now = options.now ?? Date.now;
    const sentAt = now();
    let response: Response;
    try {
      response = await doFetch(url, {
        method: init.method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        // Never follow a redirect: following one could forward the Authorization header to another origin.
        redirect: 'manual',
        signal: signalFor(),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      if (timedOut && options.signal?.()?.aborted)
        throw new ClerkTransportError('timeout', 'Request abandoned before Clerk answered (quitting or waking from sleep)', { cause });
      throw timedOut
        ? new ClerkTransportError('timeout', `Clerk did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause })
        : new ClerkTransportError('network', `Could not reach ${base.origin}: ${describe(cause)}`, { cause });
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(date)) options.onAnswer?.({ date, sentAt, receivedAt: now() });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new ClerkTransportError('redirect', `${base.origin} answered with a redirect (HTTP ${response.status}); not followed`);
    }
    let body: unknown;
    try {
      const text = await response.text();
      // Like Clerk's SDK: JSON only when the content type says exactly that.
      const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim();
      body = type === 'application/json' && text !== '' ? JSON.parse(text) : text;
    } catch (cause) {
      throw new ClerkTransportError('bad_response', `Clerk's answer was cut off or not valid JSON (HTTP ${response.status})`, { cause });
    }
    if (!response.ok) {
      const { errors, traceId } = parseErrorBody(body);
      const wait = boundRetryAfter(parseRetryAfter(response.headers.get('retry-after')), windowSecondsOf(init.method, init.path));
      throw new ClerkApiError({
        status: response.status,
        errors,
        retryAfterSeconds: wait.seconds,
        retryAfterAskedSeconds: wait.asked,
        traceId,
      });
    }
    if (typeof body === 'string') {
      throw new ClerkTransportError(
        'bad_response',
        `Expected JSON from Clerk, got ${response.headers.get('content-type') ?? 'no content type'}`,
      );
    }
    return body;
  }

  const list = (p: ListParams): Query => ({ limit: p.limit, offset: p.offset, order_by: p.orderBy });
  const org = (id: string) => `organizations/${segment(id)}`;

  /** One create call (a single request is a list of one); its 2xx answer checked against the requests. */
  async function create<P extends { emailAddress: string }, T>(
    path: string,
    items: P[],
    wire: (p: P) => Record<string, unknown>,
    opts: { kind: CreateKind; bulk: boolean; organizationId?: string; map: (raw: unknown) => T },
  ): Promise<CreateAnswer<T>> {
    const body = opts.bulk ? items.map(wire) : wire(items[0]!);
    return checkCreated(await request({ method: 'POST', path, body }), items, opts);
  }
  const createOrg = (organizationId: string, items: CreateOrganizationInvitationParams[], bulk: boolean) =>
    create(`${org(organizationId)}/invitations${bulk ? '/bulk' : ''}`, items, fromCreateOrganizationInvitation, {
      kind: 'organization_invitation',
      bulk,
      organizationId,
      map: toOrganizationInvitation,
    });

  return {
    /** Can Clerk's host be reached at all? Any HTTP answer counts; sends no key and spends no rate limit. */
    async reachable(): Promise<boolean> {
      try {
        const limit = AbortSignal.timeout(Math.min(timeoutMs, 10_000));
        const outer = options.signal?.();
        const r = await doFetch(base, { method: 'HEAD', redirect: 'manual', signal: outer ? AbortSignal.any([limit, outer]) : limit });
        await r.body?.cancel();
        return true;
      } catch {
        return false;
      }
    },

    getInstance: async (): Promise<Instance> => toInstance(await request({ method: 'GET', path: 'instance' })),

    /**
     * Creates: every 2xx answer is checked against the requests (checkCreated.ts). The `…Checked` forms return what
     * the answer proves, tied to each request's index, and which requests it leaves unknown (to be looked up); the
     * plain forms return every invitation in request order, or throw an unknown outcome (`bad_response`).
     */
    createInvitationChecked: (p: CreateInvitationParams): Promise<CreateAnswer<Invitation>> =>
      create('invitations', [p], fromCreateInvitation, { kind: 'invitation', bulk: false, map: toInvitation }),
    /** 1–10 invitations in one request; Clerk answers with a plain array, matched here by email. */
    createInvitationsBulkChecked: (items: CreateInvitationParams[]): Promise<CreateAnswer<Invitation>> =>
      create('invitations/bulk', items, fromCreateInvitation, { kind: 'invitation', bulk: true, map: toInvitation }),
    createInvitation: async (p: CreateInvitationParams): Promise<Invitation> =>
      allProven(await create('invitations', [p], fromCreateInvitation, { kind: 'invitation', bulk: false, map: toInvitation }), 1)[0]!,
    createInvitationsBulk: async (items: CreateInvitationParams[]): Promise<Invitation[]> =>
      allProven(
        await create('invitations/bulk', items, fromCreateInvitation, { kind: 'invitation', bulk: true, map: toInvitation }),
        items.length,
      ),

    listInvitations: async (p: ListInvitationsParams = {}): Promise<Page<Invitation>> =>
      toPage(
        await request({
          method: 'GET',
          path: 'invitations',
          query: { ...list(p), status: p.status, query: p.query, paginated: true },
        }),
        toInvitation,
      ),

    revokeInvitation: async (id: string): Promise<Invitation> =>
      toInvitation(await request({ method: 'POST', path: `invitations/${segment(id)}/revoke` })),

    createOrganizationInvitationChecked: (
      organizationId: string,
      p: CreateOrganizationInvitationParams,
    ): Promise<CreateAnswer<OrganizationInvitation>> => createOrg(organizationId, [p], false),
    /** 1–10 invitations in one request; unlike the app bulk endpoint Clerk answers `{data,total_count}`. */
    createOrganizationInvitationsBulkChecked: (
      organizationId: string,
      items: CreateOrganizationInvitationParams[],
    ): Promise<CreateAnswer<OrganizationInvitation>> => createOrg(organizationId, items, true),
    createOrganizationInvitation: async (organizationId: string, p: CreateOrganizationInvitationParams): Promise<OrganizationInvitation> =>
      allProven(await createOrg(organizationId, [p], false), 1)[0]!,
    createOrganizationInvitationsBulk: async (
      organizationId: string,
      items: CreateOrganizationInvitationParams[],
    ): Promise<OrganizationInvitation[]> => allProven(await createOrg(organizationId, items, true), items.length),

    listOrganizationInvitations: async (
      organizationId: string,
      p: ListOrganizationInvitationsParams = {},
    ): Promise<Page<OrganizationInvitation>> =>
      toPage(
        await request({
          method: 'GET',
          path: `${org(organizationId)}/invitations`,
          query: { ...list(p), status: p.status, email_address: p.emailAddress },
        }),
        toOrganizationInvitation,
      ),

    getOrganizationInvitation: async (organizationId: string, invitationId: string): Promise<OrganizationInvitation> =>
      toOrganizationInvitation(await request({ method: 'GET', path: `${org(organizationId)}/invitations/${segment(invitationId)}` })),

    listInstanceOrganizationInvitations: async (p: ListInstanceOrganizationInvitationsParams = {}): Promise<Page<OrganizationInvitation>> =>
      toPage(
        await request({ method: 'GET', path: 'organization_invitations', query: { ...list(p), status: p.status, query: p.query } }),
        toOrganizationInvitation,
      ),

    revokeOrganizationInvitation: async (
      organizationId: string,
      invitationId: string,
      requestingUserId?: string,
    ): Promise<OrganizationInvitation> =>
      toOrganizationInvitation(
        await request({
          method: 'POST',
          path: `${org(organizationId)}/invitations/${segment(invitationId)}/revoke`,
          ...(requestingUserId ? { body: { requesting_user_id: requestingUserId } } : {}),
        }),
      ),

    listOrganizations: async (p: ListParams & { query?: string } = {}): Promise<Page<Organization>> =>
      toPage(
        await request({
          method: 'GET',
          path: 'organizations',
          query: { ...list(p), query: p.query, include_members_count: true },
        }),
        toOrganization,
      ),

    getOrganization: async (organizationId: string): Promise<Organization> =>
      toOrganization(await request({ method: 'GET', path: org(organizationId), query: { include_members_count: true } })),

    listOrganizationRoles: async (p: ListParams & { query?: string } = {}): Promise<Page<Role>> =>
      toPage(await request({ method: 'GET', path: 'organization_roles', query: { ...list(p), query: p.query } }), toRole),

    /** The instance's accounts with these addresses (up to 100 a call; a plain array, newest first). */
    listUsers: async (p: ListUsersParams = {}): Promise<User[]> => {
      const raw = await request({ method: 'GET', path: 'users', query: { ...list(p), email_address: p.emailAddresses } });
      return Array.isArray(raw) ? raw.map(toUser) : [];
    },

    /** Adds an existing account to an organization: no invitation, no email (general limit). */
    createOrganizationMembership: async (organizationId: string, p: CreateOrganizationMembershipParams): Promise<OrganizationMembership> =>
      toOrganizationMembership(
        await request({ method: 'POST', path: `${org(organizationId)}/memberships`, body: fromCreateOrganizationMembership(p) }),
      ),

    listOrganizationMemberships: async (
      organizationId: string,
      p: ListOrganizationMembershipsParams = {},
    ): Promise<Page<OrganizationMembership>> =>
      toPage(
        await request({
          method: 'GET',
          path: `${org(organizationId)}/memberships`,
          query: { ...list(p), user_id: p.userIds, email_address: p.emailAddresses },
        }),
        toOrganizationMembership,
      ),

    getUser: async (userId: string): Promise<User> => toUser(await request({ method: 'GET', path: `users/${segment(userId)}` })),

    /** A deep merge into the user's metadata (null removes a key); Clerk allows 10 a user per 10 s. */
    updateUserMetadata: async (userId: string, p: MetadataPatch): Promise<User> =>
      toUser(await request({ method: 'PATCH', path: `users/${segment(userId)}/metadata`, body: metadataBody(p) })),

    /** The same on a membership (an organization's metadata for one member). */
    updateOrganizationMembershipMetadata: async (
      organizationId: string,
      userId: string,
      p: MetadataPatch,
    ): Promise<OrganizationMembership> =>
      toOrganizationMembership(
        await request({ method: 'PATCH', path: `${org(organizationId)}/memberships/${segment(userId)}/metadata`, body: metadataBody(p) }),
      ),

    getRoleSet: async (keyOrId: string): Promise<RoleSet> =>
      toRoleSet(await request({ method: 'GET', path: `role_sets/${segment(keyOrId)}` })),

    /** The waitlist (general limit): `{data,total_count}`, newest first unless `orderBy`. */
    listWaitlistEntries: async (p: ListWaitlistParams = {}): Promise<Page<WaitlistEntry>> =>
      toPage(
        await request({ method: 'GET', path: 'waitlist_entries', query: { ...list(p), status: p.status, query: p.query } }),
        toWaitlistEntry,
      ),
    /** 1–50 addresses (no two alike: Clerk refuses the call); addresses already there come back as they are. */
    createWaitlistEntriesBulk: async (items: { emailAddress: string; notify: boolean }[]): Promise<WaitlistEntry[]> => {
      const raw = await request({
        method: 'POST',
        path: 'waitlist_entries/bulk',
        body: items.map((i) => ({ email_address: i.emailAddress, notify: i.notify })),
      });
      return Array.isArray(raw) ? raw.map(toWaitlistEntry) : [];
    },
    inviteWaitlistEntry: async (id: string, p: { ignoreExisting?: boolean } = {}): Promise<WaitlistEntry> =>
      toWaitlistEntry(
        await request({
          method: 'POST',
          path: `waitlist_entries/${segment(id)}/invite`,
          body: { ignore_existing: p.ignoreExisting ?? false },
        }),
      ),
    rejectWaitlistEntry: async (id: string): Promise<WaitlistEntry> =>
      toWaitlistEntry(await request({ method: 'POST', path: `waitlist_entries/${segment(id)}/reject` })),
  };
}

/** Only the kinds with something to write: an empty object would merge nothing anyway. */
const metadataBody = (p: MetadataPatch) => ({
  ...(p.publicMetadata && Object.keys(p.publicMetadata).length ? { public_metadata: p.publicMetadata } : {}),
  ...(p.privateMetadata && Object.keys(p.privateMetadata).length ? { private_metadata: p.privateMetadata } : {}),
});

/**
 * One URL path segment. `.`/`..` would be resolved away (`organizations/../invitations` is the app endpoint) and a
 * lone surrogate makes encodeURIComponent throw "URI malformed": both refused before any request.
 */
export function segment(value: string): string {
  if (
    value === '' ||
    value === '.' ||
    value === '..' ||
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
  )
    throw new ClerkTransportError('bad_request', `Refusing to call Clerk with the id ${JSON.stringify(value)}: not a valid id`);
  return encodeURIComponent(value);
}
