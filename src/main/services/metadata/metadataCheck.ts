/**
 * The metadata check (issue 24): for a run's accepted invitations (and, for organizations, the rows added as
 * members), who accepted is found — the user by email (GET /v1/users, 100 addresses a call); for organizations then
 * the membership (GET …/memberships by user id, 100 a call) — and what the row sent is compared with what is there
 * now. Paced by the general limit in the instance's ledger (shared with runs), results stored as each call answers,
 * progress reported; it runs in main, so it goes on while the window is elsewhere.
 */
import { RUN_GONE } from '../runs/journalTypes.ts';
import { emailKey } from '../../../shared/domain/email.ts';
import { compareMetadata, type CheckSummary, type MetaPair, type RowCheck } from '../../../shared/domain/metadata/landed.ts';
import type { CheckProgress } from '../../../shared/domain/metadata/repairPlan.ts';
import { GENERAL_LANE } from '../../../shared/domain/send/limits.ts';
import { isMemberRow } from '../../../shared/domain/send/outcome.ts';
import type { RunSummary } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../clerk/client.ts';
import type { User } from '../clerk/types.ts';
import { Failure } from '../failure.ts';
import type { QuotaPort, Storage } from '../runs/engine/ports.ts';
import { pacedReads } from '../runs/pacedReads.ts';
import type { ChecksRepo } from './checksRepo.ts';

/** Addresses (and user ids) a list call takes. */
export const PER_CALL = 100;
/**
 * The check's share of the instance's general window: half of what the app allows itself, because a repair run's
 * ledger entry stands for two requests (a read and a write), so a check beside one still leaves Clerk's limit unmet.
 */
export const CHECK_LIMIT = GENERAL_LANE.requests / 2;

export type CheckDeps = {
  store: Pick<Storage, 'runs' | 'history'>;
  checks: ChecksRepo;
  /** The instance's window for the general limit: the workspace's (a team shares it). */
  quota: Pick<QuotaPort, 'take' | 'block'>;
  clientFor: (profileId: string) => Promise<ClerkClient>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: CheckProgress) => void;
};

/** What a row sent, as the check compares it (applications: public metadata only; it lands on the user). */
export const sentOf = (kind: 'app' | 'org', q: RowRequest): MetaPair => ({
  public: q.publicMetadata ?? {},
  private: kind === 'org' ? (q.privateMetadata ?? {}) : {},
});

export function createMetadataCheck(deps: CheckDeps) {
  /** Checks going, by run: a second ask joins the first. */
  const going = new Map<string, Promise<CheckSummary>>();
  /** One call on the general limit, in the instance's window (a sync or a teammate may want it too). */
  const reads = pacedReads({ quota: deps.quota, now: deps.now, limit: CHECK_LIMIT, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  const paced = <T>(run: RunSummary, call: () => Promise<T>): Promise<T> => reads(run.instanceId, call);

  async function run(runId: string): Promise<CheckSummary> {
    const r = await deps.store.runs.get(runId);
    if (!r) throw new Failure('run_not_found', RUN_GONE);
    if (r.op !== 'create') throw new Failure('nothing_to_check', 'Only runs that sent invitations can be checked.');
    const requests = await deps.store.history.requests(runId);
    const rows = (await deps.store.history.rows(runId))
      .filter((x) => x.state === 'sent' && (x.invitationStatus === 'accepted' || (r.kind === 'org' && isMemberRow(x))))
      .flatMap((x) => {
        const q = requests.get(x.idx);
        return q ? [{ idx: x.idx, email: x.email, request: q }] : [];
      });
    if (rows.length === 0)
      throw new Failure('nothing_to_check', 'No row of this run is accepted yet: sync the statuses first (Sync), then check.');
    const client = await deps.clientFor(r.profileId);
    deps.onProgress?.({ runId, checked: 0, total: rows.length });
    let checked = 0;
    for (let i = 0; i < rows.length; i += PER_CALL) {
      const chunk = rows.slice(i, i + PER_CALL);
      const emails = [...new Set(chunk.map((x) => x.email))];
      const users = await paced(r, () => client.listUsers({ emailAddresses: emails, limit: PER_CALL }));
      const byEmail = new Map<string, User>();
      for (const u of users) for (const e of u.emailAddresses) byEmail.set(emailKey(e), u);
      const held = new Map<string, MetaPair>();
      if (r.kind === 'app') for (const u of users) held.set(u.id, { public: u.publicMetadata, private: {} });
      else {
        const ids = [...new Set(chunk.flatMap((x) => byEmail.get(emailKey(x.email))?.id ?? []))];
        if (ids.length) {
          const page = await paced(r, () => client.listOrganizationMemberships(r.organizationId ?? '', { userIds: ids, limit: PER_CALL }));
          for (const m of page.data) held.set(m.userId, { public: m.publicMetadata, private: m.privateMetadata });
        }
      }
      const results = chunk.map((x): { idx: number; check: RowCheck } => {
        const user = byEmail.get(emailKey(x.email)) ?? null;
        const now = user ? (held.get(user.id) ?? null) : null;
        return { idx: x.idx, check: compareMetadata(sentOf(r.kind, x.request), now, user?.id ?? null) };
      });
      deps.checks.save(runId, results, deps.now());
      checked += chunk.length;
      deps.onProgress?.({ runId, checked, total: rows.length });
    }
    return deps.checks.summary(runId);
  }

  return {
    /** Checks the run's accepted rows (joins a check of it already going). */
    check(runId: string): Promise<CheckSummary> {
      const was = going.get(runId);
      if (was) return was;
      const p = run(runId).finally(() => going.delete(runId));
      going.set(runId, p);
      return p;
    },
    isChecking: (runId: string) => going.has(runId),
    summary: (runId: string) => deps.checks.summary(runId),
  };
}
export type MetadataCheck = ReturnType<typeof createMetadataCheck>;
