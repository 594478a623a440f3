/**
 * Builds every main-process service from its adapters. The Electron entry and the renderer test harness
 * both call this, so the harness exercises the real handlers.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventName, Events } from '../../shared/ipc/contract.ts';
import { createInventoryRepo } from './inventory/inventoryRepo.ts';
import { createInventoryActions } from './inventory/inventoryActions.ts';
import { createInventoryService } from './inventory/inventoryService.ts';
import { createReminderRules } from './inventory/reminderRules.ts';
import { sqliteReminders } from './inventory/reminderStore.ts';
import type { startClerkEmulator } from '../emulator/server.ts';
import { createClerkClient, type ClientHooks } from './clerk/client.ts';
import { acquireAppLock } from './db/appLock.ts';
import type { Db } from './db/types.ts';
import { createDirectory } from './directory.ts';
import { createHandlers } from './handlers.ts';
import { createHistoryService, teamKeepsHistory } from './history/historyService.ts';
import { createRunEngine, type EngineDeps, type RunEngine } from './runs/engine.ts';
import type { Storage } from './runs/engine/ports.ts';
import { sqliteStorage } from './runs/engine/sqliteStore.ts';
import { throttleProgress } from './runs/progressThrottle.ts';
import { createRunsService } from './runs/runsService.ts';
import type { RunProgress } from '../../shared/domain/send/types.ts';
import { createSheetsRepo } from './sheets/sheetsRepo.ts';
import { createSheetsService } from './sheets/sheetsService.ts';
import { sqliteSheetsStore, type SheetsStore } from './sheets/sheetsStore.ts';
import { createProfilesRepo } from './profiles/profilesRepo.ts';
import { confirmedClient } from './profiles/instanceGuard.ts';
import { createProfilesService } from './profiles/profilesService.ts';
import { sqliteProfilesStore, type ProfilesStore } from './profiles/profilesStore.ts';
import { createSandboxProvider, startSandboxEmulator } from './sandbox.ts';
import { createChecksRepo } from './metadata/checksRepo.ts';
import { createMetadataCheck } from './metadata/metadataCheck.ts';
import { createMetadataRepair } from './metadata/metadataRepair.ts';
import { createSandboxAccept } from './metadata/sandboxAccept.ts';
import type { SecretStore } from './secrets/secretStore.ts';
import { systemClock } from './lifecycle/clock.ts';
import { DEFAULT_LEASE_MS } from './runs/engine/core.ts';
import { startTeamWatch } from './team/teamWatch.ts';
import type { WorkspaceService } from './team/workspaceService.ts';
import { createWaitlistRepo } from './waitlist/waitlistRepo.ts';
import { askForRun, createApprovalsService, runIdOf } from './approvals/approvalsService.ts';
import { defaultMember } from './team/member.ts';
import { watchApprovals } from './approvals/approvalsWatch.ts';
import { createWaitlistService, type WaitlistService } from './waitlist/waitlistService.ts';

export type MainServicesDeps = {
  db: Db;
  secrets: SecretStore;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  appVersion: string;
  platform: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Wall clock and timers of the send engine (fake in tests); network state from the OS. */
  clock?: EngineDeps['clock'];
  network?: EngineDeps['network'];
  log?: EngineDeps['log'];
  /** A run ended (desktop notification in the app). */
  onRunFinished?: (progress: RunProgress) => void;
  /** Clerk's hourly window (compressed in tests and benchmarks), and limits overriding Clerk's. */
  runWindowMs?: number;
  runLimits?: EngineDeps['limits'];
  /** The status sync's share of an instance's general limit, per window (compressed in tests). */
  generalReads?: { limit: number; windowMs: number };
  backoffBaseMs?: number;
  /** How long Clerk may still commit a request that got no answer before it is looked up (compressed in tests). */
  unknownGraceMs?: number;
  /** Where runs live: a team workspace's PostgreSQL (engine/pgStore.ts); this computer's database when absent. */
  storage?: Storage;
  /**
   * On a team workspace: other computers drive runs too. Their runs are watched live, and taken over when their
   * computer stops renewing the lease (asleep, crashed, gone). `close` ends the team session when the app quits.
   */
  team?: { leaseMs?: number; watchEveryMs?: number; close(): Promise<void> };
  /** Profiles and sheets: the team's (team/pgAppStores.ts) on a team workspace; this computer's database when absent. */
  stores?: { profiles: ProfilesStore; sheets: SheetsStore };
  /** The Workspace setting's service (team/workspaceService.ts), built by the entry beside the storage it chose. */
  workspace?: WorkspaceService;
  /** Who this app's user is to the team (shown on approvals); `user@host` when absent. */
  member?: string;
  /**
   * Four eyes on production (a team workspace's option): production sends wait for another member's approval. Needs
   * `storage.approvals` (the team database's); `approvalsWatchMs`: how often the team's approvals are read.
   */
  fourEyes?: boolean;
  approvalsWatchMs?: number;
  /** How often reminder rules are applied and finished reminders completed while the app runs (a minute; tests less). */
  remindEveryMs?: number;
};

