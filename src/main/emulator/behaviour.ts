/**
 * How the emulated Clerk behaves where the evidence is old (2024) or missing (shared/clerk/API.md, "Corrections
 * from further evidence"). The defaults follow the best evidence; every switch can be flipped per test
 * (`emulator.behaviour.x = …`), so the engine is tested against each way real Clerk might answer.
 */
import type { FaultOptions } from './faults.ts';

export type Behaviour = {
  /** Inviter not allowed: today's documented code, or the 2024 pair (not a member / member without permission). */
  inviterErrors: '2026' | '2024';
  /** Unknown role key: 422 form_param_value_invalid, or (2024) 404 resource_not_found with meta.param_name "role". */
  unknownRole: 'value_invalid' | 'not_found';
  /** Org invitation to an email with a pending one: (2024) 200 with the existing one reused, or an error code. */
  orgDuplicatePending: 'reuse' | 'duplicate_record' | 'organization_invitation_not_unique';
  /** More than 10 in a bulk call: 422 form_param_array_size_exceeded, or (2024) 400 bulk_size_exceeded. */
  bulkSize: 'form_param_array_size_exceeded' | 'bulk_size_exceeded';
  /** Development instance past its monthly emails: created with no email sent (evidence), or a 400 (older docs). */
  devEmailCap: 'silent' | 'error';
  /** UNKNOWN: a bulk call whose rows partly fail commits the good ones (answering the error), or commits none. */
  partialBulk: boolean;
  /** UNKNOWN: whether 4xx answers (and 429s) count against the endpoint's limit. */
  rejectedCount: 'counted' | 'not_counted' | 'counted_with_429';
  /** UNKNOWN: fixed windows (reset at the window's end) or sliding ones. */
  window: 'fixed' | 'sliding';
  /** UNKNOWN: the hourly org invitation limits per instance, or per organization. */
  orgLimits: 'per_instance' | 'per_organization';
  /** UNKNOWN: the error code of a 429 body. */
  rateLimitCode: string;
  /** UNKNOWN: whether an expired (not revoked) invitation blocks a new one for the same email. */
  expiredBlocks: boolean;
  /**
   * UNCERTAIN (API.md): the code of an application invitation to an address that already has an account:
   * 422 form_identifier_exists (documented), or a 400 duplicate_record naming the address (like a pending one).
   */
  existingUser: 'form_identifier_exists' | 'duplicate_record';
  /**
   * clerk/javascript#7956 (open): public metadata sent with a bulk-created application invitation does not reach the
   * user who accepts it. Applies when an invitation is accepted (`emulator.accept`).
   */
  bulkMetadataLost: boolean;
  /** Every Nth person who accepts changes a public key afterwards (on the user; on the membership for organizations). */
  changedAfterSignUp: { key: string; value: unknown; every: number } | null;
  /** UNKNOWN (API.md, newer evidence): whether `POST /waitlist_entries/{id}/invite` also draws the 100-an-hour budget. */
  waitlistInviteBudget: 'general' | 'invitations';
  /** UNKNOWN: whether an invitation made with `template_slug: waitlist_invitation` moves the email's entry to invited. */
  waitlistTemplateMovesEntry: boolean;
  /** UNKNOWN: `notify`'s default on the waitlist creates: true (the spec) or false (one docs page). */
  waitlistNotifyDefault: boolean;
};

export const DEFAULT_BEHAVIOUR: Behaviour = {
  inviterErrors: '2024',
  unknownRole: 'not_found',
  orgDuplicatePending: 'reuse',
  bulkSize: 'bulk_size_exceeded',
  devEmailCap: 'silent',
  partialBulk: false,
  rejectedCount: 'counted',
  window: 'fixed',
  orgLimits: 'per_instance',
  rateLimitCode: 'too_many_requests',
  expiredBlocks: false,
  existingUser: 'form_identifier_exists',
  bulkMetadataLost: false,
  changedAfterSignUp: null,
  waitlistInviteBudget: 'general',
  waitlistTemplateMovesEntry: true,
  waitlistNotifyDefault: true,
};

/** One way Clerk might behave: behaviour switches, and optionally late commits or bad 200 answers (faults, see faults.ts). */
export type Variant = Partial<Behaviour> & Pick<FaultOptions, 'badOk'> & { lateCommit?: { probability: number; delayMs: number } };

/** What may happen after acceptance (issue 24): the metadata check and repair are tested against each. */
export const ACCEPTANCE_VARIANTS: Record<string, Partial<Behaviour>> = {
  'metadata lands': {},
  '#7956 bulk metadata lost': { bulkMetadataLost: true },
  'a user changed a key after sign-up': { changedAfterSignUp: { key: 'plan', value: 'free', every: 7 } },
};

/** Each unknown (and each 2024 behaviour) flipped away from the default: what the engine suites run against. */
export const VARIANTS: Record<string, Variant> = {
  default: {},
  'partial bulk commits': { partialBulk: true },
  'rejected requests not counted': { rejectedCount: 'not_counted' },
  '429s counted too': { rejectedCount: 'counted_with_429' },
  'sliding windows': { window: 'sliding' },
  'org limits per organization': { orgLimits: 'per_organization' },
  '429 body rate_limit_exceeded': { rateLimitCode: 'rate_limit_exceeded' },
  'expired invitations block': { expiredBlocks: true },
  '2026 codes': {
    inviterErrors: '2026',
    unknownRole: 'value_invalid',
    orgDuplicatePending: 'duplicate_record',
    bulkSize: 'form_param_array_size_exceeded',
  },
  'org duplicate not unique': { orgDuplicatePending: 'organization_invitation_not_unique' },
  'existing user as duplicate_record': { existingUser: 'duplicate_record' },
  /** UNKNOWN: a request committed after the client was cut off (h9's late-commit fault). */
  'late commits': { lateCommit: { probability: 0.15, delayMs: 120 } },
  /** UNKNOWN: a 200 whose body does not show the outcome (nothing made, or made and answered `null` or for others). */
  'malformed 200 answers': {
    badOk: [
      { probability: 0.08, body: 'empty_object', commit: false },
      { probability: 0.08, body: 'null', commit: true },
      { probability: 0.08, body: 'other_email', commit: true },
      { probability: 0.1, body: 'first_repeated', commit: true },
    ],
  },
};

/** The waitlist's unknowns (kept apart from VARIANTS: the invitation suites need not run them). */
export const WAITLIST_VARIANTS: Record<string, Variant> = {
  'invite on the general limit': {},
  'invite counts against the invitation budget': { waitlistInviteBudget: 'invitations' },
  'waitlist template leaves the entry pending': { waitlistTemplateMovesEntry: false },
  'notify defaults to false': { waitlistNotifyDefault: false },
};
