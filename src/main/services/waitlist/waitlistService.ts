/**
 * The waitlist of a profile's instance: synced from Clerk (500 a page, paced on the general limit, with progress),
 * read from the local database (opens at once), and worked through as runs: invite, reject, add. A selection is
 * re-read here from the database (never trusted from the window); entries not pending are skipped with their status;
 * addresses are deduplicated first (Clerk refuses a bulk call with the same address twice).
 */
import { checkEmail, emailKey } from '../../../shared/domain/email.ts';
import { GENERAL_LANE, GENERAL_WINDOW_MS, HOUR, isWaitlistOp, type WaitlistOp } from '../../../shared/domain/send/limits.ts';
import type { RowRequest, WaitlistPace } from '../../../shared/domain/sheet/validate.ts';
import { planWaitlist } from '../../../shared/domain/waitlist/plan.ts';
import type {
  WaitlistAction,
  WaitlistEntryView,
  WaitlistFilter,
  WaitlistPage,
  WaitlistReview,
  WaitlistSelection,
  WaitlistSkip,
  WaitlistState,
  WaitlistStatus,
  WaitlistSyncProgress,
} from '../../../shared/domain/waitlist/types.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { RunEngine } from '../runs/engine.ts';
import type { NewRun } from '../runs/journalTypes.ts';
import type { QuotaPort, Storage } from '../runs/engine/ports.ts';
import { pacedReads } from '../runs/pacedReads.ts';
import type { SheetsService } from '../sheets/sheetsService.ts';
import { defaultSettings } from '../../../shared/domain/sheet/types.ts';
import type { StoredEntry, WaitlistRepo } from './waitlistRepo.ts';
import { GENERAL_NOTE, PACE_NOTE, waitlistPlanLane, waitlistRunName } from '../../../shared/domain/waitlist/runs.ts';

export const SYNC_PAGE = 500;

export type WaitlistDeps = {
  repo: WaitlistRepo;
  store: Pick<Storage, 'runs' | 'history'>;
  /** The instance's windows: the workspace's (a team shares them). */
  quota: Pick<QuotaPort, 'ledger' | 'take' | 'block'>;
  engine: RunEngine;
  profiles: ProfilesService;
  sheets: SheetsService;
  clientFor: (profileId: string) => Promise<ClerkClient>;
  now: () => number;
  newId: () => string;
  sleep?: (ms: number) => Promise<void>;
  onSyncProgress?: (p: WaitlistSyncProgress) => void;
  /** Clerk's windows (compressed in tests): the hour of the invitation budget, and the general limit's 10 s. */
  hourMs?: number;
  generalWindowMs?: number;
};

type Row = NewRun['rows'][number];

const ORDER = { pending: 0, invited: 1, completed: 2, rejected: 3 } as const;

