/** Clerk's snake_case JSON → typed camelCase objects. Metadata objects pass through untouched. */
import type {
  Instance,
  Invitation,
  InvitationStatus,
  Metadata,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  Role,
  RoleSet,
  User,
  WaitlistEntry,
  WaitlistStatus,
} from './types.ts';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const sn = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const nn = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const meta = (v: unknown): Metadata => obj(v);

export function toInstance(raw: unknown): Instance {
  const o = obj(raw);
  const origins = Array.isArray(o['allowed_origins']) ? o['allowed_origins'].map(s) : null;
  return { id: s(o['id']), environmentType: s(o['environment_type']), allowedOrigins: origins };
}

export function toInvitation(raw: unknown): Invitation {
  const o = obj(raw);
  return {
    id: s(o['id']),
    emailAddress: s(o['email_address']),
    publicMetadata: meta(o['public_metadata']),
    status: s(o['status']) as InvitationStatus,
    revoked: o['revoked'] === true,
    url: sn(o['url']),
    expiresAt: nn(o['expires_at']),
    createdAt: n(o['created_at']),
    updatedAt: n(o['updated_at']),
  };
}

export function toOrganizationInvitation(raw: unknown): OrganizationInvitation {
  const o = obj(raw);
  const org = o['public_organization_data'];
  return {
    id: s(o['id']),
    emailAddress: s(o['email_address']),
    role: s(o['role']),
    roleName: s(o['role_name']),
    organizationId: s(o['organization_id']),
    inviterId: sn(o['inviter_id']),
    status: s(o['status']),
    publicMetadata: meta(o['public_metadata']),
    privateMetadata: meta(o['private_metadata']),
    url: sn(o['url']),
    expiresAt: nn(o['expires_at']),
    createdAt: n(o['created_at']),
    updatedAt: n(o['updated_at']),
    organizationName: org ? sn(obj(org)['name']) : null,
  };
}

export function toOrganization(raw: unknown): Organization {
  const o = obj(raw);
  return {
    id: s(o['id']),
    name: s(o['name']),
    slug: s(o['slug']),
    membersCount: nn(o['members_count']),
    pendingInvitationsCount: nn(o['pending_invitations_count']),
    maxAllowedMemberships: n(o['max_allowed_memberships']),
    roleSetKey: sn(o['role_set_key']),
    publicMetadata: meta(o['public_metadata']),
    createdAt: n(o['created_at']),
  };
}

export function toRole(raw: unknown): Role {
  const o = obj(raw);
  return { id: s(o['id']), key: s(o['key']), name: s(o['name']), description: sn(o['description']) };
}

const roleItem = (raw: unknown) => ({ key: s(obj(raw)['key']), name: s(obj(raw)['name']) });

export function toRoleSet(raw: unknown): RoleSet {
  const o = obj(raw);
  return {
    id: s(o['id']),
    key: s(o['key']),
    name: s(o['name']),
    roles: Array.isArray(o['roles']) ? o['roles'].map(roleItem) : [],
    defaultRole: o['default_role'] ? roleItem(o['default_role']) : null,
  };
}

export function toUser(raw: unknown): User {
  const o = obj(raw);
  const emails = Array.isArray(o['email_addresses']) ? o['email_addresses'].map((e) => s(obj(e)['email_address'])).filter(Boolean) : [];
  return {
    id: s(o['id']),
    emailAddresses: emails,
    firstName: sn(o['first_name']),
    lastName: sn(o['last_name']),
    publicMetadata: meta(o['public_metadata']),
    privateMetadata: meta(o['private_metadata']),
    createdAt: n(o['created_at']),
    updatedAt: n(o['updated_at']),
  };
}

export function toOrganizationMembership(raw: unknown): OrganizationMembership {
  const o = obj(raw);
  return {
    id: s(o['id']),
    userId: s(obj(o['public_user_data'])['user_id']),
    organizationId: s(obj(o['organization'])['id']),
    role: s(o['role']),
    publicMetadata: meta(o['public_metadata']),
    privateMetadata: meta(o['private_metadata']),
    createdAt: n(o['created_at']),
    updatedAt: n(o['updated_at']),
  };
}

// Request bodies: one definition, shared with the previews (see wire.ts).
export {
  fromCreateInvitation,
  fromCreateOrganizationInvitation,
  fromCreateOrganizationMembership,
} from '../../../shared/domain/send/wire.ts';

export function toPage<T>(raw: unknown, map: (item: unknown) => T): { data: T[]; totalCount: number } {
  const o = obj(raw);
  const data = Array.isArray(o['data']) ? o['data'].map(map) : [];
  return { data, totalCount: typeof o['total_count'] === 'number' ? o['total_count'] : data.length };
}

export function toWaitlistEntry(raw: unknown): WaitlistEntry {
  const o = obj(raw);
  const inv = o['invitation'];
  return {
    id: s(o['id']),
    emailAddress: s(o['email_address']),
    status: s(o['status']) as WaitlistStatus,
    isLocked: o['is_locked'] === true,
    createdAt: n(o['created_at']),
    updatedAt: n(o['updated_at']),
    invitation: typeof inv === 'object' && inv !== null ? toInvitation(inv) : null,
  };
}
