/**
 * Bulk actions on a selection of the Invitations page, each a journaled, paced, never-twice run of the existing run
 * engine, with a review first: revoke (the revoke operations), resend (a new invitation with ignore_existing, carrying
 * metadata, role and redirect), remind (a fresh invitation, then the older one revoked by a second run once the first
 * ends, so one link stays valid). One scope a run: application invitations, or one organization's.
 */
import type { ActionReview, BulkAction, InventoryRow } from '../../../shared/domain/inventory/types.ts';
import { GENERAL_WINDOW_MS, HOUR } from '../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { transaction, type Db } from '../db/types.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { Storage } from '../runs/engine/ports.ts';
import type { NewRun } from '../runs/journalTypes.ts';
import type { InventoryRepo } from './inventoryRepo.ts';

export type ActionDeps = {
  db: Db;
  /** The workspace's runs (a reminder's runs, and its revoke of the older invitations). */
  store: Pick<Storage, 'runs' | 'history'>;
  repo: InventoryRepo;
  profiles: Pick<ProfilesService, 'secretFor'>;
  engine: { launch(run: NewRun): Promise<string>; activeFor(profileId: string): string | null };
  /**
   * What launches a finished reminder's revoke of the older invitations: the engine itself, past the four-eyes gate.
   * That revoke completes the reminder (its rows said “the older one revoked”), which a production reminder under four
   * eyes only ran as approved. `engine` when absent.
   */
  completes?: { launch(run: NewRun): Promise<string> };
  now: () => number;
  newId: () => string;
  /** Clerk's hourly window for invitation runs (compressed in tests). */
  windowMs?: number;
};

type Row = InventoryRow & { privateMetadata: string };
type Plan = { review: ActionReview; rows: Row[] };

