/**
 * The repair follow-up (issue 24): from a run's last metadata check, a review of what would be written (each key
 * before → after; keys the user now holds with another value left alone unless ticked), then a journaled run of its
 * own (op 'repair', engine/operations/metadataRepair.ts) that writes it with Clerk's deep-merge PATCH, paced by the
 * general limit. Confirmation as for the other follow-ups: the profile's name typed on production.
 */
import { followUpOf, RUN_GONE } from '../runs/journalTypes.ts';
import { keyLabel, type MetaKey } from '../../../shared/domain/metadata/landed.ts';
import { planRepair, type RepairChoice, type RepairReview, type RepairRowPlan } from '../../../shared/domain/metadata/repairPlan.ts';
import { GENERAL_WINDOW_MS } from '../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { RunEngine } from '../runs/engine.ts';
import type { Storage } from '../runs/engine/ports.ts';
import type { ChecksRepo } from './checksRepo.ts';
import { sentOf } from './metadataCheck.ts';

/**
 * A repair run's rows: each the original row's request (for the record) with no email and no invitation, and what it
 * writes for whom.
 */
export function repairRows(plans: RepairRowPlan[], requests: Map<number, RowRequest | null>, sheetRows: Map<number, number>) {
  return plans.map((p) => {
    const { memberUserId: _m, revokeInvitationId: _r, existingUser: _e, ...was } = requests.get(p.idx) ?? ({} as RowRequest);
    const request: RowRequest = { ...was, notify: false, ignoreExisting: false, repair: { userId: p.userId, writes: p.writes } };
    return { sheetRow: sheetRows.get(p.idx) ?? p.idx, email: p.email, request };
  });
}

export type RepairDeps = {
  store: Pick<Storage, 'runs' | 'history'>;
  checks: ChecksRepo;
  engine: RunEngine;
  profiles: ProfilesService;
  now: () => number;
  newId: () => string;
};

export function createMetadataRepair(deps: RepairDeps) {
  const { runs, history: past } = deps.store;
  async function review(c: RepairChoice): Promise<RepairReview> {
    const run = await runs.get(c.runId);
    if (!run) throw new Failure('run_not_found', RUN_GONE);
    const summary = deps.checks.summary(c.runId);
    if (summary.checkedAt === null) throw new Failure('not_checked', 'Check this run’s metadata first (Check metadata).');
    const later = (await past.list()).find((r) => r.parentRunId === c.runId && r.op === 'repair' && r.createdAt >= summary.checkedAt!);
    if (later)
      throw new Failure(
        'check_again',
        `A repair (“${later.sheetName}”) ran after this check: check the metadata again first, so nothing is written from an old check.`,
      );
    const tick = new Set(c.overwrite ?? []);
    const only = c.rows ? new Set(c.rows) : null;
    const requests = await past.requests(c.runId);
    const emails = new Map((await past.rows(c.runId)).map((r) => [r.idx, r.email]));
    const differing = new Map<string, number>();
    const rows: RepairRowPlan[] = [];
    const users = new Set<string>();
    let leftAlone = 0;
    for (const chk of deps.checks.rows(c.runId)) {
      if (only && !only.has(chk.idx)) continue;
      const q = requests.get(chk.idx);
      if (!q || chk.userId === null || (chk.status !== 'missing' && chk.status !== 'differs')) continue;
      for (const d of chk.differs) differing.set(keyLabel(d), (differing.get(keyLabel(d)) ?? 0) + 1);
      const plan = planRepair(chk, sentOf(run.kind, q), (k: MetaKey) => tick.has(keyLabel(k)));
      leftAlone += plan.leftAlone.length;
      // One row per person: a second row for the same user would only write the same keys again.
      if (plan.writes.length === 0 || users.has(chk.userId)) continue;
      users.add(chk.userId);
      rows.push({ idx: chk.idx, email: emails.get(chk.idx) ?? '', userId: chk.userId, ...plan });
    }
    const count = (f: (p: RepairRowPlan) => number) => rows.reduce((n, p) => n + f(p), 0);
    return {
      runId: c.runId,
      rows,
      differing: [...differing].map(([key, n]) => ({ key, rows: n })).sort((a, b) => b.rows - a.rows),
      writes: count((p) => p.writes.length),
      overwrites: count((p) => p.writes.filter((w) => w.kind === 'overwrite').length),
      leftAlone,
      checkedAt: summary.checkedAt,
    };
  }

  async function start(c: RepairChoice & { confirmName?: string }): Promise<{ runId: string }> {
    const run = await runs.get(c.runId);
    if (!run) throw new Failure('run_not_found', RUN_GONE);
    if (deps.engine.isActive(c.runId)) throw new Failure('run_active', 'This run is still going: pause or cancel it first.');
    const { profile } = await deps.profiles.secretFor(run.profileId);
    if (profile.instanceId !== run.instanceId)
      throw new Failure('instance_mismatch', 'This profile now points at another Clerk instance; the repair would go elsewhere.');
    if (profile.environment === 'production' && !profile.isSandbox && c.confirmName !== profile.name)
      throw new Failure('confirmation_required', `Type the profile name “${profile.name}” to write to production.`, {
        field: 'confirmName',
      });
    const plan = await review(c);
    if (plan.rows.length === 0)
      throw new Failure(
        'nothing_to_send',
        'Nothing to repair: every checked row’s metadata landed, or only keys you left unticked differ.',
      );
    const requests = await past.requests(c.runId);
    const sheetRows = new Map((await past.rows(c.runId)).map((r) => [r.idx, r.sheetRow]));
    const id = deps.newId();
    await deps.engine.launch(
      followUpOf(run, {
        id,
        profileName: profile.name,
        op: 'repair',
        what: 'repair metadata',
        options: await past.optionsOf(c.runId),
        windowMs: GENERAL_WINDOW_MS,
        createdAt: deps.now(),
        rows: repairRows(plan.rows, requests, sheetRows),
      }),
    );
    return { runId: id };
  }

  return { review, start };
}
export type MetadataRepair = ReturnType<typeof createMetadataRepair>;