export function createWaitlistService(deps: WaitlistDeps) {
  const hourMs = deps.hourMs ?? HOUR;
  const generalMs = deps.generalWindowMs ?? GENERAL_WINDOW_MS;
  const syncing = new Map<string, Promise<WaitlistState>>();

  const instanceOf = async (profileId: string) => (await deps.profiles.secretFor(profileId)).profile;

  /** Each page on the instance's general limit (shared with runs and teammates), a 429 obeyed. */
  const reads = pacedReads({
    quota: deps.quota,
    now: deps.now,
    limit: GENERAL_LANE.requests,
    windowMs: generalMs,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });

  async function syncNow(profileId: string): Promise<WaitlistState> {
    const profile = await instanceOf(profileId);
    const client = await deps.clientFor(profileId);
    const all: StoredEntry[] = [];
    const started = deps.now();
    let total: number | null = null;
    const report = (done: boolean, error?: string) =>
      deps.onSyncProgress?.({ profileId, fetched: all.length, total, done, ...(error ? { error } : {}) });
    try {
      for (let offset = 0; ;) {
        const page = await reads(profile.instanceId, () =>
          client.listWaitlistEntries({ limit: SYNC_PAGE, offset, orderBy: '+created_at' }),
        );
        total = page.totalCount;
        for (const e of page.data)
          all.push({
            id: e.id,
            email: e.emailAddress,
            status: e.status,
            isLocked: e.isLocked,
            invitationId: e.invitation?.id ?? null,
            createdAt: e.createdAt,
            updatedAt: e.updatedAt,
          });
        report(false);
        if (page.data.length < SYNC_PAGE || offset + SYNC_PAGE >= page.totalCount) break;
        offset += SYNC_PAGE;
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      report(true, why);
      throw new Failure('sync_failed', `The waitlist could not be synced (${why}); the last synced copy is shown. Try Sync again.`);
    }
    // An entry added while paging may be listed twice (offsets shift): one row per id.
    deps.repo.replaceAll(profile.instanceId, [...new Map(all.map((e) => [e.id, e])).values()], started);
    report(true);
    return state(profileId);
  }

  async function state(profileId: string): Promise<WaitlistState> {
    const p = await instanceOf(profileId);
    return { profileId, counts: deps.repo.counts(p.instanceId), lastSync: deps.repo.lastSync(p.instanceId) };
  }

  /** The addresses of a pasted list or a sheet's email column: valid ones, first of each, and the invalid ones named. */
  async function addressesOf(
    sel: Extract<WaitlistSelection, { kind: 'emails' | 'sheet' }>,
  ): Promise<{ emails: string[]; invalid: string[] }> {
    let raw: string[];
    if (sel.kind === 'emails') raw = sel.emails;
    else {
      const doc = await deps.sheets.get(sel.sheetId);
      const col = doc.columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'email');
      if (col < 0) throw new Failure('no_email_column', `The sheet “${doc.name}” has no Email column: map one first.`);
      raw = doc.rows.map((r) => r[col] ?? '');
    }
    const seen = new Set<string>();
    const emails: string[] = [];
    const invalid: string[] = [];
    for (const cell of raw) {
      if (cell.trim() === '') continue;
      const c = checkEmail(cell);
      if (!c.ok) invalid.push(cell.trim());
      else if (!seen.has(emailKey(c.email))) {
        seen.add(emailKey(c.email));
        emails.push(c.email);
      }
    }
    return { emails, invalid };
  }

  const skip = (groups: Map<string, string[]>, reason: string, email: string) => groups.set(reason, [...(groups.get(reason) ?? []), email]);

  /** The run's rows, from the database: who goes, who is skipped and why (never the window's word). */
  async function rowsFor(instanceId: string, action: WaitlistAction, sel: WaitlistSelection, pace: WaitlistPace, notify: boolean) {
    const groups = new Map<string, string[]>();
    const rows: Row[] = [];
    const base = { publicMetadata: {}, privateMetadata: {}, ignoreExisting: false };
    if (action === 'add') {
      if (sel.kind !== 'emails' && sel.kind !== 'sheet')
        throw new Failure('bad_selection', 'Add to the waitlist takes a pasted list or a sheet.');
      const { emails, invalid } = await addressesOf(sel);
      for (const bad of invalid) skip(groups, 'Not a valid email address', bad);
      const known = deps.repo.byEmailKeys(instanceId, emails.map(emailKey));
      for (const email of emails) {
        const e = known.get(emailKey(email));
        if (e) skip(groups, `Already on the waitlist (${e.status})`, email);
        else rows.push({ sheetRow: rows.length, email, request: { ...base, emailAddress: email, notify } });
      }
    } else {
      let entries: WaitlistEntryView[];
      if (sel.kind === 'filter') entries = deps.repo.select(instanceId, sel.filter);
      else if (sel.kind === 'ids') entries = deps.repo.byIds(instanceId, [...new Set(sel.ids)]);
      else {
        const { emails, invalid } = await addressesOf(sel);
        for (const bad of invalid) skip(groups, 'Not a valid email address', bad);
        const found = deps.repo.byEmailKeys(instanceId, emails.map(emailKey));
        entries = [];
        for (const email of emails) {
          const e = found.get(emailKey(email));
          if (e) entries.push(e);
          else skip(groups, 'Not on the waitlist (at the last sync)', email);
        }
      }
      entries.sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.createdAt - b.createdAt);
      for (const e of entries) {
        if (e.status !== 'pending') {
          skip(groups, `Already ${e.status}`, e.email);
          continue;
        }
        const request: RowRequest = { ...base, emailAddress: e.email, notify: true, waitlistEntryId: e.id };
        if (action === 'invite') request.waitlistPace = pace;
        rows.push({ sheetRow: rows.length, email: e.email, request });
      }
    }
    const skipped: WaitlistSkip[] = [...groups].map(([reason, list]) => ({ reason, count: list.length, sample: list.slice(0, 5) }));
    return { rows, skipped, groups };
  }

  async function planOf(instanceId: string, action: WaitlistAction, pace: WaitlistPace, rows: number) {
    const lane = waitlistPlanLane(action, pace);
    const windowMs = lane.endpoint === 'general' ? generalMs : hourMs;
    const t = deps.now();
    return planWaitlist({
      endpoint: lane.endpoint,
      rows,
      itemsPerCall: lane.itemsPerCall,
      limit: lane.requests,
      windowMs,
      ledger: await deps.quota.ledger(instanceId, lane.endpoint, windowMs, t),
      now: t,
    });
  }

  /**
   * A waitlist run ended: what it did goes into the local copy at once (the window shows it without a sync); the
   * next sync reads Clerk's own word.
   */
  async function applyRun(runId: string): Promise<void> {
    const run = await deps.store.runs.get(runId);
    if (!run || !isWaitlistOp(run.op)) return;
    const requests = await deps.store.history.requests(runId);
    const sent = (await deps.store.history.rows(runId)).filter((r) => r.state === 'sent' && r.invitationId);
    const t = deps.now();
    if (run.op === 'waitlist_add')
      return deps.repo.add(
        run.instanceId,
        sent.map((r) => ({
          id: r.invitationId!,
          email: r.email,
          status: (r.invitationStatus ?? 'pending') as WaitlistStatus,
          isLocked: false,
          invitationId: null,
          createdAt: t,
          updatedAt: t,
        })),
        t,
      );
    const status: WaitlistStatus = run.op === 'waitlist_invite' ? 'invited' : 'rejected';
    deps.repo.setStatus(
      run.instanceId,
      sent.flatMap((r) => {
        const id = requests.get(r.idx)?.waitlistEntryId;
        return id ? [{ id, status, ...(run.op === 'waitlist_invite' ? { invitationId: r.invitationId } : {}) }] : [];
      }),
      t,
    );
  }

  return {
    state,
    applyRun,
    /**
     * “Invite with metadata, redirect and expiry”: `…/invite` takes none of them, so the selected pending entries
     * become an application sheet sending `POST /v1/invitations` with `template_slug: waitlist_invitation`, with every
     * sheet feature (metadata editors, review). After its run the waitlist is synced (Clerk may or may not move the
     * entries to invited: unknown).
     */
    async toSheet(profileId: string, selection: WaitlistSelection) {
      const profile = await instanceOf(profileId);
      const { rows } = await rowsFor(profile.instanceId, 'invite', selection, 'general', true);
      if (rows.length === 0) throw new Failure('nothing_to_send', 'No pending entry in this selection: nothing to invite.');
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      return deps.sheets.create({
        name: `Waitlist ${profile.name} ${day} (${rows.length.toLocaleString('en')})`,
        settings: { ...defaultSettings('app'), templateSlug: 'waitlist_invitation' },
        columns: [{ id: 'email', header: 'Email', target: { kind: 'field', field: 'email' } }],
        rows: rows.map((r) => [r.email]),
      });
    },
    /** Syncs the whole waitlist; a second call while one runs joins it. */
    sync(profileId: string): Promise<WaitlistState> {
      const running = syncing.get(profileId);
      if (running) return running;
      const p = syncNow(profileId).finally(() => syncing.delete(profileId));
      syncing.set(profileId, p);
      return p;
    },
    async page(profileId: string, filter: WaitlistFilter, offset: number, limit: number): Promise<WaitlistPage> {
      const p = await instanceOf(profileId);
      return { ...deps.repo.page(p.instanceId, filter, offset, limit), offset, counts: deps.repo.counts(p.instanceId, filter) };
    },
    async review(
      profileId: string,
      action: WaitlistAction,
      selection: WaitlistSelection,
      pace: WaitlistPace = 'invitations',
      notify = true,
    ): Promise<WaitlistReview> {
      const profile = await instanceOf(profileId);
      const { rows, skipped } = await rowsFor(profile.instanceId, action, selection, pace, notify);
      return {
        action,
        profileId,
        profileName: profile.name,
        environment: profile.environment,
        isSandbox: profile.isSandbox,
        toSend: rows.length,
        skipped,
        pace: action === 'invite' ? pace : null,
        paceNote: action === 'invite' ? PACE_NOTE[pace] : GENERAL_NOTE,
        plan: await planOf(profile.instanceId, action, pace, rows.length),
        notify: action === 'add' ? notify : null,
        lastSync: deps.repo.lastSync(profile.instanceId),
        busyWith: deps.engine.activeFor(profile.id),
      };
    },
    async start(input: {
      profileId: string;
      action: WaitlistAction;
      selection: WaitlistSelection;
      pace?: WaitlistPace;
      notify?: boolean;
      confirmName?: string;
    }): Promise<{ runId: string }> {
      const profile = await instanceOf(input.profileId);
      const pace = input.pace ?? 'invitations';
      const { rows, groups } = await rowsFor(profile.instanceId, input.action, input.selection, pace, input.notify ?? true);
      if (rows.length === 0)
        throw new Failure(
          'nothing_to_send',
          input.action === 'add'
            ? 'Every address is already on the waitlist (or not valid): nothing to add.'
            : `No pending entry in this selection: nothing to ${input.action}.`,
        );
      if (profile.environment === 'production' && !profile.isSandbox && input.confirmName !== profile.name)
        throw new Failure('confirmation_required', `Type the profile name “${profile.name}” to ${input.action} on production.`, {
          field: 'confirmName',
        });
      const skippedRows: Row[] = [...groups].flatMap(([reason, list]) =>
        list.map((email) => ({ sheetRow: 0, email, request: null, skipReason: reason })),
      );
      const all = [...rows, ...skippedRows].map((r, i) => ({ ...r, sheetRow: i }));
      const op: WaitlistOp = `waitlist_${input.action}`;
      const runId = deps.newId();
      await deps.engine.launch({
        id: runId,
        profileId: profile.id,
        profileName: profile.name,
        environment: profile.environment,
        instanceId: profile.instanceId,
        kind: 'app',
        op,
        organizationId: null,
        organizationName: null,
        sheetId: input.selection.kind === 'sheet' ? input.selection.sheetId : null,
        sheetName: waitlistRunName(input.action, rows.length, input.selection),
        options: { settings: null, columns: [] },
        windowMs: input.action === 'invite' && pace === 'invitations' ? hourMs : generalMs,
        createdAt: deps.now(),
        rows: all,
      });
      return { runId };
    },
  };
}
export type WaitlistService = ReturnType<typeof createWaitlistService>;
