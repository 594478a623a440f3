/**
 * The Workspace setting's service (workspace:get / test / switch). It asks nothing itself: the window confirms first.
 * A test opens the database with what was typed, checks the version and tells what the team database holds; a switch
 * opens and migrates it, copies this computer’s history when asked (counts checked), keeps the password in the
 * keychain only once all that worked, writes the choice and restarts the app into it. Every refusal names the field to
 * fix (url, password, tls) and never carries the password.
 */
import type { Db } from '../db/types.ts';
import { Failure } from '../failure.ts';
import { createMemorySecretStore, type SecretStore } from '../secrets/secretStore.ts';
import type {
  HistoryCounts,
  TeamHoldings,
  TeamWaiting,
  WorkspaceConfig,
  WorkspaceSwitchArgs,
  WorkspaceSwitchResult,
  WorkspaceTestResult,
  WorkspaceView,
} from '../../../shared/domain/workspace.ts';
import { describeCounts } from '../../../shared/domain/workspace.ts';
import { historyToMove, moveHistoryToTeam } from './moveHistory.ts';
import { createProfilesRepo } from '../profiles/profilesRepo.ts';
import { sqliteProfilesStore } from '../profiles/profilesStore.ts';
import { createSheetsRepo } from '../sheets/sheetsRepo.ts';
import { sqliteSheetsStore } from '../sheets/sheetsStore.ts';
import { pgAppStores } from './pgAppStores.ts';
import { shareToTeam, type ShareReport } from './shareToTeam.ts';
import { pgMigrations } from './pgMigrations.ts';
import {
  describeTarget,
  openTeamWorkspace,
  parseTeamUrl,
  TEAM_PASSWORD_ACCOUNT,
  teamDbProblem,
  type OpenPool,
  type TeamTarget,
} from './workspace.ts';
import { readWorkspaceConfig, writeWorkspaceConfig } from './workspaceConfig.ts';

export type WorkspaceServiceDeps = {
  /** The choice's file (workspaceConfig.ts). */
  file: string;
  secrets: SecretStore;
  /** This computer’s own SQLite database (its history is what a switch may copy). */
  localDb: Db;
  openPool: OpenPool;
  /** Starts the app again into the workspace just written (the Electron entry relaunches). */
  restart: () => void;
  now: () => number;
  /** How many runs this app is sending now: a switch waits for them (a restart would cut them mid-run). */
  sending?: () => number;
  log?: { info(message: string): void };
  /** Tells the window the team database stopped (or started again) answering. */
  emitWaiting?: (w: TeamWaiting) => void;
};

/** What of this computer's profiles and sheets went into the team workspace ('' when nothing new did). */
function broughtAlong(r: ShareReport | null): string {
  if (!r) return '';
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  const parts = [
    ...(r.profiles.copied ? [n(r.profiles.copied, 'profile')] : []),
    ...(r.sheets.copied ? [n(r.sheets.copied, 'sheet')] : []),
  ];
  const joined = r.profiles.joined.length ? ` Joined the team’s: ${r.profiles.joined.join(', ')}.` : '';
  const keys = r.profiles.keyNotFound.length
    ? ` Enter your key for ${r.profiles.keyNotFound.map((x) => `“${x}”`).join(', ')} on the Profiles page.`
    : '';
  return `${parts.length ? ` Brought along: ${parts.join(', ')}.` : ''}${joined}${keys}`;
}

/** Which field of the Workspace screen a refusal is about. */
const FIELD: Record<string, string> = {
  invalid_url: 'url',
  team_no_database: 'url',
  team_unreachable: 'url',
  team_old_server: 'url',
  team_auth: 'password',
  team_tls: 'tls',
};
const withField = (e: unknown): unknown => {
  if (!(e instanceof Failure) || e.field !== undefined || !FIELD[e.code]) return e;
  return new Failure(e.code, e.message, { field: FIELD[e.code]!, ...(e.detail ? { detail: e.detail } : {}) });
};
const sameTarget = (a: TeamTarget, b: TeamTarget) =>
  a.host === b.host && a.port === b.port && a.database === b.database && a.user === b.user;
const TABLES = ['runs', 'profiles', 'sheets'] as const;

