/**
 * Four eyes on production: on a team workspace with the option on, a production send is not started by who prepared
 * it but stored as an approval with a snapshot of what was reviewed; another member reviews the same snapshot on their
 * computer (with their own key) and approves it, which starts the run there, or rejects it with a reason. Any other
 * production run (a resend, a revoke, a reminder, a repair, a waitlist action) is asked about as prepared: its rows
 * exactly as they will go, started under its own id when approved.
 */
import {
  decidedMessage,
  planLine,
  summaryLine,
  type ApprovalReview,
  type ApprovalsSettings,
  type ApprovalState,
  type ApprovalSummary,
  type PlanView,
} from '../../../shared/domain/approvals.ts';
import type { RunOp } from '../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import type { ProfileView } from '../../../shared/domain/profile.ts';
import { predictedFailures } from '../../../shared/domain/send/preflight.ts';
import type { RunReview } from '../../../shared/domain/send/types.ts';
import type { Args, Asked, Res } from '../../../shared/ipc/contract.ts';
import { Failure } from '../failure.ts';
import type { ProfilesService } from '../profiles/profilesService.ts';
import type { RunsService } from '../runs/runsService.ts';
import type { SheetsService } from '../sheets/sheetsService.ts';
import type { NewRun } from '../runs/journalTypes.ts';
import { ApprovalRefusedError, refusal, summaryOf, type ApprovalsPort, type StoredApproval } from './approvalsPort.ts';

export type ApprovalsDeps = {
  /** The workspace's approvals (a team workspace's); none on this computer's workspace. */
  approvals: ApprovalsPort | undefined;
  /** The workspace option: production sends need a second member's approval. */
  fourEyes: boolean;
  /** Who this app's user is to the team (`ana@ana-laptop`). */
  member: string;
  runs: Pick<RunsService, 'review' | 'start'>;
  profiles: Pick<ProfilesService, 'state' | 'secretFor'>;
  sheets: Pick<SheetsService, 'get'>;
  now: () => number;
  /** Whether the workspace has this run (an approval's run started by an earlier try). */
  runExists: (runId: string) => Promise<boolean>;
  /** Starts an approved prepared run as it is (the engine itself, past the four-eyes gate). */
  launchApproved: (run: NewRun) => Promise<unknown>;
  /** A prepared run as it would be prepared now: rows another run has sent or revoked since are left out. */
  current: (run: NewRun) => Promise<NewRun>;
  /** This app changed an approval (the window's list is read again at once). */
  onChange?: () => void;
};

/** An approval's run id: the approval's own, so it can never start two runs. */
export const runIdOf = (approvalId: string) => `ap_${approvalId}`;

/** How many approvals the list shows (pending ones and the latest decided). */
export const APPROVALS_SHOWN = 50;

/**
 * A production run asked about instead of started (four eyes): the IPC handler answers the window with it as
 * `{ runId: null, approvalId, message }`, like a sheet's send handed to the team.
 */
export class ApprovalAsked extends Error {
  override readonly name = 'ApprovalAsked';
  readonly approvalId: string;
  /** Where the approval stands: pending when just asked; asked again, it may have been decided since. */
  readonly state: ApprovalState;
  constructor(approvalId: string, message: string, state: ApprovalState = 'pending') {
    super(message);
    this.approvalId = approvalId;
    this.state = state;
  }
  /** The run will never start from it (rejected, withdrawn, or approved but unable to start). */
  get ended(): boolean {
    return this.state === 'rejected' || this.state === 'withdrawn' || this.state === 'failed';
  }
}

/** A run's start as the window hears it: the run, or the approval asked for instead of it (ApprovalAsked). */
export async function orAsked<T extends object>(started: Promise<T>): Promise<T | ({ runId: null } & Asked)> {
  try {
    return await started;
  } catch (e) {
    if (e instanceof ApprovalAsked) return { runId: null, approvalId: e.approvalId, message: e.message };
    throw e;
  }
}

