/** In-memory Clerk instances: users, organizations, roles, role sets and invitations. */
import { newId } from './ids.ts';

export type Environment = 'development' | 'production';
type Meta = Record<string, unknown>;

export type EmuUser = {
  id: string;
  emailAddresses: string[];
  firstName: string | null;
  lastName: string | null;
  publicMetadata: Meta;
  privateMetadata: Meta;
  unsafeMetadata: Meta;
  createdAt: number;
  updatedAt: number;
};
/** A membership's own record (its role is `EmuOrg.members`'); members added before it existed get one on demand. */
export type EmuMembership = { id: string; publicMetadata: Meta; privateMetadata: Meta; createdAt: number; updatedAt: number };
export type EmuOrg = {
  id: string;
  name: string;
  slug: string;
  maxAllowedMemberships: number;
  roleSetKey: string;
  /** user id → role key */
  members: Map<string, string>;
  /** user id → the membership's id, metadata and times (see membershipOf). */
  memberships: Map<string, EmuMembership>;
  publicMetadata: Meta;
  privateMetadata: Meta;
  createdAt: number;
  updatedAt: number;
};
export type EmuRole = { id: string; key: string; name: string; description: string | null; createdAt: number };
export type EmuRoleSet = {
  id: string;
  key: string;
  name: string;
  roleKeys: string[];
  defaultRoleKey: string;
  creatorRoleKey: string;
  type: 'initial' | 'custom';
  createdAt: number;
};
export type EmuInvitation = {
  id: string;
  emailAddress: string;
  publicMetadata: Meta;
  status: 'pending' | 'accepted' | 'revoked';
  ticket: string;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Emails actually sent for it (0 when notify was off, or a development instance was past its cap). */
  emailsSent: number;
  /** Made by a bulk call (clerk/javascript#7956: such metadata may not reach the user). */
  bulk?: boolean;
};
export type EmuOrgInvitation = EmuInvitation & {
  organizationId: string;
  role: string;
  inviterId: string | null;
  privateMetadata: Meta;
};

/** A waitlist entry (`waitlist.ts`): its invitation once invited; locked while a batch action holds it. */
export type EmuWaitlistEntry = {
  id: string;
  emailAddress: string;
  status: 'pending' | 'invited' | 'rejected';
  /** Locked (409 for every action) until this time; null when free. */
  lockedUntil: number | null;
  invitationId: string | null;
  /** Whether its confirmation email went out (notify). */
  notified: boolean;
  /** Invites and rejects that took effect on it (tests: nothing is done to an entry twice). */
  actions: number;
  createdAt: number;
  updatedAt: number;
};

export type EmuInstance = {
  id: string;
  secretKey: string;
  environment: Environment;
  users: Map<string, EmuUser>;
  orgs: Map<string, EmuOrg>;
  roles: Map<string, EmuRole>;
  roleSets: Map<string, EmuRoleSet>;
  invitations: EmuInvitation[];
  orgInvitations: EmuOrgInvitation[];
  /** Emails sent in `emailMonth` (dev instances deliver at most `monthlyEmailCap`); the rest silently not sent. */
  emailsSent: number;
  emailMonth: string;
  emailsSuppressed: number;
  monthlyEmailCap: number | null;
  blockedEmails: Set<string>;
  /** Invitations accepted so far (the after-sign-up change variant picks every Nth). */
  accepted: number;
  /** Metadata writes per user or membership (`user_…`, `org_…/user_…`): Clerk allows 10 per 10 s each. */
  metadataWrites: Map<string, number[]>;
  waitlist: EmuWaitlistEntry[];
};

export type InstanceSeed = {
  environment?: Environment;
  secretKey?: string;
  /** null turns the dev-instance cap of 100 emails a month off. */
  monthlyEmailCap?: number | null;
};

const DEFAULT_ROLES: [string, string][] = [
  ['org:admin', 'Admin'],
  ['org:member', 'Member'],
];

