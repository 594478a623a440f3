/**
 * THE IPC contract: one line per channel (arguments, result) and one per event main → renderer.
 * Adding a channel here makes the compiler demand its parser (parse.ts), its handler (main) and, through
 * `RendererApi`, its preload method.
 */
import type { Result } from '../result.ts';
import type {
  ActionReview,
  BulkAction,
  InventoryFilter,
  InventoryPage,
  InventoryProgress,
  Insights,
  InventoryQuery,
  ReminderRule,
} from '../domain/inventory/types.ts';
import type { ProfileHealth, ProfilesState, ProfileView } from '../domain/profile.ts';
import type { RowPatch } from '../domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings, SheetSummary } from '../domain/sheet/types.ts';
import type {
  DryRunResult,
  FollowUp,
  FollowUpTally,
  HistoryHit,
  ExistingChoice,
  HistoryKey,
  ReviewProgress,
  RowFilter,
  RunProgress,
  RunReview,
  RunRowsPage,
  RunSummary,
} from '../domain/send/types.ts';
import type { WaitlistPace } from '../domain/sheet/validate.ts';
import type {
  WaitlistAction,
  WaitlistFilter,
  WaitlistPage,
  WaitlistReview,
  WaitlistSelection,
  WaitlistState,
  WaitlistSyncProgress,
} from '../domain/waitlist/types.ts';

import type { CheckSummary } from '../domain/metadata/landed.ts';
import type { TeamWaiting, WorkspaceSwitchArgs, WorkspaceSwitchResult, WorkspaceTestResult, WorkspaceView } from '../domain/workspace.ts';
import type { ApprovalReview, ApprovalsSettings, ApprovalSummary } from '../domain/approvals.ts';
import type { CheckProgress, RepairChoice, RepairReview } from '../domain/metadata/repairPlan.ts';

type Ch<A, R> = { args: A; result: R };

/** Under four eyes (a team workspace option) a production run is not started: a teammate is asked to approve it. */
export type Asked = { approvalId: string; message: string };
/** What starting a run answers: the run, or (four eyes, production) the approval asked for instead. */
export type Started = { runId: string } | ({ runId: null } & Asked);

export type AppInfo = { version: string; platform: string; sandboxBaseUrl: string | null };
export type OrganizationOption = { id: string; name: string; slug: string; membersCount: number | null; roleSetKey: string | null };
export type RoleOption = { key: string; name: string };
export type SheetInput = { name: string; settings: SheetSettings; columns: SheetColumn[]; rows: string[][] };
/** A new sheet's cells come as rows, or packed (one text and each cell's length: an import's 100,000 rows cost a
 * few milliseconds of structured clone instead of hundreds). Exactly one of the two. */
export type SheetCreateInput = Omit<SheetInput, 'rows'> & ({ rows: string[][]; packed?: never } | { packed: PackedRowsWire; rows?: never });
export type PackedRowsWire = { rows: number; width: number; cells: string; lengths: number[] };

