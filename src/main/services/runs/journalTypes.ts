/** The journal's shapes and errors: a new run, a row waiting in the queue, and why a write refuses. */
import type { RunOptions, RunSummary } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';

export type NewRun = Omit<RunSummary, 'counts' | 'state' | 'pauseReason' | 'startedAt' | 'finishedAt' | 'syncedAt' | 'parentRunId'> & {
  parentRunId?: string | null;
  sheetId: string | null;
  options: RunOptions;
  windowMs: number;
  rows: { sheetRow: number; email: string; request: RowRequest | null; skipReason?: string }[];
};

/**
 * A follow-up of a past run (a retry, a resend, a revoke, a metadata repair): the same profile, instance and scope,
 * its parent named, with the original options unless given; what differs is said by the caller.
 */
export function followUpOf(
  run: RunSummary,
  o: Pick<NewRun, 'id' | 'profileName' | 'op' | 'windowMs' | 'createdAt' | 'rows'> & { what: string; options: RunOptions | null },
): NewRun {
  return {
    id: o.id,
    profileId: run.profileId,
    profileName: o.profileName,
    environment: run.environment,
    instanceId: run.instanceId,
    kind: run.kind,
    op: o.op,
    organizationId: run.organizationId,
    organizationName: run.organizationName,
    sheetId: null,
    sheetName: `${run.sheetName} (${o.what})`,
    options: o.options ?? { settings: null, columns: [] },
    windowMs: o.windowMs,
    createdAt: o.createdAt,
    parentRunId: run.id,
    rows: o.rows,
  };
}

export type QueuedRow = {
  idx: number;
  email: string;
  request: RowRequest;
  attempts: number;
  split: number;
  notBefore: number;
  /** Start of the first request of this run whose outcome for the row was unknown: Clerk may hold our invitation since. */
  unknownSince: number | null;
};

/** The row code for a row whose outcome stayed unknown after every attempt: never resent blindly, never retried. */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

/** A run asked for by id that is not in the journal: deleted since the window showed it. */
export const RUN_GONE = 'That run no longer exists: it was deleted from the history meanwhile (by retention, or with its profile).';

/** This process no longer holds the run's lease (another process took it over): it must stop sending at once. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** Another run of the profile, or of its instance, is running (in this process or another). */
export class ProfileBusyError extends Error {
  override readonly name = 'ProfileBusyError';
  readonly runId: string;
  readonly sheetName: string;
  /** The profile sending it (another profile of the same instance, made before one profile per instance). */
  readonly profileName: string | null;
  constructor(runId: string, sheetName: string, profileName: string | null = null) {
    super(`The profile is already sending “${sheetName}”`);
    this.runId = runId;
    this.sheetName = sheetName;
    this.profileName = profileName;
  }
}

/**
 * The endpoint's window in the instance's ledger was full when the request was to be claimed (another computer of
 * the team, or another run, took the slot first): nothing was journaled or sent; wait until `at`.
 */
export class NoSlotError extends Error {
  override readonly name = 'NoSlotError';
  readonly at: number;
  constructor(at: number) {
    super('The hourly limit’s window is full until another slot opens');
    this.at = at;
  }
}