/** What one row of a prepared run does, as its approver reads it. */
export function rowAction(op: RunOp, r: RowRequest | null, skipReason?: string): string {
  if (!r) return `Skipped: ${skipReason ?? 'nothing to send'}`;
  const role = r.role ? ` as ${r.role}` : '';
  switch (op) {
    case 'revoke':
      return `Revoke the pending invitation ${r.revokeInvitationId ?? ''}`.trim();
    case 'repair':
      return `Write ${(r.repair?.writes ?? []).map((w) => `${w.scope}.${w.key}`).join(', ') || 'metadata'}`;
    case 'waitlist_invite':
      return 'Invite from the waitlist';
    case 'waitlist_reject':
      return 'Reject from the waitlist';
    case 'waitlist_add':
      return 'Add to the waitlist';
    case 'create':
      if (r.memberUserId) return `Add as a member${role} (has an account)`;
      if (r.replaces) return 'Remind: a fresh invitation, the older one revoked';
      return `${r.ignoreExisting ? 'Invite again' : 'Invite'}${role}${r.notify ? '' : ', no email'}`;
  }
}

const planOf = (run: NewRun) => {
  const toSend = run.rows.filter((r) => r.request).length;
  const skipped = run.rows.length - toSend;
  const reminder = run.rows.some((r) => r.request?.replaces);
  return { toSend, skipped, summary: planLine(run.op, toSend, skipped, reminder) };
};

/** What another run did since a prepared run was asked about, when it leaves some of its rows out now. */
function leftOut(a: ApprovalSummary & { plan: NewRun }, now: NewRun): string | null {
  const n = a.plan.rows.filter((r) => r.request).length - now.rows.filter((r) => r.request).length;
  if (n <= 0) return null;
  const rows = n === 1 ? '1 row was' : `${n.toLocaleString('en-US')} rows were`;
  return `Since ${a.preparedBy} prepared it, ${rows} sent or revoked by another run: left out, so nobody gets it twice.`;
}

/**
 * Four eyes on a production run other than a sheet's send: stored as an approval of the run as prepared, once per run
 * id. Throws ApprovalAsked (nothing starts here), saying what the request waits for or how it was decided.
 */
export async function askForRun(port: ApprovalsPort, member: string, now: number, run: NewRun): Promise<never> {
  const { toSend, skipped, summary } = planOf(run);
  if (toSend === 0) throw new Failure('nothing_to_send', 'Nothing in this run would be sent: there is nothing to approve.');
  const { id, state } = await port.requestRun({
    kind: 'run',
    instanceId: run.instanceId,
    profileId: run.profileId,
    profileName: run.profileName,
    environment: run.environment,
    organizationName: run.organizationName,
    sheetName: run.sheetName,
    summary,
    toSend,
    skipped,
    plan: run,
    preparedBy: member,
    preparedAt: now,
  });
  const had = state === 'pending' ? null : await port.get(id);
  throw new ApprovalAsked(
    id,
    had
      ? decidedMessage(had)
      : `Waiting for a teammate's approval: ${summary} Another member opens it under Approvals; nothing is sent until then.`,
    state,
  );
}
/** What would go: the review's rows to send, less those left out as Clerk would refuse them (only-fit). */
const counted = (r: RunReview, onlyFit: boolean) => {
  const refused = onlyFit ? predictedFailures(r.preflight).size : 0;
  const skipped = r.skipped.reduce((n, g) => n + g.rows.length, 0) + refused;
  return { toSend: r.toSend - refused, skipped };
};

