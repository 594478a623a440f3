/** Review, start and control send runs. The sheet is validated again here: main never trusts the renderer's rows. */
import { GENERAL_WINDOW_MS, HOUR, lanesFor, usedInWindow, type Endpoint, type Ledger } from '../../../shared/domain/send/limits.ts';
import { planRun } from '../../../shared/domain/send/plan.ts';
import {
  HISTORY_KEYS,
  type DryRunResult,
  type ExistingChoice,
  type ExistingUsers,
  type HistoryGroup,
  type HistoryKey,
  type RowFilter,
  type RunReview,
  type RunRowsPage,
  type RunRowView,
  type SkipGroup,
} from '../../../shared/domain/send/types.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import { csvLine, toCsv } from '../../../shared/domain/export/csv.ts';
import { outcomeOf } from '../../../shared/domain/send/outcome.ts';
import type { Args } from '../../../shared/ipc/contract.ts';
import { validateSheet, type RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { SheetDoc } from '../../../shared/domain/sheet/types.ts';
import { reviewWhat } from '../../../shared/domain/send/summary.ts';
import { predictedFailures } from '../../../shared/domain/send/preflight.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { SheetsService } from '../sheets/sheetsService.ts';
import type { RunEngine } from './engine.ts';
import { applyExisting, choiceFor, createExistingUsers, type Account } from './existingUsers.ts';
import { RUN_GONE } from './journalTypes.ts';
import { preflight } from './preflight.ts';
import type { Storage } from './engine/ports.ts';
import type { ChecksRepo } from '../metadata/checksRepo.ts';

/** Rows per page of a run's detail: a first screen and then some (rows are 33 px). */
export const RUN_PAGE = 200;

export type RunsDeps = {
  /** The workspace's runs: this computer's SQLite or the team's PostgreSQL. */
  store: Storage;
  engine: RunEngine;
  sheets: SheetsService;
  profiles: ProfilesService;
  now: () => number;
  newId: () => string;
  clientFor: (profileId: string) => Promise<import('../clerk/client.ts').ClerkClient>;
  windowMs?: number;
  /** The review's look-up of existing accounts as it goes (big sheets: 100 addresses a request). */
  onCheckProgress?: (p: { sheetId: string; profileId: string; checked: number; total: number }) => void;
  /** The metadata checks (issue 24): each row of a page says what its check found. */
  checks?: Pick<ChecksRepo, 'rows'>;
};

/** One row of a run's CSV export, in EXPORT_HEADER's order. */
export const exportLine = (
  r: Pick<RunRowView, 'sheetRow' | 'email' | 'state' | 'invitationStatus' | 'invitationId' | 'errorCode' | 'message' | 'url'>,
  req: Pick<RowRequest, 'publicMetadata' | 'privateMetadata'> | null | undefined,
) => [
  r.sheetRow + 1,
  r.email,
  outcomeOf(r),
  r.invitationStatus,
  r.invitationId,
  r.errorCode,
  r.message,
  req ? JSON.stringify(req.publicMetadata) : '',
  req ? JSON.stringify(req.privateMetadata) : '',
  r.url,
];

/** The columns of a run's CSV export. */
export const EXPORT_HEADER = [
  'sheet_row',
  'email',
  'outcome',
  'status',
  'invitation_id',
  'error_code',
  'message',
  'public_metadata',
  'private_metadata',
  'accept_url',
];

export function createRunsService(deps: RunsDeps) {
  const windowMs = deps.windowMs ?? HOUR;
  const { runs, history: past, rows: rowsOf, quota } = deps.store;
  const known = async (runId: string): Promise<void> => {
    if (!(await runs.get(runId))) throw new Failure('run_not_found', RUN_GONE);
  };

  const accounts = createExistingUsers({ now: deps.now });

  /** Who of these rows already has an account (kept a while: Send does not ask again); an error leaves them as rows. */
  async function existingOf(profileId: string, sheetId: string, instanceId: string, rows: { email: string; request: unknown }[]) {
    const emails = rows.flatMap((r) => (r.request ? [r.email.toLowerCase()] : []));
    try {
      const client = await deps.clientFor(profileId);
      const progress = (checked: number, total: number) => deps.onCheckProgress?.({ sheetId, profileId, checked, total });
      return { found: await accounts.lookUp(client, instanceId, emails, progress), checked: emails.length, error: null };
    } catch (e) {
      return { found: new Map<string, Account>(), checked: 0, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** `sheet`: a saved sheet's id, or a document as it was reviewed (a four-eyes approval's snapshot). */
  async function prepare(sheet: string | SheetDoc, profileId: string, resend: Set<HistoryKey> = new Set(), existingAsked?: ExistingChoice) {
    const doc = typeof sheet === 'string' ? await deps.sheets.get(sheet) : sheet;
    const sheetId = doc.id;
    const { profile } = await deps.profiles.secretFor(profileId);
    const v = validateSheet(doc);
    const groups = new Map<string, number[]>();
    const rows: {
      sheetRow: number;
      email: string;
      request: import('../../../shared/domain/sheet/validate.ts').RowRequest | null;
      skipReason?: string;
    }[] = [];
    v.rows.forEach((o, i) => {
      const cells = doc.rows[i] ?? [];
      if (o.ok) return rows.push({ sheetRow: i, email: o.request.emailAddress, request: o.request });
      if (o.problems.length === 0) return; // blank row: not part of the run
      const reason = o.duplicateOf !== undefined ? `Duplicate of row ${o.duplicateOf + 1}` : (o.problems[0]?.message ?? 'Invalid');
      const key = o.duplicateOf !== undefined ? 'Duplicate of an earlier row' : reason;
      groups.set(key, [...(groups.get(key) ?? []), i]);
      const emailCol = doc.columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'email');
      rows.push({ sheetRow: i, email: (cells[emailCol] ?? '').trim(), request: null, skipReason: reason });
    });
    const skipped: SkipGroup[] = [...groups].map(([reason, r]) => ({ reason, rows: r }));
    // What this instance already sent: skipped by default; a group the user chose goes again with ignore_existing.
    const org = doc.settings.kind === 'org' ? doc.settings.organizationId || null : null;
    const keys = rows.flatMap((r) => (r.request ? [emailKey(r.email)] : []));
    const known = await past.historyOf(profile.instanceId, org, keys);
    const history = new Map<HistoryKey, HistoryGroup>();
    let toSend = 0;
    for (const r of rows) {
      if (!r.request) continue;
      const h = known.get(emailKey(r.email));
      const key: HistoryKey | null = h && (h.status === 'pending' || h.status === 'accepted' || h.status === 'unknown') ? h.status : null;
      if (key && h) {
        const g = history.get(key) ?? { key, rows: [], lastAt: 0, resend: resend.has(key) };
        g.rows.push(r.sheetRow);
        g.lastAt = Math.max(g.lastAt, h.at);
        history.set(key, g);
        if (g.resend) r.request = { ...r.request, ignoreExisting: true };
        else {
          const day = new Date(h.at).toISOString().slice(0, 10);
          r.skipReason =
            key === 'unknown'
              ? `An earlier run (${day}) could not tell whether Clerk created it: check in Clerk`
              : `Already invited on ${day} (${key}): not sent again`;
          r.request = null;
          continue;
        }
      }
      toSend++;
    }
    // Who already has an account: skipped, invited anyway, or added as members, as chosen.
    const choice = choiceFor(doc.settings.kind, existingAsked);
    const check =
      toSend > 0 ? await existingOf(profile.id, sheetId, profile.instanceId, rows) : { found: new Map(), checked: 0, error: null };
    const existing: ExistingUsers = applyExisting(doc.settings.kind, rows, check.found, choice, check.checked, check.error);
    toSend = rows.filter((r) => r.request !== null).length;
    const members = rows.filter((r) => r.request?.memberUserId).length;
    return { doc, profile, rows, skipped, toSend, members, existing, history: HISTORY_KEYS.flatMap((k) => history.get(k) ?? []) };
  }

  /** Dev email cap (counted here), org capacity and pending org invitations (asked of Clerk). */
  const check = (
    profile: { id: string; environment: 'development' | 'production'; instanceId: string },
    doc: { settings: { kind: 'app' | 'org'; organizationId: string } },
    rows: Parameters<typeof preflight>[2]['rows'],
  ) =>
    preflight(deps.store.journal, () => deps.clientFor(profile.id), {
      environment: profile.environment,
      instanceId: profile.instanceId,
      organizationId: doc.settings.kind === 'org' && doc.settings.organizationId ? doc.settings.organizationId : null,
      rows,
      now: deps.now(),
    });

  return {
    async review(
      sheet: string | SheetDoc,
      profileId: string,
      resend: HistoryKey[] = [],
      existingChoice?: ExistingChoice,
    ): Promise<RunReview> {
      const { doc, profile, toSend, members, existing, skipped, rows, history } = await prepare(
        sheet,
        profileId,
        new Set(resend),
        existingChoice,
      );
      const t = deps.now();
      const kind = doc.settings.kind;
      const ledgers: Partial<Record<Endpoint, Ledger>> = Object.fromEntries(
        await Promise.all(lanesFor(kind).map(async (l) => [l.endpoint, await quota.ledger(profile.instanceId, l.endpoint, windowMs, t)])),
      );
      if (members > 0) ledgers.general = await quota.ledger(profile.instanceId, 'general', GENERAL_WINDOW_MS, t);
      return {
        profileId: profile.id,
        profileName: profile.name,
        environment: profile.environment,
        isSandbox: profile.isSandbox,
        kind,
        organizationName: kind === 'org' ? doc.settings.organizationName || doc.settings.organizationId : null,
        toSend,
        skipped,
        plan: planRun({ kind, rows: toSend - members, members, ledgers, windowMs, now: t }),
        spent: lanesFor(kind).map((l) => ({
          endpoint: l.endpoint,
          used: usedInWindow(ledgers[l.endpoint]!, windowMs, t),
          limit: l.requests,
        })),
        windowMs,
        busyWith: deps.engine.activeFor(profile.id),
        preflight: await check(profile, doc, rows),
        history,
        existing,
        members,
        // The rows that will go, with the history choices applied (a resent group carries ignore_existing).
        // …the invitations only: rows added as members send no invitation (their group says what they get).
        what: reviewWhat(
          rows.flatMap((r) => (r.request && !r.request.memberUserId ? [{ sheetRow: r.sheetRow, request: r.request }] : [])),
          kind,
        ),
      };
    },

    async start(
      input: ({ sheetId: string } | { doc: SheetDoc }) & {
        profileId: string;
        confirmName?: string;
        resend?: HistoryKey[];
        onlyFit?: boolean;
        existing?: ExistingChoice;
        /** The run's id when the caller fixed it (an approval's: one approval can never start two runs). */
        runId?: string;
      },
    ): Promise<{ runId: string }> {
      const prepared = await prepare(
        'doc' in input ? input.doc : input.sheetId,
        input.profileId,
        new Set(input.resend ?? []),
        input.existing,
      );
      const { doc, profile, rows, history, existing } = prepared;
      let toSend = prepared.toSend;
      if (input.onlyFit && toSend > 0) {
        // Asked again now (the organization may have changed since the review): what Clerk would refuse stays unsent.
        const refused = predictedFailures(await check(profile, doc, rows));
        for (const r of rows) {
          const why = r.request ? refused.get(r.sheetRow) : undefined;
          if (why === undefined) continue;
          r.request = null;
          r.skipReason = why;
          toSend--;
        }
      }
      if (toSend === 0)
        throw new Failure(
          'nothing_to_send',
          existing.rows.length && existing.choice === 'skip'
            ? 'Every ready row of this sheet already has an account or was invited before: choose “Invite anyway” to invite them.'
            : history.length
              ? 'Every ready row of this sheet was already invited from this instance: choose “Send anyway” for a group to invite them again.'
              : 'No row of this sheet is ready to send: fix the problems first.',
        );
      if (profile.environment === 'production' && !profile.isSandbox && input.confirmName !== profile.name) {
        throw new Failure('confirmation_required', `Type the profile name “${profile.name}” to send to production.`, {
          field: 'confirmName',
        });
      }
      const runId = input.runId ?? deps.newId();
      const s = doc.settings;
      await deps.engine.launch({
        id: runId,
        profileId: profile.id,
        profileName: profile.name,
        environment: profile.environment,
        instanceId: profile.instanceId,
        kind: s.kind,
        op: 'create',
        organizationId: s.kind === 'org' ? s.organizationId : null,
        organizationName: s.kind === 'org' ? s.organizationName || null : null,
        sheetId: doc.id,
        sheetName: doc.name,
        options: { settings: s, columns: doc.columns },
        windowMs,
        createdAt: deps.now(),
        rows,
      });
      return { runId };
    },
    /**
     * Dry run: which rows already have a pending invitation in this instance (or organization)? Pages through
     * the list endpoint (general rate limit only); creates nothing.
     */
    async dryRun(sheetId: string, profileId: string, existingChoice?: ExistingChoice): Promise<DryRunResult> {
      const { doc, rows, profile, existing } = await prepare(sheetId, profileId, new Set(), existingChoice);
      const client = await deps.clientFor(profileId);
      const pending = new Map<string, string>();
      const org = doc.settings.kind === 'org' ? doc.settings.organizationId : null;
      for (let offset = 0; ; offset += 500) {
        const page = org
          ? await client.listOrganizationInvitations(org, { status: 'pending', limit: 500, offset })
          : await client.listInvitations({ status: 'pending', limit: 500, offset });
        for (const inv of page.data) pending.set(emailKey(inv.emailAddress), inv.id);
        if (page.data.length < 500 || offset + 500 >= page.totalCount) break;
      }
      const toSend = rows.filter((r) => r.request !== null);
      const conflicts = toSend.flatMap((r) => {
        const id = pending.get(emailKey(r.email));
        return id && !r.request?.ignoreExisting ? [{ row: r.sheetRow, email: r.email, invitationId: id }] : [];
      });
      return { checked: toSend.length, pendingInClerk: pending.size, conflicts, preflight: await check(profile, doc, rows), existing };
    },
    pause: (runId: string) => deps.engine.pause(runId),
    async resume(runId: string) {
      const run = await runs.get(runId);
      if (!run) throw new Failure('run_not_found', RUN_GONE);
      if (run.state === 'finished' || run.state === 'cancelled')
        throw new Failure('run_over', `This run is ${run.state}; start a new one instead.`);
      await deps.engine.start(runId);
    },
    cancel: (runId: string) => deps.engine.cancel(runId),
    list: () => past.list(),
    search: (email: string) => past.searchEmail(email),
    options: (runId: string) => past.optionsOf(runId),
    /** One line per invitation: email, outcome, status, id, error code, message, metadata (CSV, UTF-8 with BOM). */
    async exportCsv(runId: string): Promise<{ fileName: string; csv: string }> {
      const run = await runs.get(runId);
      if (!run) throw new Failure('run_not_found', RUN_GONE);
      // Formula-looking cells (an email typed as =HYPERLINK(…) in a skipped row) are neutralised: see toCsv.
      // Read and written a page at a time, main free in between: the same text as toCsv of every line at once.
      const parts = [toCsv([EXPORT_HEADER])];
      for await (const page of rowsOf.pages(runId)) {
        for (const r of page) {
          parts.push(csvLine(exportLine(r, r.request)));
        }
      }
      const stamp = new Date(run.createdAt).toISOString().slice(0, 16).replace(/[:T]/g, '-');
      return { fileName: `${run.sheetName.replace(/[\\/:*?"<>|]+/g, '_')} ${stamp}.csv`, csv: parts.join('') };
    },
    /**
     * A page of the run's rows for its detail (see the `runs:get` contract), with the run's progress, per-outcome
     * counts and follow-up tally counted in SQL: the window never needs every row to show or act on the run.
     */
    async get(runId: string, q: Omit<Args<'runs:get'>, 'runId'> = {}): Promise<RunRowsPage> {
      const at = deps.now();
      const progress = await deps.engine.progress(runId);
      if (!progress) throw new Failure('run_not_found', RUN_GONE);
      const limit = q.limit ?? RUN_PAGE;
      const total = await rowsOf.count(runId, q.state);
      let offset = q.offset ?? 0;
      if (q.around !== undefined) {
        const pos = await rowsOf.positionOf(runId, q.around, q.state);
        if (pos !== null) offset = pos - (pos % limit);
      }
      const read =
        q.changedSince !== undefined
          ? await rowsOf.changed(runId, q.changedSince)
          : await rowsOf.page(runId, { offset, limit, ...(q.state ? { state: q.state } : {}) });
      const checked = new Map(
        (
          deps.checks?.rows(
            runId,
            read.map((r) => r.idx),
          ) ?? []
        ).map((c) => [c.idx, c]),
      );
      const rows = read.map((r) => {
        const c = checked.get(r.idx);
        return c ? { ...r, metadata: { status: c.status, label: c.label } } : r;
      });
      return {
        progress,
        rows,
        offset: q.changedSince !== undefined ? 0 : offset,
        total,
        tally: await rowsOf.tally(runId),
        options: await past.optionsOf(runId),
        at,
      };
    },
    // An unknown run is an error, not an empty answer: the window would show a deleted run as one with no rows.
    tally: async (runId: string, rows: number[]) => (await known(runId), await rowsOf.tally(runId, rows)),
    links: async (runId: string, rows?: number[]) => (await known(runId), await rowsOf.links(runId, rows)),
    rowIds: async (runId: string, state?: RowFilter) => (await known(runId), await rowsOf.ids(runId, state)),
  };
}
export type RunsService = ReturnType<typeof createRunsService>;
