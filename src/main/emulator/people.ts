/**
 * The instance's people: `GET /v1/users` (its email filter: up to 100 addresses, any case) and an organization's
 * memberships, listed and created (an existing user added directly: no invitation, no email), with Clerk's shapes
 * and errors. All on the general limit.
 */
import { EmuError, errors, validationError } from './errors.ts';
import { orgOf, page, paging, r, type Ctx, type Route } from './routeKit.ts';
import { orgJson, pendingCount } from './serialize.ts';
import { addMember, membershipOf, type EmuInstance, type EmuOrg, type EmuUser } from './store.ts';
import { METADATA_LIMIT_BYTES } from './validate.ts';

/** Clerk accepts up to 100 values for each list filter. */
export const FILTER_MAX = 100;

/** A repeatable filter (`email_address=a&email_address=b`, or comma-separated values); over 100 is refused. */
function filterOf(q: URLSearchParams, name: string): string[] | null {
  const values = q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length > FILTER_MAX) throw validationError([errors.value(name, `accepts up to ${FILTER_MAX} values.`)]);
  return values.length ? values : null;
}

/** `user_id` values may carry `+` (include) or `-` (exclude), as Clerk's spec says. */
function idFilter(q: URLSearchParams): { include: Set<string> | null; exclude: Set<string> } {
  const values = filterOf(q, 'user_id') ?? [];
  const include = values.filter((v) => !v.startsWith('-')).map((v) => v.replace(/^\+/, ''));
  return {
    include: include.length ? new Set(include) : null,
    exclude: new Set(values.filter((v) => v.startsWith('-')).map((v) => v.slice(1))),
  };
}

export function userJson(u: EmuUser) {
  const emails = u.emailAddresses.map((e, i) => ({
    id: `idn_${u.id.slice(5)}${i}`,
    object: 'email_address',
    email_address: e,
    reserved: false,
    verification: { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null },
    linked_to: [],
    created_at: u.createdAt,
    updated_at: u.createdAt,
  }));
  return {
    id: u.id,
    object: 'user',
    external_id: null,
    primary_email_address_id: emails[0]?.id ?? null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: null,
    first_name: u.firstName,
    last_name: u.lastName,
    image_url: `https://img.clerk.com/${u.id}`,
    has_image: false,
    public_metadata: u.publicMetadata,
    private_metadata: u.privateMetadata,
    unsafe_metadata: u.unsafeMetadata,
    email_addresses: emails,
    phone_numbers: [],
    web3_wallets: [],
    passkeys: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    last_sign_in_at: null,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: null,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    delete_self_enabled: true,
    create_organization_enabled: true,
    last_active_at: null,
    legal_accepted_at: null,
  };
}

export function membershipJson(i: EmuInstance, org: EmuOrg, userId: string, now: number) {
  const m = membershipOf(org, userId);
  const role = org.members.get(userId) ?? '';
  const u = i.users.get(userId);
  return {
    object: 'organization_membership',
    id: m.id,
    role,
    role_name: i.roles.get(role)?.name ?? role,
    permissions: [],
    public_metadata: m.publicMetadata,
    private_metadata: m.privateMetadata,
    organization: orgJson(i, org, now, false),
    public_user_data: {
      user_id: userId,
      first_name: u?.firstName ?? null,
      last_name: u?.lastName ?? null,
      profile_image_url: `https://img.clerk.com/${userId}`,
      image_url: `https://img.clerk.com/${userId}`,
      has_image: false,
      identifier: u?.emailAddresses[0] ?? null,
    },
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

const MEMBERSHIP_KEYS = ['user_id', 'role', 'public_metadata', 'private_metadata'];

/** The body of a membership create, checked as Clerk does (missing, unknown, of the wrong kind, too large). */
function membershipBody(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.bodyInvalid();
  const o = body as Record<string, unknown>;
  const problems = [
    ...Object.keys(o)
      .filter((k) => !MEMBERSHIP_KEYS.includes(k))
      .map(errors.unknown),
    ...['user_id', 'role'].filter((k) => typeof o[k] !== 'string' || o[k] === '').map(errors.missing),
  ];
  const meta = (k: string): Record<string, unknown> => {
    const v = o[k];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) {
      problems.push(errors.value(k, 'must be an object.'));
      return {};
    }
    if (JSON.stringify(v).length > METADATA_LIMIT_BYTES) problems.push(errors.tooLarge(k));
    return v as Record<string, unknown>;
  };
  const publicMetadata = meta('public_metadata');
  const privateMetadata = meta('private_metadata');
  if (problems.length) throw validationError(problems);
  return { userId: String(o['user_id']), role: String(o['role']), publicMetadata, privateMetadata };
}

function createMembership(c: Ctx) {
  const org = orgOf(c);
  const b = membershipBody(c.body);
  const allowed = c.instance.roleSets.get(org.roleSetKey)?.roleKeys ?? [...c.instance.roles.keys()];
  if (!allowed.includes(b.role)) {
    if (c.behaviour.unknownRole === 'not_found') throw errors.roleNotFound();
    throw validationError([errors.value('role', `is not a role in this organization's role set.`)]);
  }
  // An id of another instance, or of a deleted user: Clerk does not know it.
  if (!c.instance.users.has(b.userId)) throw new EmuError(404, [{ ...errors.notFound().items[0]!, meta: { param_name: 'user_id' } }]);
  if (org.members.has(b.userId)) throw errors.alreadyMember();
  // The quota counts members and pending invitations (API.md).
  if (org.maxAllowedMemberships > 0 && org.members.size + pendingCount(c.instance, org, c.now) >= org.maxAllowedMemberships)
    throw errors.quota();
  addMember(org, b.userId, b.role, c.now, { publicMetadata: b.publicMetadata, privateMetadata: b.privateMetadata });
  return membershipJson(c.instance, org, b.userId, c.now);
}

export const peopleRoutes: Route[] = [
  r('GET', '/users', 'general', (c) => {
    const emails = filterOf(c.query, 'email_address')?.map((e) => e.toLowerCase()) ?? null;
    const ids = idFilter(c.query);
    const query = (c.query.get('query') ?? '').toLowerCase();
    const found = [...c.instance.users.values()].filter(
      (u) =>
        (emails === null || u.emailAddresses.some((e) => emails.includes(e))) &&
        (ids.include === null || ids.include.has(u.id)) &&
        !ids.exclude.has(u.id) &&
        (query === '' || u.id.toLowerCase() === query || u.emailAddresses.some((e) => e.includes(query))),
    );
    const desc = (c.query.get('order_by') ?? '-created_at') !== '+created_at';
    found.sort((a, b) => (desc ? b.createdAt - a.createdAt : a.createdAt - b.createdAt));
    const { limit, offset } = paging(c.query);
    // A plain array, like the app invitation list without `paginated`.
    return found.slice(offset, offset + limit).map(userJson);
  }),
  r('GET', '/organizations/:org/memberships', 'general', (c) => {
    const org = orgOf(c);
    const emails = filterOf(c.query, 'email_address')?.map((e) => e.toLowerCase()) ?? null;
    const ids = idFilter(c.query);
    const found = [...org.members.keys()].filter(
      (id) =>
        (ids.include === null || ids.include.has(id)) &&
        !ids.exclude.has(id) &&
        (emails === null || (c.instance.users.get(id)?.emailAddresses ?? []).some((e) => emails.includes(e))),
    );
    const items = found.map((id) => membershipJson(c.instance, org, id, c.now)).sort((a, b) => b.created_at - a.created_at);
    return page(items, c.query);
  }),
  r('POST', '/organizations/:org/memberships', 'general', createMembership),
];
