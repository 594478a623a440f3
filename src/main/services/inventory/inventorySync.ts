/**
 * Syncs the local copy of every invitation of an instance: application invitations asked status by status (a list
 * without `status` leaves revoked ones out), organization invitations instance-wide, 500 a page, newest first, paced
 * under the general limit. Incremental: pending lists are read whole (they are what changes); a terminal list
 * (accepted, revoked, expired: nothing leaves them) is read down to the oldest invitation that left the pending list
 * or the newest one already known, then its count is checked against Clerk's `total_count`, and read whole if they
 * differ (a first sync, an interrupted one, or one that missed a change while Clerk's lists moved under it).
 */
import type { InventoryStatus } from '../../../shared/domain/inventory/types.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { ClerkApiError, ClerkTransportError } from '../clerk/errors.ts';
import type { Invitation, OrganizationInvitation } from '../clerk/types.ts';
import type { InventoryItem, InventoryRepo } from './inventoryRepo.ts';

export const PAGE = 500;
const TERMINAL: InventoryStatus[] = ['accepted', 'revoked', 'expired'];

/** Requests at most `limit` per `windowMs` (a sliding window), and waits out a 429's Retry-After. */
export type Pacer = { take(): Promise<void>; blockFor(ms: number): void };

export function createPacer(limit: number, windowMs: number, clock: { now(): number; sleep(ms: number): Promise<void> }): Pacer {
  const sent: number[] = [];
  let blockedUntil = 0;
  let chain: Promise<void> = Promise.resolve();
  const takeOne = async () => {
    for (;;) {
      const now = clock.now();
      while (sent.length > 0 && sent[0]! <= now - windowMs) sent.shift();
      const wait = Math.max(blockedUntil - now, sent.length >= limit ? sent[0]! + windowMs - now : 0);
      if (wait <= 0) break;
      await clock.sleep(wait);
    }
    sent.push(clock.now());
  };
  return {
    take() {
      chain = chain.then(takeOne);
      return chain;
    },
    blockFor(ms) {
      blockedUntil = Math.max(blockedUntil, clock.now() + ms);
    },
  };
}

export type SyncReport = (p: { read: number; total: number | null; requests: number; changed: number }) => void;

export type SyncInput = {
  client: ClerkClient;
  repo: InventoryRepo;
  profileId: string;
  pacer: Pacer;
  now: () => number;
  report: SyncReport;
  /** Stops between pages (the app quitting, the profile deleted). */
  cancelled?: () => boolean;
};

const fromApp = (x: Invitation, status: InventoryStatus): InventoryItem => ({
  id: x.id,
  kind: 'app',
  email: x.emailAddress,
  status: (x.status || status) as InventoryStatus,
  organizationId: null,
  organizationName: null,
  role: null,
  publicMetadata: x.publicMetadata,
  privateMetadata: {},
  expiresAt: x.expiresAt,
  createdAt: x.createdAt,
  updatedAt: x.updatedAt,
});

const fromOrg = (x: OrganizationInvitation, status: InventoryStatus): InventoryItem => ({
  id: x.id,
  kind: 'org',
  email: x.emailAddress,
  status: (x.status || status) as InventoryStatus,
  organizationId: x.organizationId,
  organizationName: x.organizationName,
  role: x.role,
  publicMetadata: x.publicMetadata,
  privateMetadata: x.privateMetadata,
  expiresAt: x.expiresAt,
  createdAt: x.createdAt,
  updatedAt: x.updatedAt,
});

export class SyncCancelled extends Error {
  override readonly name = 'SyncCancelled';
}

