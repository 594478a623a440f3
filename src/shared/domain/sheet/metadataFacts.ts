/**
 * Where metadata lands (Clerk's docs): on application invitations it becomes the user's public metadata; on
 * organization invitations it lands on the organization membership once accepted, not on the user.
 */
export type MetadataScope = 'public' | 'private';

export function metadataLabel(kind: 'app' | 'org', scope: MetadataScope): string {
  const name = scope === 'public' ? 'Public metadata' : 'Private metadata';
  return kind === 'org' ? `${name} of the membership` : `${name} of the user`;
}

export function metadataFact(kind: 'app' | 'org'): string {
  return kind === 'org'
    ? 'On organization invitations, metadata lands on the organization membership once accepted, not on the user. If the email already has a pending invitation to this organization, Clerk reuses it and this metadata is not applied.'
    : 'On application invitations, public metadata becomes the user’s public metadata when they sign up.';
}