export type Contract = {
  'app:info': Ch<void, AppInfo>;
  'profiles:list': Ch<void, ProfilesState>;
  /** `activate`: make it the active profile too (otherwise the active one stays). */
  'profiles:add': Ch<{ name: string; secretKey: string; baseUrl?: string; activate?: boolean }, ProfileView>;
  'profiles:rename': Ch<{ id: string; name: string }, ProfileView>;
  'profiles:replaceKey': Ch<{ id: string; secretKey: string }, ProfileView>;
  'profiles:delete': Ch<{ id: string; keepHistory?: boolean }, { id: string; runsDeleted: number }>;
  'profiles:select': Ch<{ id: string }, ProfilesState>;
  'profiles:check': Ch<{ id: string }, ProfileHealth>;
  'sheets:list': Ch<void, SheetSummary[]>;
  'sheets:get': Ch<{ id: string }, SheetDoc>;
  'sheets:create': Ch<SheetCreateInput, SheetSummary>;
  /** `rows` replaces every row; `patches` (what an edit changed, in order) is what autosave sends. `baseVersion`: the
   * version the window's copy is at; a save over a newer one (a teammate's) is refused with `sheet_changed`. */
  'sheets:save': Ch<
    { id: string; patches?: RowPatch[]; baseVersion?: number } & Partial<SheetInput>,
    { updatedAt: number; rowCount: number; version: number }
  >;
  'sheets:duplicate': Ch<{ id: string }, SheetSummary>;
  'sheets:delete': Ch<{ id: string }, { id: string }>;
  'sheets:restore': Ch<{ id: string }, SheetSummary>;
  'mappings:get': Ch<{ headers: string[] }, SheetColumn[] | null>;
  'mappings:save': Ch<{ headers: string[]; columns: SheetColumn[] }, null>;
  'orgs:list': Ch<{ profileId: string; query?: string }, OrganizationOption[]>;
  'orgs:roles': Ch<{ profileId: string; organizationId: string }, { roles: RoleOption[]; defaultRole: string | null }>;
  /** `existing`: what to do with rows whose email already has an account (absent: the sheet kind's default). */
  'runs:review': Ch<{ sheetId: string; profileId: string; resend?: HistoryKey[]; existing?: ExistingChoice }, RunReview>;
  'runs:dryRun': Ch<{ sheetId: string; profileId: string; existing?: ExistingChoice }, DryRunResult>;
  /** `onlyFit`: leave out the rows the pre-flight says Clerk will refuse (no seat left, unknown role), skipped with why. */
  'runs:start': Ch<
    { sheetId: string; profileId: string; confirmName?: string; resend?: HistoryKey[]; onlyFit?: boolean; existing?: ExistingChoice },
    Started
  >;
  'runs:pause': Ch<{ runId: string }, null>;
  'runs:resume': Ch<{ runId: string }, null>;
  'runs:cancel': Ch<{ runId: string }, null>;
  'runs:list': Ch<void, RunSummary[]>;
  /**
   * A page of the run's rows: `limit` (≤ 1,000) of the `state` filter's rows from `offset`, or the page holding row
   * `around` (a history hit). `changedSince`: instead, every row changed at or after that time (main's clock: the
   * `at` of an earlier answer), whatever the filter. Counts and the follow-up tally always cover the whole run.
   */
  'runs:get': Ch<
    { runId: string; changedSince?: number; state?: RowFilter; offset?: number; limit?: number; around?: number },
    RunRowsPage
  >;
  /** The follow-up tally of the selected rows (run row indexes). */
  'runs:tally': Ch<{ runId: string; rows: number[] }, FollowUpTally>;
  /** Accept links of the run (or of the selected rows), in row order. */
  'runs:links': Ch<{ runId: string; rows?: number[] }, string[]>;
  /** Indexes of the filter's rows, in order: “select all shown rows”. */
  'runs:rowIds': Ch<{ runId: string; state?: RowFilter }, number[]>;
  'history:search': Ch<{ email: string }, HistoryHit[]>;
  'runs:export': Ch<{ runId: string }, { fileName: string; csv: string }>;
  'history:sync': Ch<{ runId: string } | { profileId: string }, { runs: number; changed: number; syncedAt: number }>;
  'history:retention': Ch<void, { days: number | null }>;
  'history:setRetention': Ch<{ days: number | null }, { days: number | null; deleted: number }>;
  'runs:toSheet': Ch<{ runId: string; which: 'all' | 'failed' }, SheetSummary>;
  'runs:followUp': Ch<{ runId: string; which: FollowUp; confirmName?: string; rows?: number[] }, Started>;
  /** Did the metadata land (issue 24)? Checks the run's accepted rows in Clerk; progress as `metadata:progress`. */
  'metadata:check': Ch<{ runId: string }, CheckSummary>;
  /** The last check's tally, and whether a check of the run is going. */
  'metadata:summary': Ch<{ runId: string }, CheckSummary & { checking: boolean }>;
  /** What a repair would write (each key before → after), with the different keys `overwrite` ticks. */
  'metadata:review': Ch<RepairChoice, RepairReview>;
  /** Starts the repair follow-up (a run of its own); `confirmName` on production. */
  'metadata:repair': Ch<RepairChoice & { confirmName?: string }, Started>;
  /** The Sandbox only: its pending invitations of this run accepted, as people would (`lostInBulk`: as under #7956). */
  'sandbox:accept': Ch<{ runId: string; lostInBulk?: boolean }, { accepted: number }>;
  // The waitlist of a profile's instance (issue 23): its local copy, a sync, a page of it, a run's review and start.
  'waitlist:state': Ch<{ profileId: string }, WaitlistState>;
  'waitlist:sync': Ch<{ profileId: string }, WaitlistState>;
  'waitlist:page': Ch<{ profileId: string; filter: WaitlistFilter; offset: number; limit: number }, WaitlistPage>;
  'waitlist:review': Ch<WaitlistRunArgs, WaitlistReview>;
  'waitlist:start': Ch<WaitlistRunArgs & { confirmName?: string }, Started>;
  /** The selected pending entries as an application sheet with `template_slug: waitlist_invitation` (metadata). */
  'waitlist:toSheet': Ch<{ profileId: string; selection: WaitlistSelection }, SheetSummary>;
  /** The Invitations page (issue 25): a window of the local copy of every invitation of the profile's instance. */
  'inventory:list': Ch<InventoryQuery, InventoryPage>;
  /** Starts a sync of the copy (or joins the one going); answers at once, progress follows as events. */
  'inventory:sync': Ch<{ profileId: string }, InventoryProgress>;
  'inventory:progress': Ch<{ profileId: string }, InventoryProgress | null>;
  /** Invitation ids of every row the filter shows (“select all shown rows”). */
  'inventory:ids': Ch<{ profileId: string; filter: InventoryFilter }, string[]>;
  'inventory:export': Ch<{ profileId: string; ids?: string[]; filter?: InventoryFilter }, { fileName: string; csv: string }>;
  /** What a bulk action would do with the selection (one scope a run), before anything is sent. */
  'inventory:review': Ch<{ profileId: string; ids: string[]; action: BulkAction }, ActionReview>;
  /** Starts it as a run (production: the profile's name typed). */
  'inventory:act': Ch<{ profileId: string; ids: string[]; action: BulkAction; confirmName?: string }, Started>;
  /** Reminder rules of a profile's instance, each with its next due time. */
  'reminders:list': Ch<{ profileId: string }, ReminderRule[]>;
  /** `runId`: the rule applies to the people that run sent (absent: the whole instance). */
  'reminders:save': Ch<
    { id?: string; profileId: string; runId?: string; afterDays: number; maxReminders: number; enabled: boolean },
    ReminderRule[]
  >;
  'reminders:delete': Ch<{ profileId: string; id: string }, ReminderRule[]>;
  /** Production's one click: sends the reminders due now under the rule (the profile's name typed). */
  'reminders:apply': Ch<{ profileId: string; ruleId: string; confirmName: string }, { runIds: string[]; asked?: Asked }>;
  /** The Insights charts of the instance (or one run), from the local copy. */
  'inventory:insights': Ch<{ profileId: string; runId?: string; metadataKey?: string }, Insights>;
  /** The Workspace setting (issue 26): this computer or a team's PostgreSQL; never the database password. */
  'workspace:get': Ch<void, WorkspaceView>;
  /** Opens the team database with what was typed: its version and what it holds; nothing changed or kept. */
  'workspace:test': Ch<{ url: string; password?: string; tls: boolean }, WorkspaceTestResult>;
  /** Switches (the window has asked first), then the app restarts into the workspace chosen. */
  'workspace:switch': Ch<WorkspaceSwitchArgs, WorkspaceSwitchResult>;
  /** The team database does not answer: try again now instead of at the next retry. */
  'workspace:retry': Ch<void, { waitingSince: number | null }>;
  // Four eyes on production (issue 26): who this member is, the team's approvals, one's review, the decisions.
  'approvals:settings': Ch<void, ApprovalsSettings>;
  'approvals:list': Ch<void, ApprovalSummary[]>;
  /** The same review as the preparer's, from the snapshot, computed here with this computer's key. */
  'approvals:review': Ch<{ id: string }, ApprovalReview>;
  /** Approves and starts the run on this computer (the profile's name typed, as for any production send). */
  'approvals:approve': Ch<{ id: string; confirmName: string }, { runId: string }>;
  'approvals:reject': Ch<{ id: string; reason: string }, ApprovalSummary>;
  /** Who prepared it takes back the request while it waits. */
  'approvals:withdraw': Ch<{ id: string }, null>;
};

