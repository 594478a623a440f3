/** The endpoints of shared/clerk/API.md, over the in-memory store. Handlers throw EmuError for Clerk errors. */
import type { Behaviour } from './behaviour.ts';
import { EmuError, errors, validationError } from './errors.ts';
import { newId } from './ids.ts';
import { metadataRoutes } from './metadata.ts';
import { peopleRoutes } from './people.ts';
import { eq, orgOf, page, r, type Ctx, type Route } from './routeKit.ts';
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
import { effectiveStatus, findUserByEmail, type EmuInvitation, type EmuOrg, type EmuOrgInvitation } from './store.ts';
import { APP_INVITATION_KEYS, ORG_INVITATION_KEYS, checkItem, type CheckedItem } from './validate.ts';
import { linkWaitlistInvitations, waitlistRoutes } from './waitlist.ts';

const DAY = 86_400_000;

const STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
type Status = (typeof STATUSES)[number];

/** `status` may repeat (or list values with commas); none at all → `fallback`. */
function statusFilter(q: URLSearchParams, fallback: Status[] | null): Set<string> | null {
  const values = q
    .getAll('status')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) return fallback ? new Set(fallback) : null;
  for (const v of values)
    if (!(STATUSES as readonly string[]).includes(v)) throw validationError([errors.value('status', 'is not a valid status.')]);
  return new Set(values);
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

function requireJsonArray(body: unknown, ctx: Ctx): unknown[] {
  if (!Array.isArray(body)) throw errors.bodyInvalid();
  if (body.length === 0) throw validationError([errors.missing('invitations')]);
  if (body.length > 10) throw errors.arraySize(ctx.behaviour.bulkSize);
  return body;
}

/** Checks every item; one structural problem anywhere fails the whole request. */
function checkAll(bodies: unknown[], allowed: string[], requireRole: boolean): CheckedItem[] {
  const checked = bodies.map((b) => checkItem(b, allowed, requireRole));
  const problems = checked.flatMap((c) => c.problems);
  if (problems.length > 0) throw validationError(problems);
  return checked.map((c) => c.item!);
}

/** Test addresses (`+clerk_test`) never get an email, so they are not counted against the cap. */
const isTestEmail = (email: string) => /\+clerk_test@/i.test(email);
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

/** Emails this instance sends for these items; past a development instance's monthly cap none go out. */
function sendEmails(ctx: Ctx, items: { notify: boolean; emailAddress: string }[]): boolean[] {
  const { instance } = ctx;
  const month = monthOf(ctx.now);
  if (instance.emailMonth !== month) {
    instance.emailMonth = month;
    instance.emailsSent = 0;
  }
  const wanted = items.filter((i) => i.notify && !isTestEmail(i.emailAddress)).length;
  const cap = instance.monthlyEmailCap;
  if (cap !== null && ctx.behaviour.devEmailCap === 'error' && instance.emailsSent + wanted > cap) throw errors.emailCap();
  return items.map((i) => {
    if (!i.notify || isTestEmail(i.emailAddress)) return false;
    if (cap !== null && instance.emailsSent >= cap) {
      instance.emailsSuppressed += 1; // the corrections: the invitation is created, the email silently not sent
      return false;
    }
    instance.emailsSent += 1;
    return true;
  });
}

type Problem = { kind: 'blocked' | 'duplicate' | 'not_unique' | 'exists' | 'member' | 'quota'; email: string };

/** One Clerk error answer for every problem found, each kind an element of `errors[]`, first kind's status. */
function problemsError(problems: Problem[], code: Behaviour['existingUser']): EmuError {
  const of = (k: Problem['kind']) => [...new Set(problems.filter((p) => p.kind === k).map((p) => p.email))];
  const parts: EmuError[] = [];
  if (of('blocked').length) parts.push(errors.notAllowed(of('blocked')));
  if (of('member').length) parts.push(errors.alreadyMember());
  if (of('duplicate').length) parts.push(errors.duplicate(of('duplicate')));
  if (of('not_unique').length) parts.push(errors.orgInvitationNotUnique(of('not_unique')));
  if (of('exists').length) parts.push(errors.identifierExists(code, of('exists')));
  if (of('quota').length) parts.push(errors.quota());
  return new EmuError(
    parts[0]!.status,
    parts.flatMap((p) => p.items),
  );
}

/**
 * All-or-nothing (the default) or, in the partial-bulk variant, the good items are committed and the request
 * still answers the error for the rest.
 */
function commitOrFail<T>(ctx: Ctx, bulk: boolean, problems: (Problem | null)[], create: (okIdx: number[]) => T[]): T[] {
  const found = problems.filter((p): p is Problem => p !== null);
  if (found.length === 0) return create(problems.map((_, i) => i));
  if (bulk && ctx.behaviour.partialBulk) create(problems.flatMap((p, i) => (p === null ? [i] : [])));
  throw problemsError(found, ctx.behaviour.existingUser);
}

