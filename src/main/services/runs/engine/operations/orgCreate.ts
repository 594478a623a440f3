/** Organization invitations: bulk calls of up to 10 (one organization a call) beside single ones. */
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { orgParams } from '../../../../../shared/domain/send/wire.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { newestFor, noStatus, proven } from './shared.ts';

export const orgCreate: Operation = {
  kind: 'org',
  op: 'create',
  lanes: lanesFor('org', 'create'),
  sendsEmail: true,
  async send(client, lane, rows) {
    const org = rows[0]!.organizationId ?? '';
    if (lane.itemsPerCall > 1) return proven(await client.createOrganizationInvitationsBulkChecked(org, rows.map(orgParams)));
    return proven(await client.createOrganizationInvitationChecked(org, orgParams(rows[0]!)));
  },
  classify: (e, batch, bulk) => classify(e, 'create', batch, bulk),
  async lookUp(client, row) {
    const page = await client.listOrganizationInvitations(row.organizationId ?? '', {
      emailAddress: row.emailAddress,
      status: 'pending',
      limit: 100,
    });
    return newestFor(page.data, row.emailAddress);
  },
  statusNow: noStatus,
};
