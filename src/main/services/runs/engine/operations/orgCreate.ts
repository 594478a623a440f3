/** Organization invitations: bulk calls of up to 10 (one organization a call) beside single ones. */
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { orgParams } from '../../../../../shared/domain/send/wire.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { created, newestFor, noStatus } from './shared.ts';

export const orgCreate: Operation = {
  kind: 'org',
  op: 'create',
  lanes: lanesFor('org', 'create'),
  sendsEmail: true,
  async send(client, lane, rows) {
    const org = rows[0]!.organizationId ?? '';
    if (lane.itemsPerCall > 1) return (await client.createOrganizationInvitationsBulk(org, rows.map(orgParams))).map(created);
    return [created(await client.createOrganizationInvitation(org, orgParams(rows[0]!)))];
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