function blocksNew(x: EmuInvitation, ctx: Ctx): boolean {
  const st = effectiveStatus(x, ctx.now);
  return st === 'pending' || (st === 'expired' && ctx.behaviour.expiredBlocks);
}

function createAppInvitations(ctx: Ctx, items: CheckedItem[], bulk: boolean): EmuInvitation[] {
  const { instance, now } = ctx;
  const problems = items.map((it, idx): Problem | null => {
    const email = it.emailAddress;
    if (instance.blockedEmails.has(email.toLowerCase())) return { kind: 'blocked', email };
    const repeated = items.findIndex((o) => eq(o.emailAddress, email)) !== idx;
    const pending = instance.invitations.some((x) => eq(x.emailAddress, email) && blocksNew(x, ctx));
    if (!it.ignoreExisting && (repeated || pending)) return { kind: 'duplicate', email };
    // The spec: existing users cannot be bypassed in a bulk call, ignore_existing or not.
    if ((bulk || !it.ignoreExisting) && findUserByEmail(instance, email)) return { kind: 'exists', email };
    return null;
  });
  return commitOrFail(ctx, bulk, problems, (ok) => {
    const chosen = ok.map((i) => items[i]!);
    const emailed = sendEmails(ctx, chosen);
    return chosen.map((it, k) => {
      const inv: EmuInvitation = {
        id: newId('inv'),
        emailAddress: it.emailAddress,
        publicMetadata: it.publicMetadata,
        status: 'pending',
        ticket: newId('tkt', 32).slice(4),
        expiresAt: now + it.expiresInDays * DAY,
        createdAt: now,
        updatedAt: now,
        emailsSent: emailed[k] ? 1 : 0,
        ...(bulk ? { bulk: true } : {}),
      };
      instance.invitations.push(inv);
      return inv;
    });
  });
}

function checkInviter(ctx: Ctx, org: EmuOrg, inviter: string | null): void {
  if (inviter === null) return;
  const role = org.members.get(inviter);
  if (role === 'org:admin') return;
  if (ctx.behaviour.inviterErrors === '2026') throw errors.notAdmin();
  throw role === undefined ? errors.notMember() : errors.missingPermission();
}

function createOrgInvitations(ctx: Ctx, org: EmuOrg, items: CheckedItem[], bulk: boolean): EmuOrgInvitation[] {
  const { instance, now, behaviour } = ctx;
  const allowedRoles = instance.roleSets.get(org.roleSetKey)?.roleKeys ?? [...instance.roles.keys()];
  const badRoles = items.filter((it) => !allowedRoles.includes(it.role));
  if (badRoles.length > 0) {
    if (behaviour.unknownRole === 'not_found') throw errors.roleNotFound();
    throw validationError(badRoles.map(() => errors.value('role', `is not a role in this organization's role set.`)));
  }
  for (const it of items) checkInviter(ctx, org, it.inviterUserId);
  const pendingFor = (email: string) =>
    instance.orgInvitations.find((x) => x.organizationId === org.id && eq(x.emailAddress, email) && blocksNew(x, ctx));
  let seats = org.maxAllowedMemberships > 0 ? org.maxAllowedMemberships - org.members.size - pendingCount(instance, org, now) : Infinity;
  const problems = items.map((it, idx): Problem | null => {
    const email = it.emailAddress;
    if (instance.blockedEmails.has(email.toLowerCase())) return { kind: 'blocked', email };
    const user = findUserByEmail(instance, email);
    if (user !== undefined && org.members.has(user.id)) return { kind: 'member', email };
    const repeated = items.findIndex((o) => eq(o.emailAddress, email)) !== idx;
    const pending = pendingFor(email);
    if (repeated || (pending && behaviour.orgDuplicatePending !== 'reuse'))
      return { kind: behaviour.orgDuplicatePending === 'organization_invitation_not_unique' ? 'not_unique' : 'duplicate', email };
    if (pending) return null; // reused: takes no new seat
    if (seats <= 0) return { kind: 'quota', email };
    seats -= 1;
    return null;
  });
  return commitOrFail(ctx, bulk, problems, (ok) => {
    const chosen = ok.map((i) => items[i]!);
    const emailed = sendEmails(ctx, chosen);
    return chosen.map((it, k) => {
      const existing = pendingFor(it.emailAddress);
      if (existing && effectiveStatus(existing, now) === 'pending') {
        // 2024: the pending invitation is reused and its email sent again; the new role and metadata are NOT applied.
        existing.emailsSent += emailed[k] ? 1 : 0;
        return existing;
      }
      const inv: EmuOrgInvitation = {
        id: newId('orginv'),
        emailAddress: it.emailAddress,
        publicMetadata: it.publicMetadata,
        privateMetadata: it.privateMetadata,
        status: 'pending',
        ticket: newId('tkt', 32).slice(4),
        expiresAt: now + it.expiresInDays * DAY,
        createdAt: now,
        updatedAt: now,
        organizationId: org.id,
        role: it.role,
        inviterId: it.inviterUserId,
        emailsSent: emailed[k] ? 1 : 0,
      };
      instance.orgInvitations.push(inv);
      return inv;
    });
  });
}

