/**
 * Status sync: invitation statuses (pending / accepted / expired / revoked) refreshed from Clerk by paging the
 * list endpoints newest first, back to the oldest run being synced. Only the general rate limit applies.
 */
import type { ClerkClient } from '../clerk/client.ts';
import { CLOCK_SKEW_MS } from '../runs/reconcile.ts';

export type StatusMap = Map<string, { status: string; url: string | null }>;

/** Statuses of every invitation created since `since` (app invitations, or one organization's). */
export async function fetchStatuses(
  client: ClerkClient,
  scope: { kind: 'app' } | { kind: 'org'; organizationId: string },
  since: number,
): Promise<StatusMap> {
  const out: StatusMap = new Map();
  for (let offset = 0; ; offset += 500) {
    const page =
      scope.kind === 'app'
        ? await client.listInvitations({ orderBy: '-created_at', limit: 500, offset })
        : await client.listOrganizationInvitations(scope.organizationId, { orderBy: '-created_at', limit: 500, offset });
    for (const inv of page.data) out.set(inv.id, { status: inv.status, url: inv.url });
    const oldest = page.data.at(-1)?.createdAt ?? 0;
    if (page.data.length < 500 || oldest < since - CLOCK_SKEW_MS) return out;
  }
}
