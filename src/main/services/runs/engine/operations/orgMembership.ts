/**
 * Adding people who already have an account to an organization directly (POST …/memberships with the row's user id,
 * role and metadata): no invitation, no email, paced by the general limit. An organization run's rows that carry a
 * `memberUserId` go this way (see orgCreate.ts). Never twice: an unknown outcome is looked up in the organization's
 * memberships before any retry; “already a member” is an outcome, not a failure.
 */
import { explain } from '../../../../../shared/domain/send/messages.ts';
import { MEMBER_STATUS } from '../../../../../shared/domain/send/outcome.ts';
import { membershipParams } from '../../../../../shared/domain/send/wire.ts';
import type { RowRequest } from '../../../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../../../clerk/client.ts';
import type { ClerkApiError } from '../../../clerk/errors.ts';
import type { OrganizationMembership } from '../../../clerk/types.ts';
import { classify, rateLimited, type Decision } from '../../classify.ts';
import type { QueuedRow } from '../../journalTypes.ts';
import type { BatchAnswer, Found } from '../operation.ts';

export const isMembership = (row: RowRequest): boolean => typeof row.memberUserId === 'string' && row.memberUserId !== '';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
export const alreadyMember = (since: number) => `Already a member (since ${day(since)}): nothing to do, no email sent.`;

/** Whether Clerk's answer is this row's membership: of Clerk's shape, for this user and this organization. */
const proves = (m: OrganizationMembership, row: RowRequest) =>
  /^orgmem_[A-Za-z0-9]+$/.test(m.id) && m.userId === row.memberUserId && m.organizationId === row.organizationId;

const done = (row: RowRequest, m: OrganizationMembership) => ({
  email: row.emailAddress,
  id: m.userId,
  status: MEMBER_STATUS,
  url: null,
  expiresAt: null,
  createdAt: m.createdAt,
});

export async function sendMembership(client: ClerkClient, row: RowRequest): Promise<BatchAnswer> {
  const m = await client.createOrganizationMembership(row.organizationId ?? '', membershipParams(row));
  // A 200 that does not show this membership is an unknown outcome: looked up, never recorded with a borrowed id.
  return proves(m, row) ? { done: [{ index: 0, created: done(row, m) }], unknown: [] } : { done: [], unknown: [0] };
}

/** The row's membership in Clerk, if any: made by this run (newer than its request) or before it (“already”). */
export async function lookUpMembership(client: ClerkClient, row: RowRequest): Promise<Found> {
  const page = await client.listOrganizationMemberships(row.organizationId ?? '', { userIds: [row.memberUserId ?? ''], limit: 10 });
  const m = page.data.find((x) => x.userId === row.memberUserId);
  return m ? { id: m.userId, status: MEMBER_STATUS, url: null, createdAt: m.createdAt, already: alreadyMember(m.createdAt) } : null;
}

const has = (e: ClerkApiError, re: RegExp) => (e.errors.length ? e.errors.map((x) => x.code) : [e.code]).some((c) => re.test(c));

/**
 * A membership error for its one row: a 429 waits the general limit's window at most; “already a member” is looked
 * up (ours after a lost answer, or a member from before) like a duplicate; an unknown user fails the row (deleted
 * since the review: invite it instead); quota, permissions, key and organization as for invitations (stop the run).
 */
export function classifyMembership(e: ClerkApiError, batch: QueuedRow[]): Decision {
  if (e.status === 429) return rateLimited(e, 'general');
  const row = batch[0]!;
  if (has(e, /already_a_member/))
    return { kind: 'rows', fail: [], duplicates: [{ row, code: e.code, message: explain(e.code, e.longMessage) }] };
  if (e.status === 404 && e.errors.some((x) => x.meta?.['param_name'] === 'user_id'))
    return {
      kind: 'rows',
      fail: [
        {
          row,
          code: 'user_not_found',
          message: 'Clerk no longer has this account (deleted since the review): send this row an invitation instead.',
        },
      ],
      duplicates: [],
    };
  return classify(e, 'create', batch, false);
}
