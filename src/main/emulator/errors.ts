/** Clerk's error envelope, as the emulator sends it. */
export type EmuErrorItem = { code: string; message: string; long_message: string; meta?: Record<string, unknown> };

export class EmuError extends Error {
  readonly status: number;
  readonly items: EmuErrorItem[];
  /** Headers the answer carries (a 429's Retry-After from a route's own limit). */
  readonly headers: Record<string, string>;
  constructor(status: number, items: EmuErrorItem[], headers: Record<string, string> = {}) {
    super(items[0]?.long_message ?? `HTTP ${status}`);
    this.status = status;
    this.items = items;
    this.headers = headers;
  }
}

const item = (code: string, message: string, long: string, meta?: Record<string, unknown>): EmuErrorItem =>
  meta ? { code, message, long_message: long, meta } : { code, message, long_message: long };

export const errors = {
  keyInvalid: () =>
    new EmuError(401, [
      item(
        'clerk_key_invalid',
        'Secret Key invalid',
        'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
      ),
    ]),
  headerFormat: () =>
    new EmuError(401, [
      item(
        'authorization_header_format_invalid',
        'Invalid Authorization header format',
        'Invalid Authorization header format. Must be "Bearer <YOUR_API_KEY>"',
      ),
    ]),
  bodyInvalid: () =>
    new EmuError(400, [
      item(
        'request_body_invalid',
        'Request body invalid',
        'The request body is invalid. Please consult the API documentation for more information.',
      ),
    ]),
  missing: (param: string) => item('form_param_missing', `${param} must be included.`, `${param} must be included.`, { param_name: param }),
  unknown: (param: string) =>
    item('form_param_unknown', 'is unknown', `${param} is not a valid parameter for this request.`, { param_name: param }),
  format: (param: string, extra?: Record<string, unknown>) =>
    item('form_param_format_invalid', 'is invalid', `${param} must be a valid ${param === 'email_address' ? 'email address' : 'value'}.`, {
      param_name: param,
      ...extra,
    }),
  value: (param: string, why: string) => item('form_param_value_invalid', 'is invalid', `${param} ${why}`, { param_name: param }),
  tooLarge: (param: string) =>
    item('form_param_exceeds_allowed_size', 'exceeds allowed size', `${param} exceeds the maximum allowed size of 8192 bytes.`, {
      param_name: param,
    }),
  arraySize: (code: 'form_param_array_size_exceeded' | 'bulk_size_exceeded' = 'form_param_array_size_exceeded') =>
    new EmuError(code === 'bulk_size_exceeded' ? 400 : 422, [
      item(code, 'too many items', 'You can send at most 10 invitations in one bulk request.', {
        param_name: 'invitations',
      }),
    ]),
  duplicate: (emails: string[]) =>
    new EmuError(400, [
      item(
        'duplicate_record',
        'duplicate invitation',
        `There are already pending invitations for the following email addresses: ${emails.join(', ')}`,
        { email_addresses: emails },
      ),
    ]),
  /** An application invitation to an address that has an account: the documented 422, or (a variant) a 400 duplicate. */
  identifierExists: (code: 'form_identifier_exists' | 'duplicate_record' = 'form_identifier_exists', emails: string[] = []) =>
    code === 'duplicate_record'
      ? new EmuError(400, [
          item('duplicate_record', 'duplicate record', `There is already a user with these email addresses: ${emails.join(', ')}`, {
            email_addresses: emails,
          }),
        ])
      : new EmuError(422, [
          item(
            'form_identifier_exists',
            'That email address is taken. Please try another.',
            'That email address is taken. Please try another.',
            {
              param_name: 'email_address',
            },
          ),
        ]),
  alreadyMember: () =>
    new EmuError(400, [item('already_a_member_in_organization', 'already a member', 'The user is already a member of this organization.')]),
  notAdmin: () =>
    new EmuError(403, [
      item(
        'not_an_admin_in_organization',
        'not an admin',
        'Current user is not an admin in the organization. Only admins are allowed to perform this action.',
      ),
    ]),
  quota: () =>
    new EmuError(403, [
      item(
        'organization_membership_quota_exceeded',
        'Membership quota exceeded',
        'You have reached your limit of organization memberships, including outstanding invitations.',
      ),
    ]),
  /** A blocked address is named in meta.identifiers (not email_addresses). */
  notAllowed: (identifiers: string[]) =>
    new EmuError(403, [
      item('not_allowed_access', 'Access not allowed', 'This identifier is not allowed access to this instance.', { identifiers }),
    ]),
  /** 2024: the inviter is not a member of the organization at all. */
  notMember: () =>
    new EmuError(403, [item('not_a_member_in_organization', 'not a member', 'Current user is not a member of the organization.')]),
  /** 2024: the inviter is a member without the permission to invite. */
  missingPermission: () =>
    new EmuError(403, [
      item(
        'missing_organization_permission',
        'missing permission',
        'Current user is missing an organization permission. You need permission org:sys_memberships:manage.',
        { permission: 'org:sys_memberships:manage' },
      ),
    ]),
  /** 2024: an unknown role key answers 404 naming the parameter. */
  roleNotFound: () => new EmuError(404, [item('resource_not_found', 'not found', 'Resource not found', { param_name: 'role' })]),
  alreadyAccepted: () =>
    new EmuError(400, [item('invitation_already_accepted', 'already accepted', 'This invitation has already been accepted.')]),
  orgInvitationNotUnique: (emails: string[]) =>
    new EmuError(400, [
      item(
        'organization_invitation_not_unique',
        'duplicate invitation',
        `There is already a pending invitation for ${emails.join(', ')} in this organization.`,
        { email_addresses: emails },
      ),
    ]),
  emailCap: () =>
    new EmuError(400, [
      item(
        'dev_monthly_email_limit_exceeded',
        'Monthly email limit exceeded',
        'Development instances can send at most 100 emails a month. Use a production instance, or turn notify off.',
      ),
    ]),
  notFound: () => new EmuError(404, [item('resource_not_found', 'not found', 'Resource not found')]),
  alreadyRevoked: () =>
    new EmuError(400, [item('invitation_already_revoked', 'already revoked', 'This invitation has already been revoked.')]),
  orgInvitationNotPending: () =>
    new EmuError(404, [
      item('organization_invitation_not_pending', 'not pending', 'The organization invitation is not pending, so it cannot be revoked.'),
    ]),
  rateLimited: (code = 'too_many_requests') =>
    new EmuError(429, [item(code, 'Too Many Requests', 'Too many requests, please try again later.')]),
  internal: () =>
    new EmuError(500, [
      item(
        'internal_clerk_error',
        'Oops, an unexpected error occurred',
        "There was an internal error on our servers. We've been notified and are working on fixing it.",
      ),
    ]),
};

export const validationError = (items: EmuErrorItem[]) => new EmuError(422, items);
