/** Follow-ups on past runs: status sync, retry failed rows, resend expired or revoked ones. */
import { GENERAL_LANE, GENERAL_WINDOW_MS, isWaitlistOp } from '../../../shared/domain/send/limits.ts';
import { defaultSettings, type SheetColumn, type SheetSettings } from '../../../shared/domain/sheet/types.ts';
import type { FollowUp, RunSummary } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import type { ClerkClient } from '../clerk/client.ts';
import { Failure } from '../failure.ts';
import { pacedReads } from '../runs/pacedReads.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { RunEngine } from '../runs/engine.ts';
import type { Storage } from '../runs/engine/ports.ts';
import { followUpOf, OUTCOME_UNKNOWN, RUN_GONE, type NewRun } from '../runs/journalTypes.ts';
import type { TakenBy } from '../runs/takenLater.ts';
import { isMemberRow, outcomeOf } from '../../../shared/domain/send/outcome.ts';
import { fetchStatuses } from './statusSync.ts';

export type HistoryDeps = {
  settings: { get(key: string): string | null; set(key: string, value: string | null): void };
  /** The history is a team workspace's: a member never deletes runs (teammates' among them). */
  team?: boolean;
  /** The workspace's runs: this computer's SQLite or the team's PostgreSQL. */
  store: Pick<Storage, 'runs' | 'history' | 'quota'>;
  /** The status sync's share of an instance's general limit (compressed in tests); half of the app's by default. */
  reads?: { limit: number; windowMs: number };
  engine: RunEngine;
  profiles: ProfilesService;
  clientFor: (profileId: string) => Promise<ClerkClient>;
  now: () => number;
  newId: () => string;
};

const LABEL: Record<FollowUp, string> = {
  failed: 'retry failed',
  unsent: 'send the rest',
  expired_or_revoked: 'resend expired and revoked',
  revoke_pending: 'revoke pending',
};

/** A follow-up whose every row another run took: says which run, and whether it is still going. */
function alreadyTaken(which: FollowUp, n: number, by: TakenBy[]): Failure {
  const names = [...new Set(by.map((t) => `“${t.sheetName}”`))];
  const runs = `${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`;
  const [rows, were, are] = n === 1 ? ['its 1 row', 'was', 'is'] : [`all ${n} rows it would take`, 'were', 'are'];
  const why =
    which === 'revoke_pending'
      ? `${rows} ${were} revoked, or ${are} being revoked, by another run (${runs})`
      : by.some((t) => t.sending)
        ? `${rows} ${are} being sent, or ${were} sent again, by another run (${runs}): nobody is invited twice`
        : `${rows} ${were} sent again by a later run (${runs}): nobody is invited twice`;
  return new Failure('nothing_to_send', `Nothing to ${LABEL[which]}: ${why}.`, {
    detail: { runIds: [...new Set(by.map((t) => t.runId))] },
  });
}

/** Retention on a team workspace: kept forever, and a member's choice refused with why. */
export const teamKeepsHistory = {
  get: () => null,
  set: () => {
    throw new Failure(
      'team_history',
      'On a team workspace the history is the team’s: it is kept, because a retention set on one computer would delete your teammates’ runs.',
    );
  },
};