export type WaitlistRunArgs = {
  profileId: string;
  action: WaitlistAction;
  selection: WaitlistSelection;
  pace?: WaitlistPace;
  notify?: boolean;
};

export type Events = {
  'profiles:changed': ProfilesState;
  'sheets:changed': SheetSummary[];
  'runs:progress': RunProgress;
  /** The review's look-up of who already has an account, as it goes (sheets of more than 100 rows). */
  'runs:reviewProgress': ReviewProgress;
  /** A message from main for the window's banner (renderer reloaded after a crash, run finished, diagnostics copied). */
  'app:notice': { kind: 'info' | 'warning'; text: string };
  /** The Invitations page's sync, as it goes (a few reports a second, and each change of state). */
  'inventory:progress': InventoryProgress;
  /** A menu item the renderer carries out (navigation). */
  'app:menu': { command: 'go:sheets' | 'go:runs' | 'go:profiles' | 'go:invitations' | 'go:waitlist' | 'go:workspace' | 'go:approvals' };
  /** A metadata check as it goes (a check of thousands: 100 rows a call). */
  'metadata:progress': CheckProgress;
  /** A waitlist sync as it pages through Clerk (500 entries a request). */
  'waitlist:syncProgress': WaitlistSyncProgress;
  /** The team database in use stopped answering (runs wait, nothing is sent) or answers again. */
  'workspace:waiting': TeamWaiting;
  /** The team's latest approvals, when one was added or changed (here or on a teammate's computer). */
  'approvals:changed': ApprovalSummary[];
};