export function createApprovalsService(d: ApprovalsDeps) {
  const on = d.fourEyes && d.approvals !== undefined;
  const changed = () => d.onChange?.();
  const store = (): ApprovalsPort => {
    if (!d.approvals || !d.fourEyes)
      throw new Failure('approvals_off', 'Four eyes on production is off: this workspace starts production sends without approval.');
    return d.approvals;
  };
  /** The port's refusals as the window's errors (the same codes). */
  const told = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw e instanceof ApprovalRefusedError ? new Failure(e.code, e.message) : e;
    }
  };
  const mustGet = async (id: string): Promise<StoredApproval> => {
    const a = await store().get(id);
    if (!a) throw new Failure('approval_not_found', 'That approval no longer exists.');
    return a;
  };

  /** This computer's profile of the approval's instance, with its key in this computer's keychain. */
  async function localProfile(a: ApprovalSummary): Promise<ProfileView> {
    const { profiles } = await d.profiles.state();
    const p =
      profiles.find((x) => x.id === a.profileId && x.instanceId === a.instanceId) ??
      profiles.find((x) => !x.isSandbox && x.instanceId === a.instanceId);
    const add = `Add it under Profiles with the instance's secret key (Clerk Dashboard → API keys), then open this approval again.`;
    if (!p)
      throw new Failure('approval_no_profile', `This computer has no profile for “${a.profileName}” (instance ${a.instanceId}). ${add}`);
    try {
      await d.profiles.secretFor(p.id);
    } catch (e) {
      if (e instanceof Failure && e.code === 'key_missing')
        throw new Failure(
          'approval_no_key',
          `This computer's keychain has no key for “${p.name}”: the review and the run use your own key. Under Profiles, use Replace key on “${p.name}”, then open this approval again.`,
        );
      throw e;
    }
    return p;
  }

  return {
    settings: (): ApprovalsSettings => ({ fourEyes: on, member: d.member }),

    /** `runs:start`: as ever, except a production send under four eyes, which becomes an approval request. */
    async start(input: Args<'runs:start'>): Promise<Res<'runs:start'>> {
      if (!on) return d.runs.start(input);
      const { profile } = await d.profiles.secretFor(input.profileId);
      if (profile.environment !== 'production' || profile.isSandbox) return d.runs.start(input);
      const doc = await d.sheets.get(input.sheetId);
      const onlyFit = input.onlyFit === true;
      const review = await d.runs.review(doc, profile.id, input.resend ?? [], input.existing);
      const { toSend, skipped } = counted(review, onlyFit);
      if (toSend <= 0)
        throw new Failure('nothing_to_send', 'No row of this sheet would be sent (see the review): there is nothing to approve.');
      const summary = summaryLine(toSend, skipped);
      const approvalId = await store().request({
        kind: 'sheet',
        instanceId: profile.instanceId,
        profileId: profile.id,
        profileName: profile.name,
        environment: profile.environment,
        organizationName: review.organizationName,
        sheetName: doc.name,
        summary,
        toSend,
        skipped,
        doc,
        choices: { resend: input.resend ?? [], ...(input.existing ? { existing: input.existing } : {}), onlyFit },
        preparedBy: d.member,
        preparedAt: d.now(),
      });
      changed();
      return {
        runId: null,
        approvalId,
        message: `Waiting for a teammate's approval: ${summary} Another member opens it under Approvals; nothing is sent until then.`,
      };
    },

    list: async (): Promise<ApprovalSummary[]> => (on ? store().recent(APPROVALS_SHOWN) : []),

    /** The same review, from the snapshot, on this computer with this computer's key. */
    async review(id: string): Promise<ApprovalReview> {
      const a = await mustGet(id);
      const p = await localProfile(a);
      const cannotApprove =
        a.state === 'approved' && a.decidedBy === d.member
          ? null // approved here, its run not started (the app closed in between): approving again starts it
          : a.state !== 'pending'
            ? decidedMessage(a)
            : a.preparedBy === d.member
              ? `You prepared this ${a.kind === 'sheet' ? 'send' : 'run'}: another member of the team has to approve it.`
              : null;
      if (a.kind === 'run') {
        const run = await d.current(a.plan);
        const plan: PlanView = {
          summary: a.summary,
          profileName: p.name,
          environment: a.environment,
          organizationName: a.organizationName,
          rows: run.rows.map((r) => ({ email: r.email, action: rowAction(run.op, r.request, r.skipReason) })),
        };
        return { approval: summaryOf(a), plan, changed: leftOut(a, run), cannotApprove };
      }
      const review = await d.runs.review(a.doc, p.id, a.choices.resend, a.choices.existing);
      const now = counted(review, a.choices.onlyFit);
      return {
        approval: { ...summaryOf(a), choices: a.choices },
        review,
        changed:
          now.toSend === a.toSend && now.skipped === a.skipped
            ? null
            : `When ${a.preparedBy} prepared it: ${a.summary} Now: ${summaryLine(now.toSend, now.skipped)} Someone sent to some of these people meanwhile, or their accounts changed: approve only if that is still right.`,
        cannotApprove,
      };
    },

    /**
     * Approves (once, atomically) and starts the run here, from the snapshot; the approval then names the run. The
     * run's id is the approval's own (`runIdOf`): however the decision and the start are retried (an answer lost on
     * the way back from the team database, a double click, the app closed in between), one approval is one run.
     */
    async approve(id: string, confirmName: string): Promise<{ runId: string }> {
      const a = await mustGet(id);
      // Approved by this member, and its run not recorded yet: the decision stands, the start is what is left.
      const ours = a.state === 'approved' && a.decidedBy === d.member;
      const early = ours ? null : refusal(a, d.member, 'approve', null);
      if (early) throw new Failure(early.code, early.message);
      const p = await localProfile(a);
      // A prepared run as it goes now: what another run sent or revoked since it was prepared is left out, and when
      // nothing is left it is refused before it is decided.
      const run = a.kind === 'run' ? await d.current(a.plan) : null;
      if (a.kind === 'run' && run && !ours && !run.rows.some((r) => r.request))
        throw new Failure('nothing_to_send', `${leftOut(a, run) ?? ''} Nothing is left to approve: reject it, saying so.`.trim());
      if (confirmName !== p.name)
        throw new Failure(
          'confirmation_required',
          `Type the profile name “${p.name}” to approve this production ${a.kind === 'sheet' ? 'send' : 'run'}.`,
          {
            field: 'confirmName',
          },
        );
      if (!ours) await told(store().decide(id, d.member, 'approve', null, d.now()));
      changed();
      // A prepared run keeps its own id (a reminder's claim names it); a sheet's send takes the approval's.
      const runId = a.kind === 'run' ? a.plan.id : runIdOf(id);
      try {
        const earlier = await d.runExists(runId); // started by an earlier try
        if (!earlier && run) await d.launchApproved({ ...run, profileId: p.id, profileName: p.name });
        else if (!earlier && a.kind === 'sheet')
          await d.runs.start({
            doc: a.doc,
            profileId: p.id,
            confirmName,
            resend: a.choices.resend,
            onlyFit: a.choices.onlyFit,
            runId,
            ...(a.choices.existing ? { existing: a.choices.existing } : {}),
          });
      } catch (e) {
        // Started by the other of two simultaneous tries: that is the one run.
        if (!(await d.runExists(runId).catch(() => false))) {
          const why = e instanceof Error ? e.message : String(e);
          await store()
            .failed(id, why)
            .catch(() => {});
          changed();
          throw new Failure(
            'approval_start_failed',
            `Approved, but the run could not start: ${why} Ask ${a.preparedBy} to prepare it again.`,
          );
        }
      }
      await store()
        .started(id, runId)
        .catch(async (e: unknown) => {
          if ((await store().get(id))?.runId !== runId) throw e; // recorded by the other try
        });
      changed();
      return { runId };
    },

    async reject(id: string, reason: string): Promise<ApprovalSummary> {
      const r = await told(store().decide(id, d.member, 'reject', reason, d.now()));
      changed();
      return r;
    },

    /** Who prepared it takes the request back while it waits. */
    async withdraw(id: string): Promise<void> {
      await told(store().withdraw(id, d.member, d.now()));
      changed();
    },
  };
}
export type ApprovalsService = ReturnType<typeof createApprovalsService>;