export function createInstance(seed: InstanceSeed, now: number): EmuInstance {
  const environment = seed.environment ?? 'development';
  const keyPrefix = environment === 'production' ? 'sk_live_' : 'sk_test_';
  const instance: EmuInstance = {
    id: newId('ins'),
    secretKey: seed.secretKey ?? `${keyPrefix}${newId('x', 40).slice(2)}`,
    environment,
    users: new Map(),
    orgs: new Map(),
    roles: new Map(),
    roleSets: new Map(),
    invitations: [],
    orgInvitations: [],
    emailsSent: 0,
    emailMonth: new Date(now).toISOString().slice(0, 7),
    emailsSuppressed: 0,
    monthlyEmailCap: seed.monthlyEmailCap === undefined ? (environment === 'development' ? 100 : null) : seed.monthlyEmailCap,
    blockedEmails: new Set(),
    accepted: 0,
    metadataWrites: new Map(),
    waitlist: [],
  };
  for (const [key, name] of DEFAULT_ROLES) {
    instance.roles.set(key, { id: newId('role'), key, name, description: null, createdAt: now });
  }
  addRoleSet(
    instance,
    { key: 'role_set:default', name: 'Default', roleKeys: ['org:admin', 'org:member'], defaultRoleKey: 'org:member', type: 'initial' },
    now,
  );
  return instance;
}

export function addRole(instance: EmuInstance, key: string, name: string, now: number): EmuRole {
  const role = { id: newId('role'), key, name, description: null, createdAt: now };
  instance.roles.set(key, role);
  return role;
}

export function addRoleSet(
  instance: EmuInstance,
  init: { key: string; name: string; roleKeys: string[]; defaultRoleKey: string; type?: 'initial' | 'custom' },
  now: number,
): EmuRoleSet {
  const set: EmuRoleSet = {
    id: newId('rs'),
    key: init.key,
    name: init.name,
    roleKeys: init.roleKeys,
    defaultRoleKey: init.defaultRoleKey,
    creatorRoleKey: init.roleKeys.includes('org:admin') ? 'org:admin' : init.defaultRoleKey,
    type: init.type ?? 'custom',
    createdAt: now,
  };
  instance.roleSets.set(set.key, set);
  return set;
}

export function addUser(
  instance: EmuInstance,
  init: { emailAddress: string; firstName?: string; lastName?: string; createdAt?: number; publicMetadata?: Meta },
): EmuUser {
  const createdAt = init.createdAt ?? Date.now();
  const user: EmuUser = {
    id: newId('user'),
    emailAddresses: [init.emailAddress.toLowerCase()],
    firstName: init.firstName ?? null,
    lastName: init.lastName ?? null,
    publicMetadata: init.publicMetadata ?? {},
    privateMetadata: {},
    unsafeMetadata: {},
    createdAt,
    updatedAt: createdAt,
  };
  instance.users.set(user.id, user);
  return user;
}

export function addOrg(
  instance: EmuInstance,
  init: { name: string; slug?: string; maxAllowedMemberships?: number; roleSetKey?: string; admins?: string[] },
  now: number,
): EmuOrg {
  const org: EmuOrg = {
    id: newId('org'),
    name: init.name,
    slug: init.slug ?? init.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    maxAllowedMemberships: init.maxAllowedMemberships ?? 5,
    roleSetKey: init.roleSetKey ?? 'role_set:default',
    members: new Map((init.admins ?? []).map((id) => [id, 'org:admin'])),
    memberships: new Map(),
    publicMetadata: {},
    privateMetadata: {},
    createdAt: now,
    updatedAt: now,
  };
  instance.orgs.set(org.id, org);
  return org;
}

export function findUserByEmail(instance: EmuInstance, email: string): EmuUser | undefined {
  const e = email.toLowerCase();
  for (const u of instance.users.values()) if (u.emailAddresses.includes(e)) return u;
  return undefined;
}

