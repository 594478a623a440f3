/**
 * When a request's outcome is unknown (timeout, dropped connection, 5xx, a crash mid-request), look the row
 * up in Clerk before anything is resent: found → it was sent; not found → it may be sent again.
 */
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';

/** Clerk's clock and ours may differ; an invitation this much older than our request is not ours. */
export const CLOCK_SKEW_MS = 60_000;

export type Found = { id: string; status: string; url: string | null; createdAt: number } | null;

export async function lookUpPending(client: ClerkClient, kind: 'app' | 'org', request: RowRequest): Promise<Found> {
  const email = request.emailAddress.toLowerCase();
  if (kind === 'app') {
    const page = await client.listInvitations({ query: request.emailAddress, status: 'pending', limit: 100 });
    const hit = page.data.filter((i) => i.emailAddress.toLowerCase() === email).sort((a, b) => b.createdAt - a.createdAt)[0];
    return hit ? { id: hit.id, status: hit.status, url: hit.url, createdAt: hit.createdAt } : null;
  }
  const page = await client.listOrganizationInvitations(request.organizationId ?? '', {
    emailAddress: request.emailAddress,
    status: 'pending',
    limit: 100,
  });
  const hit = page.data.filter((i) => i.emailAddress.toLowerCase() === email).sort((a, b) => b.createdAt - a.createdAt)[0];
  return hit ? { id: hit.id, status: hit.status, url: hit.url, createdAt: hit.createdAt } : null;
}
