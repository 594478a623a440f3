/** Clerk Backend API objects, camel-cased. Keys inside metadata are never re-cased. */
export type Metadata = Record<string, unknown>;
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export type Instance = { id: string; environmentType: string; allowedOrigins: string[] | null };

export type Invitation = {
  id: string;
  emailAddress: string;
  publicMetadata: Metadata;
  status: InvitationStatus;
  revoked: boolean;
  /** Accept link; absent after revoke. */
  url: string | null;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type OrganizationInvitation = {
  id: string;
  emailAddress: string;
  role: string;
  roleName: string;
  organizationId: string;
  inviterId: string | null;
  status: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  url: string | null;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  organizationName: string | null;
};

export type Organization = {
  id: string;
  name: string;
  slug: string;
  membersCount: number | null;
  pendingInvitationsCount: number | null;
  maxAllowedMemberships: number;
  roleSetKey: string | null;
  publicMetadata: Metadata;
  createdAt: number;
};

/** An account of the instance (only what the app reads: who it is, by which addresses, since when). */
export type User = {
  id: string;
  emailAddresses: string[];
  firstName: string | null;
  lastName: string | null;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
};
/** A metadata write (a deep merge in Clerk; a key set to null is removed). */
export type MetadataPatch = { publicMetadata?: Metadata; privateMetadata?: Metadata };

/** A user's membership of an organization (`orgmem_…`). */
export type OrganizationMembership = {
  id: string;
  userId: string;
  organizationId: string;
  role: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
};

export type Role = { id: string; key: string; name: string; description: string | null };
export type RoleSet = {
  id: string;
  key: string;
  name: string;
  roles: { key: string; name: string }[];
  defaultRole: { key: string; name: string } | null;
};

export type Page<T> = { data: T[]; totalCount: number };

export type WaitlistStatus = 'pending' | 'invited' | 'completed' | 'rejected';
/** A waitlist entry (`wle_…`); locked while Clerk processes it in a batch action (every action answers 409 then). */
export type WaitlistEntry = {
  id: string;
  emailAddress: string;
  status: WaitlistStatus;
  isLocked: boolean;
  createdAt: number;
  updatedAt: number;
  invitation: Invitation | null;
};
export type ListWaitlistParams = ListParams & { status?: WaitlistStatus; query?: string };

/** Defined with the wire bodies they become (shared: the previews show the same bodies). */
export type {
  CreateInvitationParams,
  CreateOrganizationInvitationParams,
  CreateOrganizationMembershipParams,
} from '../../../shared/domain/send/wire.ts';

export type ListParams = { limit?: number; offset?: number; orderBy?: string };
export type ListInvitationsParams = ListParams & { status?: InvitationStatus; query?: string };
export type ListOrganizationInvitationsParams = ListParams & { status?: InvitationStatus; emailAddress?: string };
export type ListInstanceOrganizationInvitationsParams = ListParams & { status?: InvitationStatus; query?: string };
/** `emailAddresses`: up to 100 a call (Clerk's limit), matched without regard to case. */
export type ListUsersParams = ListParams & { emailAddresses?: string[] };
export type ListOrganizationMembershipsParams = ListParams & { userIds?: string[]; emailAddresses?: string[] };
