/**
 * The Invitations page's service: one sync at a time per profile (progress with an ETA as events), the local copy read
 * a window at a time with the page's filters, selections, and CSV export. Plain Node; the clock is injected.
 */
import { csvLine } from '../../../shared/domain/export/csv.ts';
import type { InventoryFilter, InventoryPage, InventoryProgress, InventoryQuery } from '../../../shared/domain/inventory/types.ts';
import { GENERAL_WINDOW_MS } from '../../../shared/domain/send/limits.ts';
import type { ClerkClient } from '../clerk/client.ts';
import type { HistoryPort } from '../runs/engine/ports.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { Db } from '../db/types.ts';
import { insightsOf } from './insights.ts';
import type { InventoryRepo } from './inventoryRepo.ts';
import { createPacer, SyncCancelled, syncInventory } from './inventorySync.ts';

export type InventoryDeps = {
  db: Db;
  repo: InventoryRepo;
  /** The workspace's runs (this computer's or the team's): which run sent an invitation. */
  history: Pick<HistoryPort, 'sentSince'>;
  profiles: Pick<ProfilesService, 'secretFor'>;
  clientFor: (profileId: string) => Promise<ClerkClient>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  emit: (p: InventoryProgress) => void;
  /** Whether a run of the profile is going (then the sync keeps to the 10% of the general limit runs leave free). */
  runActive?: (profileId: string) => boolean;
  /** Progress events at most this often (state changes always). */
  reportEveryMs?: number;
};

/** Clerk's general limit per 10 s, by environment (API.md); the sync takes 90% of it, 10% beside a run. */
const GENERAL = { development: 100, production: 1000 } as const;
const MAX_PAGE = 1000;

