/** One request to Clerk for a batch of rows, on the endpoint of its lane. */
import type { Endpoint } from '../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';
import type { CreateInvitationParams, CreateOrganizationInvitationParams } from '../clerk/types.ts';

export type Created = { email: string; id: string; status: string; url: string | null; expiresAt: number | null };

const appParams = (r: RowRequest): CreateInvitationParams => ({
  emailAddress: r.emailAddress,
  ...(Object.keys(r.publicMetadata).length ? { publicMetadata: r.publicMetadata } : {}),
  ...(r.redirectUrl ? { redirectUrl: r.redirectUrl } : {}),
  notify: r.notify,
  ignoreExisting: r.ignoreExisting,
  ...(r.expiresInDays ? { expiresInDays: r.expiresInDays } : {}),
  ...(r.templateSlug ? { templateSlug: r.templateSlug } : {}),
});

const orgParams = (r: RowRequest): CreateOrganizationInvitationParams => ({
  emailAddress: r.emailAddress,
  role: r.role ?? '',
  ...(r.inviterUserId ? { inviterUserId: r.inviterUserId } : {}),
  ...(Object.keys(r.publicMetadata).length ? { publicMetadata: r.publicMetadata } : {}),
  ...(Object.keys(r.privateMetadata).length ? { privateMetadata: r.privateMetadata } : {}),
  ...(r.redirectUrl ? { redirectUrl: r.redirectUrl } : {}),
  ...(r.expiresInDays ? { expiresInDays: r.expiresInDays } : {}),
  notify: r.notify,
});

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
