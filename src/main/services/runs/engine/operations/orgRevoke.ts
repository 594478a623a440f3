/** Revoking organization invitations: one a request, on the general limit; revoking twice is harmless. */
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { one } from './shared.ts';

export const orgRevoke: Operation = {
  kind: 'org',
  op: 'revoke',
  lanes: lanesFor('org', 'revoke'),
  sendsEmail: false,
  send: async (client, _lane, rows) =>
    one(await client.revokeOrganizationInvitation(rows[0]!.organizationId ?? '', rows[0]!.revokeInvitationId ?? '')),
  classify: (e, batch, bulk) => classify(e, 'revoke', batch, bulk),
  lookUp: null,
  async statusNow(client, row) {
    const { organizationId, revokeInvitationId } = row;
    if (!organizationId || !revokeInvitationId) return null;
    return (await client.getOrganizationInvitation(organizationId, revokeInvitationId)).status;
  },
};
