/** The endpoints of shared/clerk/API.md, over the in-memory store. Handlers throw EmuError for Clerk errors. */
import { EmuError, errors, validationError } from './errors.ts';
import { newId } from './ids.ts';
import type { Bucket } from './rateLimit.ts';
import {
  instanceJson,
  invitationJson,
  orgInvitationJson,
  orgInvitationWithOrgJson,
  orgJson,
  pendingCount,
  roleJson,
  roleSetJson,
} from './serialize.ts';
import { effectiveStatus, findUserByEmail, type EmuInstance, type EmuInvitation, type EmuOrg } from './store.ts';
import { APP_INVITATION_KEYS, ORG_INVITATION_KEYS, checkItem, type CheckedItem } from './validate.ts';

export type Ctx = {
  instance: EmuInstance;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  now: number;
  baseUrl: string;
};
export type Route = { method: 'GET' | 'POST'; pattern: RegExp; bucket: Bucket | null; handle: (ctx: Ctx) => unknown };

const DAY = 86_400_000;
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function paging(q: URLSearchParams): { limit: number; offset: number } {
  const limit = q.has('limit') ? Number(q.get('limit')) : 10;
  const offset = q.has('offset') ? Number(q.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError([errors.value('limit', 'must be between 1 and 500.')]);
  if (!Number.isInteger(offset) || offset < 0) throw validationError([errors.value('offset', 'must be 0 or more.')]);
  return { limit, offset };
}

function statusFilter(q: URLSearchParams): string | null {
  const s = q.get('status');
  if (s === null || s === '') return null;
  if (!['pending', 'accepted', 'revoked', 'expired'].includes(s)) throw validationError([errors.value('status', 'is not a valid status.')]);
  return s;
}

function sortBy<T extends EmuInvitation>(items: T[], orderBy: string | null): T[] {
  const spec = orderBy ?? '-created_at';
  const desc = spec.startsWith('-');
  const field = spec.replace(/^[+-]/, '');
  const key: Record<string, (x: T) => string | number> = {
    created_at: (x) => x.createdAt,
    email_address: (x) => x.emailAddress,
    expires_at: (x) => x.expiresAt ?? 0,
  };
  const get = key[field];
  if (!get) throw validationError([errors.value('order_by', 'is not a valid ordering.')]);
  // Ties keep insertion order, so paging is stable.
  return items
    .map((x, i) => [x, i] as const)
    .sort(([a, ia], [b, ib]) => {
      const va = get(a),
        vb = get(b);
      const c = va < vb ? -1 : va > vb ? 1 : ia - ib;
      return desc ? -c : c;
    })
    .map(([x]) => x);
}

function requireJsonArray(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw errors.bodyInvalid();
  if (body.length === 0) throw validationError([errors.missing('invitations')]);
  if (body.length > 10) throw errors.arraySize();
  return body;
}

/** Checks every item; one structural problem anywhere fails the whole request (bulk is all-or-nothing). */
function checkAll(bodies: unknown[], allowed: string[], requireRole: boolean): CheckedItem[] {
  const checked = bodies.map((b) => checkItem(b, allowed, requireRole));
  const problems = checked.flatMap((c) => c.problems);
  if (problems.length > 0) throw validationError(problems);
  return checked.map((c) => c.item!);
}

function checkEmailCap(instance: EmuInstance, items: CheckedItem[]): void {
  const emails = items.filter((i) => i.notify).length;
  if (instance.monthlyEmailCap !== null && instance.emailsSent + emails > instance.monthlyEmailCap) throw errors.emailCap();
}

function checkBlocked(instance: EmuInstance, items: CheckedItem[]): void {
  if (items.some((i) => instance.blockedEmails.has(i.emailAddress.toLowerCase()))) throw errors.notAllowed();
}

function createAppInvitations(ctx: Ctx, items: CheckedItem[]): EmuInvitation[] {
  const { instance, now } = ctx;
  checkBlocked(instance, items);
  const dupes = items
    .filter((it, idx) => {
      if (it.ignoreExisting) return false;
      const repeated = items.findIndex((o) => eq(o.emailAddress, it.emailAddress)) !== idx;
      const pending = instance.invitations.some((x) => eq(x.emailAddress, it.emailAddress) && effectiveStatus(x, now) === 'pending');
      return repeated || pending;
    })
    .map((it) => it.emailAddress);
  if (dupes.length > 0) throw errors.duplicate([...new Set(dupes)]);
  if (items.some((it) => !it.ignoreExisting && findUserByEmail(instance, it.emailAddress))) throw errors.identifierExists();
  checkEmailCap(instance, items);
  return items.map((it) => {
    const inv: EmuInvitation = {
      id: newId('inv'),
      emailAddress: it.emailAddress,
      publicMetadata: it.publicMetadata,
      status: 'pending',
      ticket: newId('tkt', 32).slice(4),
      expiresAt: now + it.expiresInDays * DAY,
      createdAt: now,
      updatedAt: now,
    };
    instance.invitations.push(inv);
    if (it.notify) instance.emailsSent += 1;
    return inv;
  });
}

function orgOf(ctx: Ctx): EmuOrg {
  const org = ctx.instance.orgs.get(ctx.params['org'] ?? '') ?? [...ctx.instance.orgs.values()].find((o) => o.slug === ctx.params['org']);
  if (!org) throw errors.notFound();
  return org;
}

function createOrgInvitations(ctx: Ctx, org: EmuOrg, items: CheckedItem[]) {
  const { instance, now } = ctx;
  const allowedRoles = instance.roleSets.get(org.roleSetKey)?.roleKeys ?? [...instance.roles.keys()];
  const badRoles = items.filter((it) => !allowedRoles.includes(it.role));
  if (badRoles.length > 0)
    throw validationError(badRoles.map(() => errors.value('role', `is not a role in this organization's role set.`)));
  for (const it of items) {
    if (it.inviterUserId !== null && org.members.get(it.inviterUserId) !== 'org:admin') throw errors.notAdmin();
  }
  checkBlocked(instance, items);
  if (
    items.some((it) => {
      const user = findUserByEmail(instance, it.emailAddress);
      return user !== undefined && org.members.has(user.id);
    })
  )
    throw errors.alreadyMember();
  const dupes = items
    .filter(
      (it, idx) =>
        items.findIndex((o) => eq(o.emailAddress, it.emailAddress)) !== idx ||
        instance.orgInvitations.some(
          (x) => x.organizationId === org.id && eq(x.emailAddress, it.emailAddress) && effectiveStatus(x, now) === 'pending',
        ),
    )
    .map((it) => it.emailAddress);
  if (dupes.length > 0) throw errors.duplicate([...new Set(dupes)]);
  if (org.maxAllowedMemberships > 0 && org.members.size + pendingCount(instance, org, now) + items.length > org.maxAllowedMemberships) {
    throw errors.quota();
  }
  checkEmailCap(instance, items);
  return items.map((it) => {
    const inv = {
      id: newId('orginv'),
      emailAddress: it.emailAddress,
      publicMetadata: it.publicMetadata,
      privateMetadata: it.privateMetadata,
      status: 'pending' as const,
      ticket: newId('tkt', 32).slice(4),
      expiresAt: now + it.expiresInDays * DAY,
      createdAt: now,
      updatedAt: now,
      organizationId: org.id,
      role: it.role,
      inviterId: it.inviterUserId,
    };
    instance.orgInvitations.push(inv);
    if (it.notify) instance.emailsSent += 1;
    return inv;
  });
}

function page<T>(items: T[], q: URLSearchParams) {
  const { limit, offset } = paging(q);
  return { data: items.slice(offset, offset + limit), total_count: items.length };
}

const r = (method: Route['method'], path: string, bucket: Bucket | null, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^/v1${path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`),
  bucket,
  handle,
});

export const routes: Route[] = [
  r('GET', '/instance', 'general', (c) => instanceJson(c.instance)),
  r('GET', '/jwks', null, () => ({ keys: [] })),

  r('POST', '/invitations', 'invitations.create', (c) => {
    const [item] = checkAll([c.body], APP_INVITATION_KEYS, false);
    return invitationJson(createAppInvitations(c, [item!])[0]!, c.baseUrl, c.now);
  }),
  r('POST', '/invitations/bulk', 'invitations.bulk', (c) => {
    const items = checkAll(requireJsonArray(c.body), APP_INVITATION_KEYS, false);
    return createAppInvitations(c, items).map((inv) => invitationJson(inv, c.baseUrl, c.now));
  }),
  r('GET', '/invitations', 'general', (c) => {
    const status = statusFilter(c.query);
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = c.instance.invitations.filter(
      (x) =>
        (status === null || effectiveStatus(x, c.now) === status) &&
        (query === '' || x.emailAddress.toLowerCase().includes(query) || x.id.toLowerCase() === query),
    );
    const sorted = sortBy(found, c.query.get('order_by')).map((x) => invitationJson(x, c.baseUrl, c.now));
    const result = page(sorted, c.query);
    return c.query.get('paginated') === 'true' ? result : result.data;
  }),
  r('POST', '/invitations/:id/revoke', 'general', (c) => {
    const inv = c.instance.invitations.find((x) => x.id === c.params['id']);
    if (!inv) throw errors.notFound();
    if (inv.status === 'revoked') throw errors.alreadyRevoked();
    inv.status = 'revoked';
    inv.updatedAt = c.now;
    return invitationJson(inv, c.baseUrl, c.now);
  }),

  r('POST', '/organizations/:org/invitations', 'org_invitations.create', (c) => {
    const org = orgOf(c);
    const [item] = checkAll([c.body], ORG_INVITATION_KEYS, true);
    return orgInvitationJson(c.instance, createOrgInvitations(c, org, [item!])[0]!, c.baseUrl, c.now);
  }),
  r('POST', '/organizations/:org/invitations/bulk', 'org_invitations.bulk', (c) => {
    const org = orgOf(c);
    const items = checkAll(requireJsonArray(c.body), ORG_INVITATION_KEYS, true);
    const created = createOrgInvitations(c, org, items).map((x) => orgInvitationJson(c.instance, x, c.baseUrl, c.now));
    return { data: created, total_count: created.length };
  }),
  r('GET', '/organizations/:org/invitations', 'general', (c) => {
    const org = orgOf(c);
    const status = statusFilter(c.query);
    const email = c.query.get('email_address');
    const found = c.instance.orgInvitations.filter(
      (x) =>
        x.organizationId === org.id &&
        (status === null || effectiveStatus(x, c.now) === status) &&
        (email === null || eq(x.emailAddress, email)),
    );
    return page(
      sortBy(found, c.query.get('order_by')).map((x) => orgInvitationJson(c.instance, x, c.baseUrl, c.now)),
      c.query,
    );
  }),
  r('GET', '/organizations/:org/invitations/:id', 'general', (c) => {
    const org = orgOf(c);
    const inv = c.instance.orgInvitations.find((x) => x.id === c.params['id'] && x.organizationId === org.id);
    if (!inv) throw errors.notFound();
    return orgInvitationJson(c.instance, inv, c.baseUrl, c.now);
  }),
  r('POST', '/organizations/:org/invitations/:id/revoke', 'general', (c) => {
    const org = orgOf(c);
    const inv = c.instance.orgInvitations.find((x) => x.id === c.params['id'] && x.organizationId === org.id);
    if (!inv) throw errors.notFound();
    if (effectiveStatus(inv, c.now) !== 'pending') throw errors.orgInvitationNotPending();
    const body = c.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) throw errors.bodyInvalid();
    const requester = (body as { requesting_user_id?: unknown } | undefined)?.requesting_user_id;
    if (typeof requester === 'string' && org.members.get(requester) !== 'org:admin') throw errors.notAdmin();
    inv.status = 'revoked';
    inv.updatedAt = c.now;
    return orgInvitationJson(c.instance, inv, c.baseUrl, c.now);
  }),
  r('GET', '/organization_invitations', 'general', (c) => {
    const status = statusFilter(c.query);
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = c.instance.orgInvitations.filter(
      (x) =>
        (status === null || effectiveStatus(x, c.now) === status) &&
        (query === '' || x.emailAddress.toLowerCase().includes(query) || x.id.toLowerCase() === query),
    );
    return page(
      sortBy(found, c.query.get('order_by')).map((x) => orgInvitationWithOrgJson(c.instance, x, c.baseUrl, c.now)),
      c.query,
    );
  }),

  r('GET', '/organizations', 'general', (c) => {
    const query = (c.query.get('query') ?? '').toLowerCase();
    const withCounts = c.query.get('include_members_count') === 'true';
    const found = [...c.instance.orgs.values()]
      .filter((o) => query === '' || o.name.toLowerCase().includes(query) || o.slug.includes(query) || o.id.toLowerCase() === query)
      .sort((a, b) => b.createdAt - a.createdAt);
    return page(
      found.map((o) => orgJson(c.instance, o, c.now, withCounts)),
      c.query,
    );
  }),
  r('GET', '/organizations/:org', 'general', (c) => orgJson(c.instance, orgOf(c), c.now, c.query.get('include_members_count') === 'true')),
  r('GET', '/organization_roles', 'general', (c) => {
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = [...c.instance.roles.values()].filter(
      (x) => query === '' || x.key.includes(query) || x.name.toLowerCase().includes(query),
    );
    return page(found.map(roleJson), c.query);
  }),
  r('GET', '/role_sets', 'general', (c) =>
    page(
      [...c.instance.roleSets.values()].map((s) => roleSetJson(c.instance, s)),
      c.query,
    ),
  ),
  r('GET', '/role_sets/:key', 'general', (c) => {
    const key = c.params['key'] ?? '';
    const set = c.instance.roleSets.get(key) ?? [...c.instance.roleSets.values()].find((s) => s.id === key);
    if (!set) throw errors.notFound();
    return roleSetJson(c.instance, set);
  }),
];

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) {
      const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      return { route, params };
    }
  }
  return null;
}

export { EmuError };
