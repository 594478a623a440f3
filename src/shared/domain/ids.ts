/**
 * Clerk's id shapes. Ids go into URL paths (`/organizations/{id}/invitations`): one that is not of its shape
 * (`..`, a slash, a lone surrogate) could turn an organization send into another call, so every path checks them.
 */
export const ID_SHAPES = {
  organization: /^org_[A-Za-z0-9]{1,64}$/,
  invitation: /^inv_[A-Za-z0-9]{1,64}$/,
  organizationInvitation: /^orginv_[A-Za-z0-9]{1,64}$/,
  user: /^user_[A-Za-z0-9]{1,64}$/,
} as const;
export type IdKind = keyof typeof ID_SHAPES;

const EXAMPLE: Record<IdKind, string> = {
  organization: 'org_2abc…',
  invitation: 'inv_2abc…',
  organizationInvitation: 'orginv_2abc…',
  user: 'user_2abc…',
};

export const isClerkId = (kind: IdKind, value: string): boolean => ID_SHAPES[kind].test(value);

/** Null when fine; else what is wrong, in words (shown to the user). */
export function idProblem(kind: IdKind, value: string): string | null {
  if (isClerkId(kind, value)) return null;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${shown} is not a Clerk ${kind === 'organizationInvitation' ? 'organization invitation' : kind} id (they look like ${EXAMPLE[kind]})`;
}
