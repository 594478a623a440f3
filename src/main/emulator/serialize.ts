/** Emulator state → Clerk's JSON shapes (snake_case, ms timestamps, exactly the spec's keys). */
import { effectiveStatus } from './store.ts';
import type { EmuInstance, EmuInvitation, EmuOrg, EmuOrgInvitation, EmuRole, EmuRoleSet } from './store.ts';

export function instanceJson(i: EmuInstance) {
  return { object: 'instance', id: i.id, environment_type: i.environment, allowed_origins: null, workspace_id: null };
}

type Opts = { listed?: boolean };

/** `listed`: in a list answer, where Clerk leaves the accept link out (only the create answer carries it). */
export function invitationJson(inv: EmuInvitation, baseUrl: string, now: number, opts: Opts = {}) {
  const status = effectiveStatus(inv, now);
  return {
    object: 'invitation',
    id: inv.id,
    email_address: inv.emailAddress,
    public_metadata: inv.publicMetadata,
    ...(inv.status === 'revoked' ? { revoked: true } : {}),
    status,
    ...(inv.status === 'revoked' || opts.listed ? {} : { url: `${baseUrl}/v1/tickets/accept?ticket=${inv.ticket}` }),
    expires_at: inv.expiresAt,
    created_at: inv.createdAt,
    updated_at: inv.updatedAt,
  };
}

export function orgInvitationJson(i: EmuInstance, inv: EmuOrgInvitation, baseUrl: string, now: number, opts: Opts = {}) {
  const inviter = inv.inviterId ? i.users.get(inv.inviterId) : undefined;
  return {
    object: 'organization_invitation',
    id: inv.id,
    email_address: inv.emailAddress,
    role: inv.role,
    role_name: i.roles.get(inv.role)?.name ?? inv.role,
    organization_id: inv.organizationId,
    inviter_id: inv.inviterId,
    public_inviter_data: inviter
      ? {
          user_id: inviter.id,
          first_name: inviter.firstName,
          last_name: inviter.lastName,
          image_url: `${baseUrl}/img/${inviter.id}`,
          has_image: false,
          identifier: inviter.emailAddresses[0] ?? '',
        }
      : null,
    status: effectiveStatus(inv, now),
    public_metadata: inv.publicMetadata,
    private_metadata: inv.privateMetadata,
    url: inv.status === 'pending' && !opts.listed ? `${baseUrl}/v1/tickets/accept?ticket=${inv.ticket}` : null,
    expires_at: inv.expiresAt,
    created_at: inv.createdAt,
    updated_at: inv.updatedAt,
  };
}

export function orgInvitationWithOrgJson(i: EmuInstance, inv: EmuOrgInvitation, baseUrl: string, now: number, opts: Opts = {}) {
  const org = i.orgs.get(inv.organizationId);
  return {
    ...orgInvitationJson(i, inv, baseUrl, now, opts),
    public_organization_data: org
      ? { id: org.id, name: org.name, slug: org.slug, image_url: `${baseUrl}/img/${org.id}`, has_image: false }
      : null,
  };
}

export function pendingCount(i: EmuInstance, org: EmuOrg, now: number): number {
  return i.orgInvitations.filter((x) => x.organizationId === org.id && effectiveStatus(x, now) === 'pending').length;
}

export function orgJson(i: EmuInstance, org: EmuOrg, now: number, withCounts: boolean) {
  return {
    object: 'organization',
    id: org.id,
    name: org.name,
    slug: org.slug,
    image_url: `https://img.clerk.com/${org.id}`,
    has_image: false,
    ...(withCounts ? { members_count: org.members.size, pending_invitations_count: pendingCount(i, org, now) } : {}),
    max_allowed_memberships: org.maxAllowedMemberships,
    admin_delete_enabled: true,
    public_metadata: org.publicMetadata,
    private_metadata: org.privateMetadata,
    created_by: [...org.members.keys()][0] ?? '',
    created_at: org.createdAt,
    updated_at: org.updatedAt,
    role_set_key: org.roleSetKey,
  };
}

export function roleJson(r: EmuRole) {
  return {
    object: 'role',
    id: r.id,
    name: r.name,
    key: r.key,
    description: r.description,
    is_creator_eligible: r.key === 'org:admin',
    permissions: [],
    created_at: r.createdAt,
    updated_at: r.createdAt,
  };
}

function roleItemJson(r: EmuRole) {
  return {
    object: 'role_set_item',
    id: r.id,
    name: r.name,
    key: r.key,
    description: r.description,
    created_at: r.createdAt,
    updated_at: r.createdAt,
  };
}

export function roleSetJson(i: EmuInstance, s: EmuRoleSet) {
  const item = (key: string) => {
    const r = i.roles.get(key);
    return r ? roleItemJson(r) : null;
  };
  return {
    object: 'role_set',
    id: s.id,
    name: s.name,
    key: s.key,
    description: null,
    roles: s.roleKeys.map(item).filter((r) => r !== null),
    default_role: item(s.defaultRoleKey),
    creator_role: item(s.creatorRoleKey),
    type: s.type,
    role_set_migration: null,
    created_at: s.createdAt,
    updated_at: s.createdAt,
  };
}
