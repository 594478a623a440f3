/**
 * Organization runs: invitations in bulk calls of up to 10 (one organization a call) beside single ones, and the
 * rows whose email already has an account added as members directly on a third lane, on the general limit
 * (orgMembership.ts). Each row goes to its own kind of lane only; one queue, one progress, one ETA.
 */
import { lanesFor, MEMBERSHIP_LANE } from '../../../../../shared/domain/send/limits.ts';
import { orgParams } from '../../../../../shared/domain/send/wire.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { classifyMembership, isMembership, lookUpMembership, sendMembership } from './orgMembership.ts';
import { newestFor, noStatus, proven } from './shared.ts';

export const orgCreate: Operation = {
  kind: 'org',
  op: 'create',
  lanes: [...lanesFor('org', 'create'), MEMBERSHIP_LANE],
  accepts: (lane, row) => (lane.endpoint === MEMBERSHIP_LANE.endpoint) === isMembership(row),
  sendsEmail: true,
  async send(client, lane, rows) {
    if (lane.endpoint === MEMBERSHIP_LANE.endpoint) return sendMembership(client, rows[0]!);
    const org = rows[0]!.organizationId ?? '';
    if (lane.itemsPerCall > 1) return proven(await client.createOrganizationInvitationsBulkChecked(org, rows.map(orgParams)));
    return proven(await client.createOrganizationInvitationChecked(org, orgParams(rows[0]!)));
  },
  classify: (e, batch, bulk) =>
    batch.length === 1 && isMembership(batch[0]!.request) ? classifyMembership(e, batch) : classify(e, 'create', batch, bulk),
  async lookUp(client, row) {
    if (isMembership(row)) return lookUpMembership(client, row);
    const page = await client.listOrganizationInvitations(row.organizationId ?? '', {
      emailAddress: row.emailAddress,
      status: 'pending',
      limit: 100,
    });
    return newestFor(page.data, row.emailAddress);
  },
  statusNow: noStatus,
};