export function createWorkspaceService(deps: WorkspaceServiceDeps) {
  let switching = false;
  let waitingSince: number | null = null;
  let refusedText: string | null = null;
  const tell = () => deps.emitWaiting?.({ since: waitingSince, target: targetInUse(), refused: refusedText });
  let retryNow: (() => void) | null = null;
  const targetInUse = () => {
    const { config } = readWorkspaceConfig(deps.file);
    return config.kind === 'team' ? describeTarget(parseTeamUrl(config.url, config.tls).target) : 'the team database';
  };

  const localCounts = (): HistoryCounts => {
    const c = historyToMove(deps.localDb);
    return { runs: c.runs, rows: Object.values(c.rows).reduce((n, x) => n + x, 0) };
  };

  /** The password for a URL: the one typed, else the URL's own, else the keychain's (only for the workspace it was saved for). */
  async function passwordFor(target: TeamTarget, typed: string | undefined, inUrl: string | null): Promise<string | null> {
    if (typed) return typed;
    if (inUrl !== null) return inUrl;
    const { config } = readWorkspaceConfig(deps.file);
    if (config.kind !== 'team' || !sameTarget(parseTeamUrl(config.url, config.tls).target, target)) return null;
    return deps.secrets.get(TEAM_PASSWORD_ACCOUNT);
  }

  function refuseWhileSending(): void {
    const n = deps.sending?.() ?? 0;
    if (n > 0)
      throw new Failure(
        'run_in_progress',
        n === 1
          ? 'A run is still sending on this computer: pause it or let it finish, then switch.'
          : `${n} runs are still sending on this computer: pause them or let them finish, then switch.`,
      );
  }

  async function probe(pool: ReturnType<OpenPool>, target: TeamTarget): Promise<WorkspaceTestResult> {
    const v =
      (await pool.query("SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS name")).rows[0] ??
      {};
    const num = Number(v['num']);
    if (num < 140000)
      throw new Failure(
        'team_old_server',
        `The team database at ${describeTarget(target)} runs PostgreSQL ${Math.floor(num / 10000)}; Invite Desk needs 14 or newer.`,
      );
    const holds: TeamHoldings = { runs: null, profiles: null, sheets: null };
    for (const t of TABLES) {
      if (!(await pool.query('SELECT to_regclass($1) AS t', [`public.${t}`])).rows[0]?.['t']) continue;
      // What is in the trash (a deleted sheet kept to restore) is not counted.
      const trash = (
        await pool.query(
          "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'deleted_at'",
          [t],
        )
      ).rows.length;
      holds[t] = Number((await pool.query(`SELECT count(*) AS n FROM ${t}${trash ? ' WHERE deleted_at IS NULL' : ''}`)).rows[0]?.['n']);
    }
    const setUp = Boolean((await pool.query("SELECT to_regclass('public.schema_migrations') AS t")).rows[0]?.['t']);
    let note: string | null = null;
    if (setUp) {
      const newest = Number((await pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.['v'] ?? 0);
      if (newest > Math.max(...pgMigrations.map((m) => m.version)))
        throw new Failure(
          'team_newer',
          `The team database at ${describeTarget(target)} was set up by a newer Invite Desk: update this app first.`,
        );
    } else if (!(await pool.query("SELECT has_schema_privilege('public', 'CREATE') AS ok")).rows[0]?.['ok']) {
      note =
        `The user ${target.user} may not create tables in “${target.database}”: ask your admin to make ${target.user} the ` +
        `database's owner (or GRANT CREATE ON SCHEMA public TO ${target.user}) before switching.`;
    }
    return { target: describeTarget(target), serverVersion: String(v['name'] ?? ''), holds, setUp, note };
  }

  /** The URL as typed (a refusal names its field) and the password to use: typed, in the URL, or the keychain's. */
  async function typed(a: { url: string; password?: string; tls: boolean }) {
    let parsed: ReturnType<typeof parseTeamUrl>;
    try {
      parsed = parseTeamUrl(a.url, a.tls);
    } catch (e) {
      throw withField(e);
    }
    return { parsed, password: await passwordFor(parsed.target, a.password, parsed.password) };
  }

  async function test(a: { url: string; password?: string; tls: boolean }): Promise<WorkspaceTestResult> {
    const { parsed, password } = await typed(a);
    const pool = deps.openPool({ url: parsed.url, password, tls: a.tls });
    try {
      return await probe(pool, parsed.target);
    } catch (e) {
      throw withField(e instanceof Failure ? e : teamDbProblem(e, parsed.target));
    } finally {
      await pool.end().catch(() => {});
    }
  }

  async function toTeam(a: Extract<WorkspaceSwitchArgs, { kind: 'team' }>): Promise<WorkspaceSwitchResult> {
    const { parsed, password } = await typed(a);
    // The keychain is checked before anything is copied: the switch must be able to keep the password.
    await deps.secrets.probe?.();
    const once = createMemorySecretStore();
    if (password !== null) await once.set(TEAM_PASSWORD_ACCOUNT, password);
    let copied: WorkspaceSwitchResult['copied'] = null;
    let shared: ShareReport;
    try {
      const { pool } = await openTeamWorkspace({ url: parsed.url, tls: a.tls }, once, deps.openPool);
      try {
        if (a.copyHistory) {
          const r = await moveHistoryToTeam(deps.localDb, pool, deps.now());
          copied = {
            runs: r.moved.runs,
            rows: Object.values(r.moved.rows).reduce((n, x) => n + x, 0),
            requests: r.moved.requests,
            alreadyThere: r.alreadyThere,
          };
        }
        // This computer's profiles (their keys stay in its keychain) and sheets go along: copied, each thing once.
        const local = {
          profiles: sqliteProfilesStore(createProfilesRepo(deps.localDb)),
          sheets: sqliteSheetsStore(createSheetsRepo(deps.localDb)),
        };
        shared = await shareToTeam(local, pgAppStores(pool, { target: parsed.target }), deps.secrets, deps.now());
      } finally {
        await pool.end().catch(() => {});
      }
    } catch (e) {
      throw withField(e);
    }
    if (password !== null) await deps.secrets.set(TEAM_PASSWORD_ACCOUNT, password);
    else await deps.secrets.delete(TEAM_PASSWORD_ACCOUNT); // a password saved for another workspace is not sent here
    const config: WorkspaceConfig = { kind: 'team', url: parsed.url, tls: a.tls, fourEyes: a.fourEyes };
    writeWorkspaceConfig(deps.file, config);
    const target = describeTarget(parsed.target);
    const history = copied
      ? `Copied and checked: ${describeCounts(copied)}${copied.alreadyThere ? ` (${copied.alreadyThere} already there)` : ''}.`
      : 'This computer’s runs stay here.';
    const message = `Switched to the team workspace at ${target}. ${history}${broughtAlong(shared)} Restarting…`;
    return { config, copied, message };
  }

  async function toLocal(): Promise<WorkspaceSwitchResult> {
    const before = readWorkspaceConfig(deps.file).config;
    writeWorkspaceConfig(deps.file, { kind: 'local' });
    await deps.secrets.delete(TEAM_PASSWORD_ACCOUNT).catch(() => false);
    const where = before.kind === 'team' ? ` at ${describeTarget(parseTeamUrl(before.url, before.tls).target)}` : '';
    return {
      config: { kind: 'local' },
      copied: null,
      message: `Switched to this computer. The team database${where} is left as it is: nothing in it was changed. Restarting…`,
    };
  }

  return {
    async get(): Promise<WorkspaceView> {
      const { config, warning } = readWorkspaceConfig(deps.file);
      let passwordSaved = false;
      if (config.kind === 'team') passwordSaved = (await deps.secrets.get(TEAM_PASSWORD_ACCOUNT).catch(() => null)) !== null;
      const target = config.kind === 'team' ? describeTarget(parseTeamUrl(config.url, config.tls).target) : null;
      return { config, target, passwordSaved, warning, local: localCounts(), waitingSince, refused: refusedText };
    },
    /**
     * The team storage's wait (waitForTeam.ts) reports here: `onWaiting: workspace.waiting`. The window says since
     * when, how to reach the database, and offers to try again now.
     */
    waiting(since: number | null): void {
      waitingSince = since;
      if (since === null) refusedText = null; // it answers: whatever it refused before is settled
      tell();
    },
    /** The team session's `onRefused`: the password, TLS or server the user must fix (told once per kind). */
    refused(text: string): void {
      refusedText = text;
      tell();
    },
    /** What "Try again now" calls: the wait's `retryNow`. */
    bindRetry(fn: () => void): void {
      retryNow = fn;
    },
    retry(): { waitingSince: number | null } {
      retryNow?.();
      return { waitingSince };
    },
    test,
    async switch(a: WorkspaceSwitchArgs): Promise<WorkspaceSwitchResult> {
      if (switching) throw new Failure('workspace_busy', 'A switch is already under way.');
      switching = true;
      try {
        refuseWhileSending();
        const result = a.kind === 'local' ? await toLocal() : await toTeam(a);
        deps.log?.info(`workspace: ${result.message}`);
        // After the answer has reached the window (it shows the result), never before.
        setTimeout(deps.restart, 0);
        return result;
      } finally {
        switching = false;
      }
    },
  };
}
export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