export type Channel = keyof Contract;
export type EventName = keyof Events;
export type Args<C extends Channel> = Contract[C]['args'];
export type Res<C extends Channel> = Contract[C]['result'];

/** Runtime list of channels (the preload and the test harness build the API from it). */
export const CHANNELS = [
  'app:info',
  'profiles:list',
  'profiles:add',
  'profiles:rename',
  'profiles:replaceKey',
  'profiles:delete',
  'profiles:select',
  'profiles:check',
  'sheets:list',
  'sheets:get',
  'sheets:create',
  'sheets:save',
  'sheets:duplicate',
  'sheets:delete',
  'sheets:restore',
  'mappings:get',
  'mappings:save',
  'orgs:list',
  'orgs:roles',
  'runs:review',
  'runs:dryRun',
  'runs:start',
  'runs:pause',
  'runs:resume',
  'runs:cancel',
  'runs:list',
  'runs:get',
  'runs:tally',
  'runs:links',
  'runs:rowIds',
  'history:search',
  'runs:export',
  'history:sync',
  'runs:followUp',
  'history:retention',
  'history:setRetention',
  'runs:toSheet',
  'metadata:check',
  'metadata:summary',
  'metadata:review',
  'metadata:repair',
  'sandbox:accept',
  'waitlist:state',
  'waitlist:sync',
  'waitlist:page',
  'waitlist:review',
  'waitlist:start',
  'waitlist:toSheet',
  'inventory:list',
  'inventory:sync',
  'inventory:progress',
  'inventory:ids',
  'inventory:export',
  'inventory:review',
  'inventory:act',
  'reminders:list',
  'reminders:save',
  'reminders:delete',
  'reminders:apply',
  'inventory:insights',
  'workspace:get',
  'workspace:test',
  'workspace:switch',
  'workspace:retry',
  'approvals:settings',
  'approvals:list',
  'approvals:review',
  'approvals:approve',
  'approvals:reject',
  'approvals:withdraw',
] as const satisfies readonly Channel[];
export const EVENTS = [
  'profiles:changed',
  'sheets:changed',
  'runs:progress',
  'runs:reviewProgress',
  'app:notice',
  'app:menu',
  'metadata:progress',
  'waitlist:syncProgress',
  'inventory:progress',
  'workspace:waiting',
  'approvals:changed',
] as const satisfies readonly EventName[];

// Compile-time proof that the runtime lists name every channel and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const channelsComplete: Missing<Channel, (typeof CHANNELS)[number]> extends never ? true : false = true;
const eventsComplete: Missing<EventName, (typeof EVENTS)[number]> extends never ? true : false = true;
void channelsComplete;
void eventsComplete;

/** `profiles:replaceKey` → `profilesReplaceKey`. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never;
export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [area, verb] = channel.split(':') as [string, string];
  return `${area}${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as MethodName<C>;
}

type Method<C extends Channel> = (...args: Args<C> extends void ? [] : [Args<C>]) => Promise<Result<Res<C>>>;

/** What `window.api` offers: one method per channel plus a typed event subscription. */
export type RendererApi = { [C in Channel as MethodName<C>]: Method<C> } & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

export type Invoke = (channel: Channel, args: unknown) => Promise<unknown>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** Builds `window.api` from a transport: ipcRenderer in the preload, a Playwright binding in tests. */
export function buildRendererApi(invoke: Invoke, subscribe: Subscribe): RendererApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) api[methodName(channel)] = (args?: unknown) => invoke(channel, args);
  api['on'] = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`Unknown event ${String(event)}`);
    return subscribe(event, listener);
  };
  return api as RendererApi;
}