export function createMainServices(deps: MainServicesDeps) {
  const clock = deps.clock;
  const now = deps.now ?? (clock ? () => clock.now() : Date.now);
  // One app process per database: a second one is refused here, before anything could resume a run.
  const owner = randomUUID();
  const lock = acquireAppLock(deps.db, { owner, pid: process.pid, host: hostname(), now });
  let sandboxEmu: Awaited<ReturnType<typeof startClerkEmulator>> | null = null;
  const sandbox = createSandboxProvider(async () => {
    const started = await startSandboxEmulator();
    sandboxEmu = started.emulator;
    return started;
  });
  const clerk = (baseUrl: string, secretKey: string, opts: ClientHooks = {}) =>
    createClerkClient({ baseUrl, secretKey, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...opts });
  const profilesRepo = createProfilesRepo(deps.db);
  const profiles = createProfilesService({
    store: deps.stores?.profiles ?? sqliteProfilesStore(profilesRepo),
    ...(deps.stores ? { team: true } : {}),
    secrets: deps.secrets,
    clerk,
    sandbox,
    now,
    newId: () => randomUUID(),
    onChange: (state) => deps.emit('profiles:changed', state),
  });
  const sheets = createSheetsService({
    store: deps.stores?.sheets ?? sqliteSheetsStore(createSheetsRepo(deps.db)),
    now,
    newId: () => randomUUID(),
    onChange: (list) => deps.emit('sheets:changed', list),
  });
  const store = deps.storage ?? sqliteStorage(deps.db);
  /**
   * A client for a profile, for runs (each launch, start and resume), follow-ups, pre-flight, dry runs, sync and the
   * directory: it confirms that the keychain's key still opens the profile's instance and environment before its
   * first request (see instanceGuard.ts). The Sandbox's key never leaves main, so nothing can replace it.
   */
  const clientFor = async (profileId: string, opts: ClientHooks = {}) => {
    const { baseUrl, secretKey, profile } = await profiles.secretFor(profileId);
    const client = clerk(baseUrl, secretKey, opts);
    return profile.isSandbox ? client : confirmedClient(client, profile);
  };
  let waitlistOf: WaitlistService | null = null;
  /** A run ended: a waitlist run's outcome goes into the local copy; the waitlist template's invitations are synced. */
  const afterRun = async (p: RunProgress) => {
    if (p.op.startsWith('waitlist_')) return waitlistOf?.applyRun(p.id);
    // Invitations made with the waitlist template may move entries to invited (unknown): read Clerk's word.
    if ((await store.history.optionsOf(p.id))?.settings?.templateSlug === 'waitlist_invitation')
      void waitlistOf?.sync(p.profileId).catch(() => {});
  };
  let settleReminders: () => Promise<string[]> = async () => [];
  const engine = createRunEngine({
    store,
    clientFor,
    // A few frames a second per run reach the window; a state change (a run ending) at once, and the latest
    // report of a burst always follows (see progressThrottle): the window never misses where a run stands.
    emit: throttleProgress((p) => deps.emit('runs:progress', p)),
    onFinished: (p) => {
      void afterRun(p).catch((e: unknown) => deps.log?.warn(`after run ${p.id}: ${e instanceof Error ? e.message : String(e)}`));
      deps.onRunFinished?.(p);
      // A reminder's first run ended: its older invitations get their revoke run once the profile is free.
      void engine.settled(p.id).then(() => setImmediate(() => void settleReminders()));
    },
    now,
    owner,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.network ? { network: deps.network } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    ...(deps.runLimits ? { limits: deps.runLimits } : {}),
    ...(deps.backoffBaseMs ? { backoffBaseMs: deps.backoffBaseMs } : {}),
    ...(deps.unknownGraceMs ? { unknownGraceMs: deps.unknownGraceMs } : {}),
    ...(deps.team?.leaseMs ? { leaseMs: deps.team.leaseMs } : {}),
  });
  // Four eyes on production: a production run starts only from a teammate's approval. A sheet's send is asked about
  // by the approvals service (its run then has the approval's id); a follow-up, a repair, a waitlist or an
  // Invitations-page action reaches this gate, which asks about the run as prepared (ApprovalAsked) and starts nothing.
  const member = deps.member ?? defaultMember();
  const approvalsPort = deps.fourEyes === true ? store.approvals : undefined;
  const gated: RunEngine = approvalsPort
    ? {
        ...engine,
        launch: (run) =>
          run.environment !== 'production' || run.id.startsWith(runIdOf(''))
            ? engine.launch(run)
            : askForRun(approvalsPort, member, now(), run),
      }
    : engine;
  const beat = setInterval(() => {
    try {
      // Another process took the database over (this one was asleep past the stale time): stop sending.
      if (!lock.heartbeat()) void engine.shutdown(0);
    } catch {
      // the journal is unwritable right now; runs pause themselves on their next write
    }
  }, 15_000);
  beat.unref?.();
  const checks = createChecksRepo(deps.db);
  const runs = createRunsService({
    checks,
    store,
    engine: gated,
    sheets,
    profiles,
    now,
    newId: () => randomUUID(),
    clientFor,
    ...(deps.runWindowMs ? { windowMs: deps.runWindowMs } : {}),
    onCheckProgress: (p) => deps.emit('runs:reviewProgress', p),
  });
  const history = createHistoryService({
    store,
    engine: gated,
    profiles,
    clientFor,
    now,
    newId: () => randomUUID(),
    // On a team workspace the history is the team's: one member's “keep 30 days” would delete teammates' runs.
    settings: deps.storage ? teamKeepsHistory : { get: profilesRepo.getSetting, set: profilesRepo.setSetting },
    ...(deps.storage ? { team: true } : {}),
    ...(deps.generalReads ? { reads: deps.generalReads } : {}),
  });
  void history.applyRetention().catch((e: unknown) => deps.log?.warn(`retention: ${e instanceof Error ? e.message : String(e)}`));
  const metadata = {
    check: createMetadataCheck({
      store,
      checks,
      quota: store.quota,
      clientFor,
      now,
      onProgress: (p) => deps.emit('metadata:progress', p),
    }),
    repair: createMetadataRepair({ store, checks, engine: gated, profiles, now, newId: () => randomUUID() }),
    sandboxAccept: createSandboxAccept({ store, emulator: () => sandboxEmu }),
  };
  const waitlist = createWaitlistService({
    repo: createWaitlistRepo(deps.db),
    store,
    quota: store.quota,
    engine: gated,
    profiles,
    sheets,
    clientFor,
    now,
    newId: () => randomUUID(),
    onSyncProgress: (p) => deps.emit('waitlist:syncProgress', p),
    ...(deps.runWindowMs ? { hourMs: deps.runWindowMs } : {}),
  });
  waitlistOf = waitlist;
  const inventoryRepo = createInventoryRepo(deps.db);
  const inventoryActions = createInventoryActions({
    db: deps.db,
    store,
    repo: inventoryRepo,
    profiles,
    engine: gated,
    completes: engine,
    now,
    newId: () => randomUUID(),
    ...(deps.runWindowMs ? { windowMs: deps.runWindowMs } : {}),
  });
  settleReminders = async () => {
    try {
      return await inventoryActions.settleReminders();
    } catch (e) {
      deps.log?.warn(
        `reminders: could not start the revoke of older invitations (${e instanceof Error ? e.message : String(e)}); tried again at the next run's end`,
      );
      return [];
    }
  };
  const inventory = createInventoryService({
    db: deps.db,
    repo: inventoryRepo,
    history: store.history,
    profiles,
    clientFor: (profileId) => clientFor(profileId),
    now,
    emit: (p) => deps.emit('inventory:progress', p),
    runActive: (profileId) => engine.activeFor(profileId) !== null,
  });
  const reminders = createReminderRules({
    db: deps.db,
    store: store.reminders ?? sqliteReminders(deps.db),
    runs: store.runs,
    actions: inventoryActions,
    sync: (profileId) => inventory.sync(profileId),
    syncedAt: (profileId) => inventoryRepo.syncState(profileId)?.syncedAt ?? null,
    environmentOf: async (profileId) => {
      const { profile } = await profiles.secretFor(profileId);
      return { production: profile.environment === 'production' && !profile.isSandbox, name: profile.name };
    },
    now,
    newId: () => randomUUID(),
  });
  // Reminder rules are applied while the app runs (a minute at most late; a run's end and the start look too).
  // Each minute: a reminder this app started whose run a teammate's app ran (an approved one, one taken over) ended
  // without an event here; its older invitations are revoked from here (settleReminders), then the rules are applied.
  const remind = () =>
    void settleReminders()
      .then(() => reminders.evaluate())
      .catch((e: unknown) => deps.log?.warn(`reminder rules: ${e instanceof Error ? e.message : String(e)}`));
  let reminderTimer: ReturnType<typeof setInterval> | null = null;
  let teamWatch: { stop(): Promise<unknown> } | null = null;
  let approvalsWatch: ReturnType<typeof watchApprovals> | null = null;
  const approvals = createApprovalsService({
    approvals: store.approvals,
    fourEyes: deps.fourEyes === true,
    member,
    runs,
    profiles,
    sheets,
    now,
    runExists: async (runId) => (await store.runs.get(runId)) !== null,
    launchApproved: (run) => engine.launch(run),
    current: (run) => history.current(run),
    onChange: () => void approvalsWatch?.tick(),
  });
  if (approvals.settings().fourEyes)
    approvalsWatch = watchApprovals({
      list: approvals.list,
      clock: deps.clock ?? systemClock,
      ...(deps.approvalsWatchMs ? { everyMs: deps.approvalsWatchMs } : {}),
      emit: (list) => deps.emit('approvals:changed', list),
      ...(deps.log ? { log: deps.log } : {}),
    });
  const handlers = createHandlers({
    approvals,
    metadata,
    waitlist,
    inventory,
    inventoryActions,
    reminders,
    profiles,
    sheets,
    runs,
    history,
    directory: createDirectory(clientFor),
    appInfo: () => ({ version: deps.appVersion, platform: deps.platform, sandboxBaseUrl: sandbox.peekUrl() }),
    ...(deps.workspace ? { workspace: deps.workspace } : {}),
  });
  return {
    handlers,
    profiles,
    sheets,
    runs,
    engine,
    /** The Sandbox's emulator once started (tests drive Clerk-side events through it). */
    sandboxEmulator: () => sandboxEmu,
    /** Runs the journal says were going when the app last stopped (and reminders' revokes still to start). */
    resumeRuns: async () => {
      await engine.resumeAll();
      teamWatch ??= deps.team
        ? startTeamWatch({
            engine,
            store,
            clock: deps.clock ?? systemClock,
            leaseMs: deps.team.leaseMs ?? DEFAULT_LEASE_MS,
            ...(deps.team.watchEveryMs ? { everyMs: deps.team.watchEveryMs } : {}),
            emit: deps.emit,
            ...(deps.log ? { log: deps.log } : {}),
          })
        : null;
      await settleReminders();
      remind();
      reminderTimer ??= setInterval(remind, deps.remindEveryMs ?? 60_000);
      reminderTimer.unref?.();
    },
    reminders,
    inventoryActions,
    settleReminders: () => settleReminders(),
    history,
    metadata,
    waitlist,
    inventory,
    approvals,
    /** Quit: requests in flight get `deadlineMs`, then are left for the next start to look up. */
    async close(deadlineMs?: number): Promise<void> {
      if (reminderTimer) clearInterval(reminderTimer);
      await approvalsWatch?.stop();
      await teamWatch?.stop();
      await engine.shutdown(deadlineMs);
      await deps.team?.close();
      await inventory.stopAll();
      await sandbox.close();
      clearInterval(beat);
      try {
        lock.release();
      } catch {
        // a stale lock is taken over by the next start anyway
      }
      deps.db.close();
    },
  };
}
export type MainServices = Awaited<ReturnType<typeof createMainServices>>;