/** Status as a reader sees it: a pending invitation past its expiry reads as expired. */
export function effectiveStatus(inv: EmuInvitation, now: number): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (inv.status === 'pending' && inv.expiresAt !== null && inv.expiresAt <= now) return 'expired';
  return inv.status;
}

/** A member's membership record, made on first use for members added directly to `members` (seeds, tests). */
export function membershipOf(org: EmuOrg, userId: string): EmuMembership {
  let m = org.memberships.get(userId);
  if (!m) {
    m = { id: newId('orgmem'), publicMetadata: {}, privateMetadata: {}, createdAt: org.createdAt, updatedAt: org.createdAt };
    org.memberships.set(userId, m);
  }
  return m;
}

/** Makes a user a member of an organization with a role (and the membership's metadata). */
export function addMember(
  org: EmuOrg,
  userId: string,
  role: string,
  now: number,
  meta: { publicMetadata?: Meta; privateMetadata?: Meta } = {},
) {
  org.members.set(userId, role);
  const m: EmuMembership = {
    id: newId('orgmem'),
    publicMetadata: meta.publicMetadata ?? {},
    privateMetadata: meta.privateMetadata ?? {},
    createdAt: now,
    updatedAt: now,
  };
  org.memberships.set(userId, m);
  return m;
}

/** How acceptance goes where Clerk's behaviour is in doubt (behaviour.ts): #7956, and a change after sign-up. */
export type AcceptBehaviour = {
  bulkMetadataLost?: boolean;
  changedAfterSignUp?: { key: string; value: unknown; every: number } | null;
};

/**
 * What happens when the invitee clicks the link: the invitation is accepted, the user exists (created with this
 * address when new) with the invitation's public metadata, and, for an organization invitation, is a member with
 * the invitation's role and metadata (on the membership, not the user). Under #7956 a bulk-made application
 * invitation's metadata does not reach the user; under the after-sign-up variant every Nth person changes a key.
 */
export function acceptInvitation(instance: EmuInstance, email: string, now: number, how: AcceptBehaviour = {}): boolean {
  const e = email.toLowerCase();
  const pending = (x: EmuInvitation) => x.emailAddress.toLowerCase() === e && effectiveStatus(x, now) === 'pending';
  const orgInv = instance.orgInvitations.find(pending);
  const inv = instance.invitations.find(pending) ?? orgInv;
  if (!inv) return false;
  inv.status = 'accepted';
  inv.updatedAt = now;
  const user = findUserByEmail(instance, e) ?? addUser(instance, { emailAddress: e, createdAt: now });
  let target: { publicMetadata: Meta; updatedAt: number } = user;
  if (inv === orgInv) {
    const org = instance.orgs.get(orgInv.organizationId);
    if (org && !org.members.has(user.id))
      target = addMember(org, user.id, orgInv.role, now, {
        publicMetadata: orgInv.publicMetadata,
        privateMetadata: orgInv.privateMetadata,
      });
  } else if (!(inv.bulk && how.bulkMetadataLost)) {
    user.publicMetadata = { ...user.publicMetadata, ...structuredClone(inv.publicMetadata) };
    user.updatedAt = now;
  }
  instance.accepted += 1;
  const change = how.changedAfterSignUp;
  if (change && instance.accepted % change.every === 0) {
    target.publicMetadata = { ...target.publicMetadata, [change.key]: change.value };
    target.updatedAt = now;
  }
  return true;
}

/** Moves a pending invitation's expiry into the past (tests of expired invitations). */
export function expireInvitation(instance: EmuInstance, email: string, now: number): boolean {
  const inv = [...instance.invitations, ...instance.orgInvitations].find(
    (x) => x.emailAddress.toLowerCase() === email.toLowerCase() && x.status === 'pending',
  );
  if (!inv) return false;
  inv.expiresAt = now - 1;
  return true;
}
