/** Application invitations: bulk calls of up to 10 beside single ones, each lane on its own hourly limit. */
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { appParams } from '../../../../../shared/domain/send/wire.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { newestFor, noStatus, proven } from './shared.ts';

export const appCreate: Operation = {
  kind: 'app',
  op: 'create',
  lanes: lanesFor('app', 'create'),
  // An account the pre-flight found, invited anyway: only a single call can bypass it (ignore_existing), never a bulk one.
  accepts: (lane, row) => lane.itemsPerCall === 1 || !(row.existingUser && row.ignoreExisting),
  sendsEmail: true,
  async send(client, lane, rows) {
    if (lane.itemsPerCall > 1) return proven(await client.createInvitationsBulkChecked(rows.map(appParams)));
    return proven(await client.createInvitationChecked(appParams(rows[0]!)));
  },
  classify: (e, batch, bulk) => classify(e, 'create', batch, bulk),
  async lookUp(client, row) {
    const page = await client.listInvitations({ query: row.emailAddress, status: 'pending', limit: 100 });
    return newestFor(page.data, row.emailAddress);
  },
  statusNow: noStatus,
};
