/** Clerk error codes → what happened and what to do next, in plain language. */
const MESSAGES: Record<string, string> = {
  duplicate_record: 'Already has a pending invitation: revoke it first, or turn on “ignore existing” to send another.',
  organization_invitation_not_unique: 'Already has a pending invitation to this organization: revoke it first, or remove the row.',
  form_identifier_exists: 'Already a user of this application: turn on “ignore existing” or remove the row.',
  already_a_member_in_organization: 'Already a member of this organization: remove the row.',
  form_param_format_invalid: 'Clerk says a value has the wrong format: fix the cell and retry this row.',
  form_param_missing: 'A required value is missing: fill it in and retry this row.',
  form_param_unknown: 'Clerk does not accept one of the fields sent: check the column mapping.',
  form_param_exceeds_allowed_size: 'Metadata is over Clerk’s 8 KB limit: shorten it and retry this row.',
  form_param_value_invalid: 'A value is out of range (expiry 1–365 days, a role from the role set, a known template): fix it and retry.',
  not_allowed_access: 'This email is blocked by the instance’s allowlist or blocklist: change the list in Clerk or remove the row.',
  organization_membership_quota_exceeded:
    'The organization is full (members plus pending invitations): raise its limit in Clerk, then retry.',
  not_an_admin_in_organization: 'The inviter is not an admin of this organization: pick another inviter in the sheet settings.',
  not_a_member_in_organization:
    'The inviter is not a member of this organization: pick an admin of it as the inviter in the sheet settings, then resume.',
  missing_organization_permission:
    'The inviter may not invite to this organization (missing permission): pick an admin as the inviter in the sheet settings, then resume.',
  invitation_already_accepted: 'Already accepted: nothing to revoke.',
  organization_invitation_not_pending: 'No longer pending (accepted, expired or revoked already): nothing to revoke.',
  resource_not_found: 'Clerk does not know this organization: pick it again in the sheet settings.',
  dev_monthly_email_limit_exceeded:
    'This development instance has sent its 100 emails for the month: turn “notify” off or use a production instance.',
  clerk_key_invalid: 'Clerk no longer accepts this profile’s key: replace the key, then resume.',
};

export function explain(code: string | null | undefined, fallback: string): string {
  return (code && MESSAGES[code]) || fallback;
}