const FRESH_MS = 120_000;
const LABEL: Record<BulkAction, string> = { revoke: 'Revoke', resend: 'Resend', remind: 'Reminder' };
const live = (r: Row, now: number) => r.status === 'pending' && (r.expiresAt === null || r.expiresAt > now);
const json = (t: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Why a row does not qualify for the action (null: it does). */
function unfit(action: BulkAction, r: Row, now: number): string | null {
  if (action === 'revoke') return live(r, now) ? null : `not pending (${r.status === 'pending' ? 'expired' : r.status}): nothing to revoke`;
  if (action === 'resend') {
    if (r.status === 'accepted') return 'accepted: nothing to resend';
    return live(r, now) ? 'still pending: use Remind for these' : null;
  }
  if (!live(r, now)) return r.status === 'accepted' ? 'accepted: nothing to remind' : 'not pending: use Resend for these';
  // Clerk's clock may differ from ours by up to a minute: an invitation this new could pass for the fresh one.
  if (r.createdAt > now - FRESH_MS) return 'made in the last 2 minutes: remind them later';
  return r.kind === 'org' ? 'organization invitations: reminders are not offered yet (revoke, then resend them)' : null;
}

export function createInventoryActions(deps: ActionDeps) {
  let settling: Promise<unknown> = Promise.resolve();
  const { db } = deps;
  const windowMs = deps.windowMs ?? HOUR;
  /** The request our run sent for an invitation (redirect, expiry, template), when Invite Desk sent it: any member's run on a team. */
  const original = async (id: string): Promise<Partial<RowRequest>> => (await deps.store.history.sentRequest(id)) ?? {};

  async function plan(profileId: string, ids: string[], action: BulkAction): Promise<Plan> {
    const { profile } = await deps.profiles.secretFor(profileId);
    const now = deps.now();
    const rows = deps.repo.byIds(profileId, ids);
    const leftOut = new Map<string, number>();
    const out = (reason: string, n = 1) => leftOut.set(reason, (leftOut.get(reason) ?? 0) + n);
    if (rows.length < ids.length) out('no longer in the local copy (sync again)', ids.length - rows.length);
    const fit = rows.filter((r) => {
      const why = unfit(action, r, now);
      if (why) out(why);
      return why === null;
    });
    // One scope a run: application invitations first, else the organization with the most rows.
    const orgs = new Map<string, Row[]>();
    for (const r of fit) if (r.kind === 'org') orgs.set(r.organizationId ?? '', [...(orgs.get(r.organizationId ?? '') ?? []), r]);
    const app = fit.filter((r) => r.kind === 'app');
    const chosen = app.length > 0 ? app : ([...orgs.values()].sort((a, b) => b.length - a.length)[0] ?? []);
    const rest = fit.length - chosen.length;
    if (rest > 0) out('of another kind or organization: one scope a run, start another run for them afterwards', rest);
    const first = chosen[0];
    const scope = {
      kind: first?.kind ?? 'app',
      organizationId: first?.kind === 'org' ? first.organizationId : null,
      organizationName: first?.kind === 'org' ? (first.organizationName ?? first.organizationId) : null,
    };
    const outside = chosen.filter((r) => r.runId === null).length;
    const n = chosen.length;
    const steps =
      action === 'revoke'
        ? [
            `Revoke ${n} invitation${n === 1 ? '' : 's'}: one request each, on the general limit (about ${Math.ceil(n / 90) * 10} s at most).`,
          ]
        : action === 'resend'
          ? [
              `Create ${n} new invitation${n === 1 ? '' : 's'} (${scope.kind === 'app' ? 'with ignore_existing' : 'with its role'}), paced by Clerk's hourly invitation limits.`,
            ]
          : [
              `Create ${n} fresh invitation${n === 1 ? '' : 's'} with ignore_existing, paced by Clerk's hourly invitation limits.`,
              'When that run ends: revoke the older invitation of each one that got its fresh invitation (a second run, on the general limit). Where the fresh one failed, the older one stays valid.',
            ];
    const receives =
      action === 'revoke'
        ? 'Nothing: no email. Their links stop working (a revoked invitation does not stop a sign-up unless the instance is invite-only).'
        : action === 'resend'
          ? 'A new invitation email with a new link, carrying the same metadata' + (scope.kind === 'org' ? ' and role.' : '.')
          : 'One new invitation email with a new link; the link of the older email stops working once the older invitation is revoked.';
    const notes: string[] = [];
    if (action !== 'revoke' && outside > 0)
      notes.push(
        `${outside} of them ${outside === 1 ? 'was' : 'were'} made outside Invite Desk: Clerk's lists do not return their redirect URL or expiry, so Clerk's defaults apply.`,
      );
    if (action !== 'revoke' && profile.environment === 'development')
      notes.push(
        'A development instance sends at most 100 invitation emails a month; past that, invitations are created without an email.',
      );
    return {
      rows: chosen,
      review: {
        action,
        scope,
        take: n,
        leftOut: [...leftOut].map(([reason, count]) => ({ reason, count })),
        receives,
        steps,
        notes,
        profileName: profile.name,
        environment: profile.environment,
        confirm: profile.environment === 'production' && !profile.isSandbox,
      },
    };
  }

  const request = async (action: BulkAction, r: Row): Promise<RowRequest> => {
    const was = r.runId ? await original(r.id) : {};
    const base: RowRequest = {
      emailAddress: r.email,
      publicMetadata: json(r.publicMetadata),
      privateMetadata: r.kind === 'org' ? json(r.privateMetadata) : {},
      notify: action !== 'revoke',
      ignoreExisting: r.kind === 'app' && action !== 'revoke',
      ...(was.redirectUrl ? { redirectUrl: was.redirectUrl } : {}),
      ...(was.expiresInDays ? { expiresInDays: was.expiresInDays } : {}),
      ...(was.templateSlug ? { templateSlug: was.templateSlug } : {}),
      ...(r.kind === 'org' ? { organizationId: r.organizationId ?? '', role: r.role ?? 'org:member' } : {}),
      ...(was.inviterUserId ? { inviterUserId: was.inviterUserId } : {}),
    };
    if (action === 'revoke') return { ...base, revokeInvitationId: r.id };
    return action === 'remind' ? { ...base, replaces: { invitationId: r.id, createdAt: r.createdAt } } : base;
  };

  async function launch(
    profileId: string,
    rows: { email: string; request: RowRequest }[],
    o: { op: 'create' | 'revoke'; name: string; scope: ActionReview['scope']; parentRunId?: string; id: string; completes?: boolean },
  ): Promise<string> {
    const { profile } = await deps.profiles.secretFor(profileId);
    const id = o.id;
    await (o.completes ? (deps.completes ?? deps.engine) : deps.engine).launch({
      id,
      profileId,
      profileName: profile.name,
      environment: profile.environment,
      instanceId: profile.instanceId,
      kind: o.scope.kind,
      op: o.op,
      organizationId: o.scope.organizationId,
      organizationName: o.scope.organizationName,
      sheetId: null,
      sheetName: o.name,
      options: { settings: null, columns: [] },
      windowMs: o.op === 'revoke' ? GENERAL_WINDOW_MS : windowMs,
      createdAt: deps.now(),
      ...(o.parentRunId ? { parentRunId: o.parentRunId } : {}),
      rows: rows.map((r, i) => ({ sheetRow: i, email: r.email, request: r.request })),
    });
    return id;
  }

  const actions = {
    review: async (profileId: string, ids: string[], action: BulkAction): Promise<ActionReview> =>
      (await plan(profileId, ids, action)).review,

    /** Starts the action's run for what the review showed (asked again now: the copy may have changed since). */
    async start(
      profileId: string,
      ids: string[],
      action: BulkAction,
      confirmName?: string,
      runId0?: string,
    ): Promise<{ runId: string; review: ActionReview }> {
      const { review, rows } = await plan(profileId, ids, action);
      if (rows.length === 0)
        throw new Failure(
          'nothing_to_send',
          `Nothing to ${action} in this selection: ${review.leftOut.map((l) => `${l.count} ${l.reason}`).join('; ')}.`,
        );
      if (review.confirm && confirmName !== review.profileName)
        throw new Failure('confirmation_required', `Type the profile name “${review.profileName}” to act on production.`, {
          field: 'confirmName',
        });
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      const name = `${LABEL[action]} · ${rows.length} from Invitations · ${day}`;
      // Written first (once per run id): a reminder asked about under four eyes, or killed right after its launch,
      // still has its older invitations revoked when its run finishes.
      const runId = runId0 ?? deps.newId();
      db.prepare(
        'INSERT INTO inventory_actions (run_id, profile_id, action, replaces, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING',
      ).run(runId, profileId, action, JSON.stringify(action === 'remind' ? rows.map((r) => r.id) : []), deps.now());
      await launch(profileId, await Promise.all(rows.map(async (r) => ({ email: r.email, request: await request(action, r) }))), {
        op: action === 'revoke' ? 'revoke' : 'create',
        name,
        scope: review.scope,
        id: runId,
      });
      return { runId, review };
    },

    /**
     * A run ended (or the app started): every finished reminder run whose older invitations are not revoked yet gets
     * its revoke run, exactly once: its id is written before it is launched, and a run of that id is never launched
     * twice (a kill between the two launches it at the next call; one already there is left to the engine).
     */
    settleReminders(): Promise<string[]> {
      // One at a time: two at once (a run's end and the start) would both launch a revoke the other is launching.
      const next = settling.then(settleNow, settleNow);
      settling = next.catch(() => []);
      return next;
    },
  };
  /** Reminders whose first run ended: their revoke of the older invitations launched, once. */
  async function settleNow(): Promise<string[]> {
    // The reminders this computer started (its own log), their runs read from the workspace's storage: a team's
    // runs are in the team database, not in this computer's.
    const started = db
      .prepare(`SELECT a.run_id, a.profile_id, a.replaces, a.revoke_run_id FROM inventory_actions a WHERE a.action = 'remind'`)
      .all();
    const launched: string[] = [];
    for (const d of started) {
      const profileId = String(d['profile_id']);
      if (deps.engine.activeFor(profileId)) continue; // one run a profile at a time: at its end, then
      const runId = String(d['run_id']);
      const run = await deps.store.runs.get(runId);
      if (run?.state !== 'finished') continue;
      if (d['revoke_run_id'] !== null && (await deps.store.runs.get(String(d['revoke_run_id'])))) continue; // launched already
      const replaces = JSON.parse(String(d['replaces'])) as string[];
      const sent = (await deps.store.history.rows(runId))
        .filter((r) => r.state === 'sent' && r.invitationId !== null)
        .map((r) => ({ idx: r.idx, email: r.email, invitation_id: r.invitationId }));
      const revokeId = d['revoke_run_id'] === null ? deps.newId() : String(d['revoke_run_id']);
      if (d['revoke_run_id'] === null)
        transaction(db, () => db.prepare('UPDATE inventory_actions SET revoke_run_id = ? WHERE run_id = ?').run(revokeId, runId));
      const rows = sent.flatMap((s) => {
        const old = replaces[Number(s['idx'])];
        // Never the invitation the reminder itself holds: that would leave no valid link.
        if (!old || old === s['invitation_id']) return [];
        const req: RowRequest = {
          emailAddress: String(s['email']),
          publicMetadata: {},
          privateMetadata: {},
          notify: false,
          ignoreExisting: false,
          revokeInvitationId: old,
        };
        return [{ email: String(s['email']), request: req }];
      });
      if (rows.length === 0) continue;
      await launch(profileId, rows, {
        op: 'revoke',
        id: revokeId,
        name: `Reminder · revoke the ${rows.length} older invitation${rows.length === 1 ? '' : 's'}`,
        scope: { kind: run.kind, organizationId: null, organizationName: null },
        parentRunId: runId,
        completes: true,
      });
      launched.push(revokeId);
    }
    return launched;
  }
  return actions;
}
export type InventoryActions = ReturnType<typeof createInventoryActions>;
