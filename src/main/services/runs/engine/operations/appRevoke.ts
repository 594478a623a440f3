/** Revoking application invitations: one a request, on the general limit; revoking twice is harmless. */
import { lanesFor } from '../../../../../shared/domain/send/limits.ts';
import { classify } from '../../classify.ts';
import type { Operation } from '../operation.ts';
import { noStatus, one } from './shared.ts';

export const appRevoke: Operation = {
  kind: 'app',
  op: 'revoke',
  lanes: lanesFor('app', 'revoke'),
  sendsEmail: false,
  send: async (client, _lane, rows) => one(await client.revokeInvitation(rows[0]!.revokeInvitationId ?? '')),
  classify: (e, batch, bulk) => classify(e, 'revoke', batch, bulk),
  lookUp: null,
  statusNow: noStatus,
};