export const routes: Route[] = [
  ...peopleRoutes,
  ...metadataRoutes,
  r('GET', '/instance', 'general', (c) => instanceJson(c.instance)),
  r('GET', '/jwks', null, () => ({ keys: [] })),

  r('POST', '/invitations', 'invitations.create', (c) => {
    const [item] = checkAll([c.body], APP_INVITATION_KEYS, false);
    const inv = createAppInvitations(c, [item!], false)[0]!;
    linkWaitlistInvitations(c, [{ inv, item: item! }]);
    return invitationJson(inv, c.baseUrl, c.now);
  }),
  r('POST', '/invitations/bulk', 'invitations.bulk', (c) => {
    const items = checkAll(requireJsonArray(c.body, c), APP_INVITATION_KEYS, false);
    const made = createAppInvitations(c, items, true);
    linkWaitlistInvitations(
      c,
      made.map((inv) => ({ inv, item: items.find((it) => eq(it.emailAddress, inv.emailAddress))! })),
    );
    return made.map((inv) => invitationJson(inv, c.baseUrl, c.now));
  }),
  r('GET', '/invitations', 'general', (c) => {
    // The corrections: with no `status`, Clerk lists non-revoked invitations only.
    const status = statusFilter(c.query, ['pending', 'accepted', 'expired']);
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = c.instance.invitations.filter(
      (x) =>
        (status === null || status.has(effectiveStatus(x, c.now))) &&
        (query === '' || x.emailAddress.toLowerCase().includes(query) || x.id.toLowerCase() === query),
    );
    // List answers carry no accept link (only the create answer does).
    const sorted = sortBy(found, c.query.get('order_by')).map((x) => invitationJson(x, c.baseUrl, c.now, { listed: true }));
    const result = page(sorted, c.query);
    return c.query.get('paginated') === 'true' ? result : result.data;
  }),
  r('POST', '/invitations/:id/revoke', 'general', (c) => {
    const inv = c.instance.invitations.find((x) => x.id === c.params['id']);
    if (!inv) throw errors.notFound();
    if (inv.status === 'revoked') throw errors.alreadyRevoked();
    if (inv.status === 'accepted') throw errors.alreadyAccepted();
    inv.status = 'revoked';
    inv.updatedAt = c.now;
    return invitationJson(inv, c.baseUrl, c.now);
  }),

  r('POST', '/organizations/:org/invitations', 'org_invitations.create', (c) => {
    const org = orgOf(c);
    const [item] = checkAll([c.body], ORG_INVITATION_KEYS, true);
    return orgInvitationJson(c.instance, createOrgInvitations(c, org, [item!], false)[0]!, c.baseUrl, c.now);
  }),
  r('POST', '/organizations/:org/invitations/bulk', 'org_invitations.bulk', (c) => {
    const org = orgOf(c);
    const items = checkAll(requireJsonArray(c.body, c), ORG_INVITATION_KEYS, true);
    const created = createOrgInvitations(c, org, items, true).map((x) => orgInvitationJson(c.instance, x, c.baseUrl, c.now));
    return { data: created, total_count: created.length };
  }),
  r('GET', '/organizations/:org/invitations', 'general', (c) => {
    const org = orgOf(c);
    const status = statusFilter(c.query, null);
    const email = c.query.get('email_address');
    const found = c.instance.orgInvitations.filter(
      (x) =>
        x.organizationId === org.id &&
        (status === null || status.has(effectiveStatus(x, c.now))) &&
        (email === null || eq(x.emailAddress, email)),
    );
    return page(
      sortBy(found, c.query.get('order_by')).map((x) => orgInvitationJson(c.instance, x, c.baseUrl, c.now, { listed: true })),
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
    const status = statusFilter(c.query, null);
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = c.instance.orgInvitations.filter(
      (x) =>
        (status === null || status.has(effectiveStatus(x, c.now))) &&
        (query === '' || x.emailAddress.toLowerCase().includes(query) || x.id.toLowerCase() === query),
    );
    return page(
      sortBy(found, c.query.get('order_by')).map((x) => orgInvitationWithOrgJson(c.instance, x, c.baseUrl, c.now, { listed: true })),
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
  ...waitlistRoutes((c, item) => createAppInvitations(c, [item], false)[0]!),
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
export type { Ctx, Route };