export function createHistoryService(deps: HistoryDeps) {
  const { runs: runsOf, history: past } = deps.store;
  /** Each list request in its turn on the instance's general limit, beside runs, checks and teammates (0 × 429). */
  const reads = pacedReads({
    quota: deps.store.quota,
    now: deps.now,
    limit: deps.reads?.limit ?? GENERAL_LANE.requests / 2,
    ...(deps.reads ? { windowMs: deps.reads.windowMs } : {}),
  });
  const mustGet = async (runId: string): Promise<RunSummary> => {
    const run = await runsOf.get(runId);
    if (!run) throw new Failure('run_not_found', RUN_GONE);
    return run;
  };

  /** Refreshes statuses of the given runs (all of one profile), paging each scope once back to the oldest run. */
  async function syncRuns(runs: RunSummary[]): Promise<{ runs: number; changed: number; syncedAt: number }> {
    let changed = 0;
    const t = deps.now();
    const byScope = new Map<string, RunSummary[]>();
    for (const r of runs) {
      const key = r.kind === 'app' ? 'app' : `org:${r.organizationId}`;
      byScope.set(key, [...(byScope.get(key) ?? []), r]);
    }
    for (const [key, group] of byScope) {
      const client = await deps.clientFor(group[0]!.profileId);
      const since = Math.min(...group.map((r) => r.createdAt));
      const instanceId = group[0]!.instanceId;
      const scope = key === 'app' ? ({ kind: 'app' } as const) : ({ kind: 'org', organizationId: key.slice(4) } as const);
      const statuses = await fetchStatuses(client, scope, since, (call) => reads(instanceId, call));
      for (const r of group) changed += await past.applyStatuses(r.id, statuses, t);
    }
    return { runs: runs.length, changed, syncedAt: t };
  }

  const RETENTION = 'retentionDays';
  const retention = (): number | null => {
    const v = deps.settings.get(RETENTION);
    return v === null ? null : Number(v);
  };
  const applyRetention = async (): Promise<number> => {
    const days = retention();
    return days === null ? 0 : past.purge({ before: deps.now() - days * 86_400_000 });
  };

  /** Whether deleting a profile may take its runs along: refused on a team, before anything is deleted. */
  function mayForget(): void {
    if (deps.team)
      throw new Failure(
        'team_history',
        'On a team workspace the history is the team’s: a profile’s runs (your teammates’ among them) stay when the profile is deleted. Delete it keeping its history.',
      );
  }

  return {
    retention,
    /** Keep runs N days (null: forever); older finished runs are deleted now and at every start. */
    async setRetention(days: number | null): Promise<{ days: number | null; deleted: number }> {
      deps.settings.set(RETENTION, days === null ? null : String(days));
      return { days, deleted: await applyRetention() };
    },
    applyRetention,
    mayForget,
    /** Deleting a profile: its finished runs go too, unless the user keeps them. */
    async forgetProfile(profileId: string): Promise<number> {
      mayForget();
      return past.purge({ profileId });
    },

    /** A new sheet from a run's rows, with the run's settings: to fix and send again, or to keep as a list. */
    async toSheet(
      runId: string,
      which: 'all' | 'failed',
    ): Promise<{ name: string; settings: SheetSettings; columns: SheetColumn[]; rows: string[][] }> {
      const run = await mustGet(runId);
      const options = await past.optionsOf(runId);
      // Each request already carries the template metadata: the new sheet starts without a template.
      const settings: SheetSettings = {
        ...defaultSettings(run.kind),
        ...(options?.settings ?? {}),
        kind: run.kind,
        templatePublic: '',
        templatePrivate: '',
      };
      const requests = await past.requests(runId);
      const rows = (await past.rows(runId)).filter((r) => which === 'all' || r.state === 'failed');
      if (rows.length === 0) throw new Failure('nothing_to_send', 'This run has no failed rows.');
      const f = (field: SheetColumn['target'] & { kind: 'field' }) => field;
      const columns: SheetColumn[] = [
        { id: 'email', header: 'email', target: f({ kind: 'field', field: 'email' }) },
        { id: 'public_metadata', header: 'public_metadata', target: f({ kind: 'field', field: 'public_metadata' }) },
        ...(run.kind === 'org'
          ? [
              { id: 'private_metadata', header: 'private_metadata', target: f({ kind: 'field', field: 'private_metadata' }) },
              { id: 'role', header: 'role', target: f({ kind: 'field', field: 'role' }) },
            ]
          : []),
        { id: 'outcome', header: 'last outcome', target: { kind: 'ignore' } },
      ];
      const json = (o: Record<string, unknown> | undefined) => (o && Object.keys(o).length ? JSON.stringify(o) : '');
      return {
        name: `${run.sheetName} (${which === 'failed' ? 'failed rows' : 'from run'})`,
        settings,
        columns,
        rows: rows.map((r) => {
          const q = requests.get(r.idx);
          return [
            r.email,
            json(q?.publicMetadata),
            ...(run.kind === 'org' ? [json(q?.privateMetadata), q?.role ?? ''] : []),
            `${outcomeOf(r)}${r.errorCode ? ` (${r.errorCode})` : ''}`,
          ];
        }),
      };
    },
    sync: async (runId: string) => syncRuns([await mustGet(runId)]),
    async syncProfile(profileId: string) {
      // An unknown profile is an error, not “0 runs synced”.
      if (!(await deps.profiles.state()).profiles.some((p) => p.id === profileId))
        throw new Failure('profile_not_found', 'That profile no longer exists. Pick another one.');
      // Repair runs (issue 24) made no invitation: nothing of theirs to sync.
      return syncRuns((await past.list()).filter((r) => r.profileId === profileId && r.counts.sent > 0 && r.op !== 'repair'));
    },

    /** A new run, carrying the original options and metadata, for some rows of a finished (or stopped) run. */
    /** `only`: run row indexes the user selected; the follow-up takes those of them that qualify. */
    /**
     * A follow-up prepared earlier (four eyes: asked about, approved later), as it would be prepared now: its rows whose
     * email another run has sent, is sending or (a revoke) revoked since are left out, as `followUp` leaves them out
     * when it prepares one. Approved late, or approved twice over two clicks, it invites nobody twice.
     */
    async current(plan: NewRun): Promise<NewRun> {
      if (!plan.parentRunId || (plan.op !== 'create' && plan.op !== 'revoke')) return plan;
      const taken = await past.takenLater(plan.parentRunId, plan.op);
      if (taken.size === 0) return plan;
      const keys = new Set((await past.rows(plan.parentRunId)).filter((r) => taken.has(r.idx)).map((r) => emailKey(r.email)));
      return { ...plan, rows: plan.rows.filter((r) => !keys.has(emailKey(r.email))) };
    },

    async followUp(runId: string, which: FollowUp, confirmName?: string, only?: number[]): Promise<{ runId: string }> {
      const run = await mustGet(runId);
      if (deps.engine.isActive(runId)) throw new Failure('run_active', 'This run is still going: pause or cancel it first.');
      // A repair's rows are metadata writes, not invitations: retrying one as an invitation would invite people.
      if (run.op === 'repair')
        throw new Failure(
          'nothing_to_send',
          'A metadata repair has no follow-ups: check the original run’s metadata again, then repair what is still missing.',
        );
      const { profile } = await deps.profiles.secretFor(run.profileId);
      if (profile.instanceId !== run.instanceId)
        throw new Failure('instance_mismatch', 'This profile now points at another Clerk instance; the follow-up would go elsewhere.');
      if (profile.environment === 'production' && !profile.isSandbox && confirmName !== profile.name) {
        throw new Failure('confirmation_required', `Type the profile name “${profile.name}” to send to production.`, {
          field: 'confirmName',
        });
      }
      const requests = await past.requests(runId);
      const selected = only ? new Set(only) : null;
      // A revoke run's rows are the invitations it revoked: nothing there to revoke again, or to resend at once
      // (that is the original run's follow-up, where the user chose to send them).
      // Rejected or added waitlist entries hold no invitation: only their failed or unsent rows can be taken again.
      const revokeRun = run.op === 'revoke' || run.op === 'waitlist_reject' || run.op === 'waitlist_add';
      const qualifying = (await past.rows(runId)).filter((r) => {
        if (selected && !selected.has(r.idx)) return false;
        if (revokeRun && (which === 'revoke_pending' || which === 'expired_or_revoked')) return false;
        switch (which) {
          case 'failed':
            return r.state === 'failed' && r.errorCode !== OUTCOME_UNKNOWN; // never resent blindly: check in Clerk
          case 'unsent':
            return r.state === 'cancelled' || r.state === 'queued';
          case 'revoke_pending':
            return r.state === 'sent' && r.invitationId !== null && (r.invitationStatus ?? 'pending') === 'pending';
          case 'expired_or_revoked':
            return r.state === 'sent' && (r.invitationStatus === 'expired' || r.invitationStatus === 'revoked');
        }
      });
      // What is offered follows the rows' present state across runs: an email another run sent later, or is sending,
      // is not offered again, so a follow-up started twice (or beside another) invites nobody twice.
      const taken = await past.takenLater(runId, which === 'revoke_pending' ? 'revoke' : 'create');
      const picked = qualifying.filter((r) => !taken.has(r.idx));
      if (picked.length === 0 && qualifying.length > 0) throw alreadyTaken(which, qualifying.length, [...taken.values()]);
      const rows = picked.flatMap((r) => {
        const req = requests.get(r.idx);
        if (!req) return [];
        // Resending: Clerk must create a new invitation although one existed for this email.
        const request: RowRequest =
          which === 'expired_or_revoked'
            ? { ...req, ignoreExisting: true }
            : which === 'revoke_pending'
              ? { ...req, revokeInvitationId: r.invitationId! }
              : req;
        return [{ sheetRow: r.sheetRow, email: r.email, request }];
      });
      if (rows.length === 0) {
        // Rows added as members have no invitation: removing a member from the organization is out of this app's scope.
        const members =
          which === 'revoke_pending'
            ? (await past.rows(runId)).filter((r) => (!selected || selected.has(r.idx)) && isMemberRow(r)).length
            : 0;
        throw new Failure(
          'nothing_to_send',
          members > 0
            ? `No row of this run needs to ${LABEL[which]}: the ${members === 1 ? 'row was' : `${members} rows were`} added as members, with no invitation to revoke. Invite Desk does not remove members; do that in Clerk's dashboard.`
            : `No row of this run needs to ${LABEL[which]}.`,
        );
      }
      const id = deps.newId();
      await deps.engine.launch(
        followUpOf(run, {
          id,
          profileName: profile.name,
          what: LABEL[which],
          // A waitlist run's retry is the same kind of run (its rows carry their entries and pace).
          op: which === 'revoke_pending' ? 'revoke' : isWaitlistOp(run.op) ? run.op : 'create',
          options: await past.optionsOf(runId),
          // Revokes are paced by the general limit (per 10 s), invitations by the hourly ones.
          windowMs: which === 'revoke_pending' ? GENERAL_WINDOW_MS : await runsOf.windowOf(runId),
          createdAt: deps.now(),
          rows,
        }),
      );
      return { runId: id };
    },
  };
}
export type HistoryService = ReturnType<typeof createHistoryService>;