export function createInventoryService(deps: InventoryDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const syncs = new Map<string, Promise<InventoryProgress>>();
  const latest = new Map<string, InventoryProgress>();
  const stopped = new Set<string>();
  const insightsCache = new Map<string, ReturnType<typeof insightsOf>>();

  function publish(p: InventoryProgress, force: boolean): void {
    const was = latest.get(p.profileId);
    latest.set(p.profileId, p);
    if (force || !was || p.at - was.at >= (deps.reportEveryMs ?? 200) || was.state !== p.state) deps.emit(p);
    else latest.set(p.profileId, { ...p, at: was.at }); // keeps the last emitted time, so the next report goes
  }

  async function run(profileId: string): Promise<InventoryProgress> {
    const { profile } = await deps.profiles.secretFor(profileId);
    const client = await deps.clientFor(profileId);
    const startedAt = deps.now();
    const base: InventoryProgress = {
      profileId,
      state: 'syncing',
      read: 0,
      total: null,
      requests: 0,
      startedAt,
      eta: null,
      changed: 0,
      error: null,
      at: startedAt,
    };
    publish(base, true);
    const previous = deps.repo.syncState(profileId)?.syncedAt ?? 0;
    deps.repo.begin(profileId, profile.instanceId);
    const limit = GENERAL[profile.environment];
    const share = () => (deps.runActive?.(profileId) ? 0.1 : 0.9);
    const pacer = createPacer(Math.max(1, Math.floor(limit * share())), GENERAL_WINDOW_MS, { now: deps.now, sleep });
    let last = base;
    try {
      const r = await syncInventory({
        client,
        repo: deps.repo,
        profileId,
        pacer,
        now: deps.now,
        cancelled: () => stopped.has(profileId),
        report: (p) => {
          const at = deps.now();
          const rate = p.read / Math.max(1, at - startedAt);
          const eta = p.total !== null && rate > 0 ? at + Math.max(0, p.total - p.read) / rate : null;
          last = { ...base, ...p, eta, at };
          publish(last, false);
        },
      });
      const at = deps.now();
      // Which run sent what: every run of the instance at the first sync, then those going or ended since the last one
      // (a run beside a sync, an unknown outcome looked up later), any member's on a team workspace.
      // A page at a time, letting the window's reads in between (70,000 at once held main for 0.7 s).
      for (let after = ''; ;) {
        const sent = await deps.history.sentSince(profile.instanceId, previous - 60_000, after);
        r.changed += deps.repo.linkRuns(profileId, sent);
        if (sent.length === 0) break;
        after = sent.at(-1)!.invitationId;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      deps.repo.finish(profileId, at);
      const done: InventoryProgress = { ...last, ...r, total: r.read, state: 'done', eta: at, at };
      publish(done, true);
      return done;
    } catch (e) {
      const at = deps.now();
      const message =
        e instanceof SyncCancelled
          ? 'The sync was stopped; what was read so far is kept, and the next sync goes on from there.'
          : // Clerk's messages end with a full stop of their own ("…working on fixing it."): one is enough.
            `The sync stopped: ${(e instanceof Error ? e.message : String(e)).replace(/[.\s]+$/, '')}. What was read so far is kept; sync again to go on.`;
      const failed: InventoryProgress = { ...last, state: 'failed', error: message, eta: null, at };
      publish(failed, true);
      return failed;
    }
  }

  const service = {
    /** Starts a sync of the profile's instance (or joins the one going); resolves when it ends. */
    sync(profileId: string): Promise<InventoryProgress> {
      const going = syncs.get(profileId);
      if (going) return going;
      stopped.delete(profileId);
      const p = run(profileId).finally(() => syncs.delete(profileId));
      syncs.set(profileId, p);
      return p;
    },
    /** Starts a sync and answers at once with where it stands. */
    async start(profileId: string): Promise<InventoryProgress> {
      const p = service.sync(profileId);
      // The first report (or a failure to start, e.g. no key) comes before any request is answered.
      await Promise.race([p, new Promise((r) => setImmediate(r))]);
      const now = latest.get(profileId);
      if (now) return now;
      return p;
    },
    progress: (profileId: string): InventoryProgress | null => latest.get(profileId) ?? null,
    stop(profileId: string): void {
      if (syncs.has(profileId)) stopped.add(profileId);
    },
    async stopAll(): Promise<void> {
      for (const id of syncs.keys()) stopped.add(id);
      await Promise.allSettled([...syncs.values()]);
    },

    list(q: InventoryQuery): InventoryPage {
      const limit = Math.min(MAX_PAGE, q.limit ?? 200);
      const offset = q.offset ?? 0;
      const where = { ...q, now: deps.now() };
      const state = deps.repo.syncState(q.profileId);
      return {
        rows: deps.repo.page(where, offset, limit),
        offset,
        total: deps.repo.total(where),
        all: deps.repo.all(q.profileId),
        syncedAt: state?.complete ? state.syncedAt : null,
        organizations: deps.repo.organizations(q.profileId),
      };
    },
    ids: (profileId: string, filter: InventoryFilter): string[] => deps.repo.ids({ ...filter, profileId, now: deps.now() }),

    /** The selection (or every row of the filter) as CSV: what a spreadsheet or a colleague needs. */
    exportCsv(profileId: string, sel: { ids?: string[]; filter?: InventoryFilter }): { fileName: string; csv: string } {
      const ids = sel.ids ?? deps.repo.ids({ ...(sel.filter ?? {}), profileId, now: deps.now() });
      if (ids.length === 0) throw new Failure('nothing_to_export', 'No invitation is selected: tick some rows, or change the filters.');
      const head = [
        'email',
        'status',
        'kind',
        'organization',
        'role',
        'created_at',
        'expires_at',
        'sent_by',
        'invitation_id',
        'public_metadata',
      ];
      const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
      let csv = `\ufeff${csvLine(head)}`;
      for (let i = 0; i < ids.length; i += 500) {
        for (const r of deps.repo.byIds(profileId, ids.slice(i, i + 500)))
          csv += csvLine([
            r.email,
            r.status,
            r.kind === 'app' ? 'application' : 'organization',
            r.organizationName ?? r.organizationId ?? '',
            r.role ?? '',
            iso(r.createdAt),
            iso(r.expiresAt),
            r.runId ? `run “${r.runName}”` : 'outside Invite Desk',
            r.id,
            r.publicMetadata === '{}' ? '' : r.publicMetadata,
          ]);
      }
      return { fileName: `invitations-${new Date(deps.now()).toISOString().slice(0, 10)}.csv`, csv };
    },
    /** The charts' numbers; kept until the copy changes (a sync) or the day turns, so opening them again is instant. */
    insights(q: { profileId: string; runId?: string; metadataKey?: string }) {
      const now = deps.now();
      const key = `${q.profileId}|${q.runId ?? ''}|${q.metadataKey ?? ''}|${deps.repo.syncState(q.profileId)?.syncedAt}|${Math.floor(now / 3_600_000)}`;
      const hit = insightsCache.get(key);
      if (hit && latest.get(q.profileId)?.state !== 'syncing') return { ...hit, ms: 0 };
      const fresh = insightsOf(deps.db, { ...q, now });
      if (insightsCache.size > 20) insightsCache.clear();
      insightsCache.set(key, fresh);
      return fresh;
    },
    forgetProfile(profileId: string): void {
      service.stop(profileId);
      deps.repo.forget(profileId);
    },
  };
  return service;
}
export type InventoryService = ReturnType<typeof createInventoryService>;
