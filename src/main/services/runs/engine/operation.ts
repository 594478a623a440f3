/**
 * What one kind of work contributes to a run: its lanes and limits, how a batch of rows becomes a request, how an
 * error becomes row outcomes, and how a row of unknown outcome is looked up. The run core (drive, lanes, outcomes,
 * never-twice rules) is the same for every operation; a new kind of work is a new file in operations/.
 */
import type { Lane, RunOp } from '../../../../shared/domain/send/limits.ts';
import type { RowRequest } from '../../../../shared/domain/sheet/validate.ts';
import type { ClerkClient } from '../../clerk/client.ts';
import type { ClerkApiError } from '../../clerk/errors.ts';
import type { Decision } from '../classify.ts';
import type { QueuedRow } from '../journalTypes.ts';

/** What Clerk answered it created (or revoked) for one row. */
export type Created = {
  email: string;
  id: string;
  status: string;
  url: string | null;
  expiresAt: number | null;
  createdAt: number;
  /** Said on the row beside its outcome (a repair's keys left alone). */
  note?: string;
};

/**
 * What an answer proves, by each row's place in the batch: done (with Clerk's invitation), or of unknown outcome (a
 * 200 that does not show it: looked up in Clerk like a timeout, never recorded with a made-up id).
 */
export type BatchAnswer = { done: { index: number; created: Created }[]; unknown: number[] };

/**
 * The row's invitation as found in Clerk by a lookup (null: none pending). `already`: what was found is the row's goal
 * whoever made it (a membership): found but older than this run's request, the row is done with this note, not failed
 * as a duplicate. `note`: said on the row when it is found done by this run (a repair's keys left alone).
 */
export type Found = { id: string; status: string; url: string | null; createdAt: number; already?: string; note?: string } | null;

export interface Operation {
  readonly kind: 'app' | 'org';
  readonly op: RunOp;
  /** Its lanes, pulling from one queue: each an endpoint, its requests per window and its rows per call. */
  readonly lanes: readonly Lane[];
  /** Whether a lane may send this row (absent: every lane any row), e.g. memberships only on the membership lane. */
  accepts?(lane: Lane, row: RowRequest): boolean;
  /** Whether a row done by it made Clerk send an email (the development instance's monthly cap). */
  readonly sendsEmail: boolean;
  /** One request for a batch of rows on one of its lanes. */
  send(client: ClerkClient, lane: Lane, rows: RowRequest[]): Promise<BatchAnswer>;
  /** What a Clerk error means for the batch's rows. */
  classify(e: ClerkApiError, batch: QueuedRow[], bulk: boolean): Decision;
  /**
   * Looks a row of unknown outcome up in Clerk before anything is sent again. Null when repeating the request is
   * harmless (a second revoke answers “already revoked”): such rows are simply tried again.
   */
  readonly lookUp: ((client: ClerkClient, row: RowRequest) => Promise<Found>) | null;
  /** The invitation's status now, when Clerk said it is no longer pending (null when it cannot be asked). */
  statusNow(client: ClerkClient, row: RowRequest): Promise<string | null>;
}
