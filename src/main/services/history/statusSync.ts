/**
 * Status sync: invitation statuses (pending / accepted / expired / revoked) refreshed from Clerk by paging the
 * list endpoints newest first, back to the oldest run being synced. Only the general rate limit applies.
 */
import type { ClerkClient } from '../clerk/client.ts';
import { CLOCK_SKEW_MS } from '../runs/engine/neverTwice.ts';

export type StatusMap = Map<string, { status: string; url: string | null; expiresAt: number | null }>;

/** Asked one by one: with no `status` Clerk lists non-revoked invitations only, so revocations would never show. */
export const SYNC_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
const PAGE = 500;

/**
 * Statuses of every invitation created since `since` (app invitations, or one organization's). `paced` runs each
 * request in its turn on the instance's general limit (the app passes pacedReads; a test may call at once).
 */
export async function fetchStatuses(
  client: ClerkClient,
  scope: { kind: 'app' } | { kind: 'org'; organizationId: string },
  since: number,
  paced: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): Promise<StatusMap> {
  const out: StatusMap = new Map();
  for (const status of SYNC_STATUSES) {
    for (let offset = 0; ; offset += PAGE) {
      const page =
        scope.kind === 'app'
          ? await paced(() => client.listInvitations({ status, orderBy: '-created_at', limit: PAGE, offset }))
          : await paced(() =>
              client.listOrganizationInvitations(scope.organizationId, { status, orderBy: '-created_at', limit: PAGE, offset }),
            );
      for (const inv of page.data) out.set(inv.id, { status: inv.status || status, url: inv.url, expiresAt: inv.expiresAt });
      const oldest = page.data.at(-1)?.createdAt ?? 0;
      if (page.data.length < PAGE || oldest < since - CLOCK_SKEW_MS) break;
    }
  }
  return out;
}
