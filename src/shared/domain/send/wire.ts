/**
 * The body of each invitation request exactly as it goes to Clerk (snake_case wire names). One place: the send
 * engine's requests (through the Clerk client) and the review's and the sheet's "what this row will send"
 * previews all come from here, so what is shown cannot drift from what is sent.
 */
import type { RowRequest } from '../sheet/validate.ts';

type Metadata = Record<string, unknown>;

export type CreateInvitationParams = {
  emailAddress: string;
  publicMetadata?: Metadata;
  redirectUrl?: string;
  notify?: boolean;
  ignoreExisting?: boolean;
  expiresInDays?: number;
  templateSlug?: 'invitation' | 'waitlist_invitation';
};
export type CreateOrganizationInvitationParams = {
  emailAddress: string;
  role: string;
  inviterUserId?: string;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
  redirectUrl?: string;
  expiresInDays?: number;
  notify?: boolean;
};

/** Adding an existing account to an organization (POST /v1/organizations/{id}/memberships): no email, no invitation. */
export type CreateOrganizationMembershipParams = {
  userId: string;
  role: string;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
};

/** A sheet row's request as the parameters of an application invitation (empty metadata is not sent). */
export const appParams = (r: RowRequest): CreateInvitationParams => ({
  emailAddress: r.emailAddress,
  ...(Object.keys(r.publicMetadata).length ? { publicMetadata: r.publicMetadata } : {}),
  ...(r.redirectUrl ? { redirectUrl: r.redirectUrl } : {}),
  notify: r.notify,
  ignoreExisting: r.ignoreExisting,
  ...(r.expiresInDays ? { expiresInDays: r.expiresInDays } : {}),
  ...(r.templateSlug ? { templateSlug: r.templateSlug } : {}),
});

/** …and of an organization invitation (Clerk's organization endpoints take no ignore_existing nor template). */
export const orgParams = (r: RowRequest): CreateOrganizationInvitationParams => ({
  emailAddress: r.emailAddress,
  role: r.role ?? '',
  ...(r.inviterUserId ? { inviterUserId: r.inviterUserId } : {}),
  ...(Object.keys(r.publicMetadata).length ? { publicMetadata: r.publicMetadata } : {}),
  ...(Object.keys(r.privateMetadata).length ? { privateMetadata: r.privateMetadata } : {}),
  ...(r.redirectUrl ? { redirectUrl: r.redirectUrl } : {}),
  ...(r.expiresInDays ? { expiresInDays: r.expiresInDays } : {}),
  notify: r.notify,
});

/** …and of a membership, for a row whose email belongs to an account (`memberUserId`): its role and metadata. */
export const membershipParams = (r: RowRequest): CreateOrganizationMembershipParams => ({
  userId: r.memberUserId ?? '',
  role: r.role ?? '',
  ...(Object.keys(r.publicMetadata).length ? { publicMetadata: r.publicMetadata } : {}),
  ...(Object.keys(r.privateMetadata).length ? { privateMetadata: r.privateMetadata } : {}),
});

/** Drops undefined keys so Clerk sees only what the user set (unknown or null keys are errors there). */
function defined(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

export function fromCreateInvitation(p: CreateInvitationParams): Record<string, unknown> {
  return defined([
    ['email_address', p.emailAddress],
    ['public_metadata', p.publicMetadata],
    ['redirect_url', p.redirectUrl],
    ['notify', p.notify],
    ['ignore_existing', p.ignoreExisting],
    ['expires_in_days', p.expiresInDays],
    ['template_slug', p.templateSlug],
  ]);
}

export function fromCreateOrganizationInvitation(p: CreateOrganizationInvitationParams): Record<string, unknown> {
  return defined([
    ['email_address', p.emailAddress],
    ['role', p.role],
    ['inviter_user_id', p.inviterUserId],
    ['public_metadata', p.publicMetadata],
    ['private_metadata', p.privateMetadata],
    ['redirect_url', p.redirectUrl],
    ['expires_in_days', p.expiresInDays],
    ['notify', p.notify],
  ]);
}

export function fromCreateOrganizationMembership(p: CreateOrganizationMembershipParams): Record<string, unknown> {
  return defined([
    ['user_id', p.userId],
    ['role', p.role],
    ['public_metadata', p.publicMetadata],
    ['private_metadata', p.privateMetadata],
  ]);
}

/** The JSON object one row sends (one element of a bulk call's array, or a membership's body), as Clerk receives it. */
export const wireBody = (r: RowRequest, kind: 'app' | 'org'): Record<string, unknown> =>
  kind === 'org'
    ? r.memberUserId
      ? fromCreateOrganizationMembership(membershipParams(r))
      : fromCreateOrganizationInvitation(orgParams(r))
    : fromCreateInvitation(appParams(r));
