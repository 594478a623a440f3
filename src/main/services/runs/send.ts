/** One request to Clerk for a batch of rows, on the endpoint of its lane. */
import type { Endpoint } from '../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { appParams, orgParams } from '../../../shared/domain/send/wire.ts';

export type Created = { email: string; id: string; status: string; url: string | null; expiresAt: number | null };

export async function sendBatch(client: ClerkClient, endpoint: Endpoint, rows: RowRequest[]): Promise<Created[]> {
  const pick = (x: { emailAddress: string; id: string; status: string; url: string | null; expiresAt: number | null }) => ({
    email: x.emailAddress,
    id: x.id,
    status: x.status,
    url: x.url,
    expiresAt: x.expiresAt,
  });
  switch (endpoint) {
    case 'app.single':
      return [pick(await client.createInvitation(appParams(rows[0]!)))];
    case 'app.bulk':
      return (await client.createInvitationsBulk(rows.map(appParams))).map(pick);
    case 'org.single':
      return [pick(await client.createOrganizationInvitation(rows[0]!.organizationId ?? '', orgParams(rows[0]!)))];
    case 'org.bulk':
      return (await client.createOrganizationInvitationsBulk(rows[0]!.organizationId ?? '', rows.map(orgParams))).map(pick);
    case 'general': {
      // Revoke runs: one invitation per request.
      const r = rows[0]!;
      const id = r.revokeInvitationId ?? '';
      return [pick(r.organizationId ? await client.revokeOrganizationInvitation(r.organizationId, id) : await client.revokeInvitation(id))];
    }
  }
}