export async function syncInventory(input: SyncInput): Promise<{ read: number; changed: number; requests: number }> {
  const { client, repo, profileId, pacer } = input;
  const totals = new Map<string, number>();
  let read = 0;
  let changed = 0;
  let requests = 0;
  const total = () => (totals.size === 0 ? null : [...totals.values()].reduce((a, b) => a + b, 0));
  const report = () => input.report({ read, total: total(), requests, changed });

  async function fetchPage(kind: 'app' | 'org', status: InventoryStatus, offset: number) {
    for (let attempt = 0; ; attempt++) {
      if (input.cancelled?.()) throw new SyncCancelled('sync stopped');
      await pacer.take();
      requests++;
      try {
        const params = { status, orderBy: '-created_at', limit: PAGE, offset };
        if (kind === 'app') {
          const p = await client.listInvitations(params);
          return { items: p.data.map((x) => fromApp(x, status)), total: p.totalCount };
        }
        const p = await client.listInstanceOrganizationInvitations(params);
        return { items: p.data.map((x) => fromOrg(x, status)), total: p.totalCount };
      } catch (e) {
        if (e instanceof ClerkApiError && e.status === 429) {
          pacer.blockFor((e.retryAfterSeconds ?? 10) * 1000);
          continue;
        }
        const passing = (e instanceof ClerkApiError && e.status >= 500) || e instanceof ClerkTransportError;
        if (passing && attempt < 3) {
          pacer.blockFor(1000 * 2 ** attempt);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Reads one list newest first; `stopBelow`: may stop on an unchanged page older than this (null: read it whole).
   * Returns the list's mark (every invitation it listed carries it in `seen_at`) and whether it was read whole.
   */
  async function readList(
    kind: 'app' | 'org',
    status: InventoryStatus,
    stopBelow: number | null,
  ): Promise<{ mark: number; whole: boolean }> {
    // Strictly after every earlier list's mark, whatever the clock does (a fake one, or one set back).
    const mark = repo.nextMark(profileId, input.now());
    for (let offset = 0; ; offset += PAGE) {
      const early = offset === 0 ? firstPages.get(`${kind}:${status}`) : undefined;
      firstPages.delete(`${kind}:${status}`);
      const page = early ?? (await fetchPage(kind, status, offset));
      const key = `${kind}:${status}`;
      const before = totals.get(key);
      totals.set(key, page.total);
      if (before === undefined) report();
      const n = repo.putPage(profileId, page.items, mark);
      changed += n;
      read += page.items.length;
      report();
      if (page.items.length < PAGE) break;
      const oldest = page.items.at(-1)!.createdAt;
      if (stopBelow !== null && n === 0 && oldest < stopBelow) return { mark, whole: false };
    }
    // Read whole: what the copy still holds under this status and Clerk no longer lists was deleted (or moved on,
    // and the list it moved to was read before this one: then it is already up to date and not dropped).
    if (stopBelow === null && status !== 'pending') repo.dropUnseen(profileId, kind, status, mark);
    return { mark, whole: true };
  }

  // Every list's first page first: Clerk's totals then say how much there is to read, so the ETA holds from the start.
  const firstPages = new Map<string, Awaited<ReturnType<typeof fetchPage>>>();
  for (const kind of ['app', 'org'] as const)
    for (const status of ['pending', ...TERMINAL] as InventoryStatus[]) {
      const page = await fetchPage(kind, status, 0);
      firstPages.set(`${kind}:${status}`, page);
      totals.set(`${kind}:${status}`, page.total);
    }
  report();

  for (const kind of ['app', 'org'] as const) {
    const newest = repo.newest(profileId, kind);
    const { mark: pendingMark } = await readList(kind, 'pending', null);
    // Those that left the pending list: the terminal lists must be read at least down to the oldest of them.
    const floor = Math.min(newest, repo.oldestUnseen(profileId, kind, 'pending', pendingMark) ?? Number.POSITIVE_INFINITY);
    for (const status of TERMINAL) {
      const { whole } = await readList(kind, status, floor);
      if (!whole && repo.count(profileId, kind, status) !== totals.get(`${kind}:${status}`)) await readList(kind, status, null);
    }
    // Pending in the copy, in no list now: deleted in Clerk.
    repo.dropUnseen(profileId, kind, 'pending', pendingMark);
  }
  return { read, changed, requests };
}
