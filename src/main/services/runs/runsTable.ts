/** The decoders of the run tables' rows (`runs`, `run_rows`, and the history search's join of both). */
import { z } from 'zod';
import type { RowState, RunRowView, RunState } from '../../../shared/domain/send/types.ts';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { col, column, decoder, type Row } from '../db/decode.ts';
import type { QueuedRow } from './journalTypes.ts';

const runState = z.enum(['running', 'paused', 'finished', 'cancelled', 'interrupted'] satisfies RunState[]);
const rowState = z.enum(['queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled'] satisfies RowState[]);
const environment = z.enum(['development', 'production']);
/** The exact request a row carried: written by this app from a checked row, so only its shape is checked here. */
const request = z.custom<RowRequest>((v) => v !== null && typeof v === 'object');

/** A run as the runs list shows it, but its counts (summed from its rows apart). */
export const runSummaryRow = decoder(
  'runs',
  z
    .object({
      id: col.text,
      profile_id: col.text,
      profile_name: col.text,
      environment,
      instance_id: col.text,
      kind: z.enum(['app', 'org']),
      // Runs written before migration 10 typed it read as what they were: invitations created.
      op: z.enum(['create', 'revoke', 'repair']).catch('create'),
      // Waitlist runs (migration 12) say what they do to entries here; their op column stays 'create'.
      waitlist: z.enum(['invite', 'reject', 'add']).nullable().optional().catch(null),
      organization_id: col.textOrNull,
      organization_name: col.textOrNull,
      sheet_name: col.text,
      state: runState,
      pause_reason: col.textOrNull,
      created_at: col.int,
      started_at: col.intOrNull,
      finished_at: col.intOrNull,
      synced_at: col.intOrNull,
      parent_run_id: col.textOrNull,
    })
    .transform((r) => ({
      id: r.id,
      profileId: r.profile_id,
      profileName: r.profile_name,
      environment: r.environment,
      instanceId: r.instance_id,
      kind: r.kind,
      op: r.waitlist ? (`waitlist_${r.waitlist}` as const) : r.op,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      sheetName: r.sheet_name,
      state: r.state,
      pauseReason: r.pause_reason,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      syncedAt: r.synced_at,
      parentRunId: r.parent_run_id,
    })),
);

/** A row the engine may still send (queued, or inflight after a crash). */
export const queuedRow = decoder(
  'run_rows',
  z
    .object({
      idx: col.int,
      email: col.text,
      request: col.json(request),
      attempts: col.int,
      split: col.int,
      not_before: col.int,
      unknown_since: col.intOrNull,
    })
    .transform((r): QueuedRow => ({
      idx: r.idx,
      email: r.email,
      request: r.request,
      attempts: r.attempts,
      split: r.split,
      notBefore: r.not_before,
      unknownSince: r.unknown_since,
    })),
);

/** An inflight row with the request that carried it (0 when that request's entry is gone). */
export const inflightRow = decoder(
  'run_rows',
  z.object({ request_id: col.int, started_at: col.intOrNull }).transform((r) => ({
    requestId: r.request_id,
    requestStartedAt: r.started_at ?? 0,
  })),
);

/** A row of a run as the window shows it (`runRows.COLS`, plus `sent_later` where the query computes it). */
export const runRowView = decoder(
  'run_rows',
  z
    .object({
      idx: col.int,
      sheet_row: col.int,
      email: col.text,
      state: rowState,
      invitation_id: col.textOrNull,
      invitation_status: col.textOrNull,
      url: col.textOrNull,
      error_code: col.textOrNull,
      message: col.textOrNull,
      attempts: col.int,
      expires_at: col.intOrNull,
      sent_later: col.intOrNull,
    })
    .transform((r): RunRowView => {
      const row: RunRowView = {
        idx: r.idx,
        sheetRow: r.sheet_row,
        email: r.email,
        state: r.state,
        invitationId: r.invitation_id,
        invitationStatus: r.invitation_status,
        url: r.url,
        errorCode: r.error_code,
        message: r.message,
        attempts: r.attempts,
        expiresAt: r.expires_at,
      };
      if (r.sent_later === 1) row.sentLater = true;
      return row;
    }),
);

/** A row's stored request (null for rows never sent: skipped). */
export const rowRequest = decoder(
  'run_rows',
  z.object({ idx: col.int, request: col.json(request.nullable()) }).transform((r) => [r.idx, r.request] as const),
);

/** One history search hit: a run row joined to its run. */
export const historyHitRow = decoder(
  'run_rows',
  z
    .object({
      run_id: col.text,
      sheet_name: col.text,
      profile_name: col.text,
      environment,
      created_at: col.int,
      idx: col.int,
      email: col.text,
      state: rowState,
      invitation_id: col.textOrNull,
      invitation_status: col.textOrNull,
      error_code: col.textOrNull,
      message: col.textOrNull,
    })
    .transform((r) => ({
      runId: r.run_id,
      sheetName: r.sheet_name,
      profileName: r.profile_name,
      environment: r.environment,
      runCreatedAt: r.created_at,
      idx: r.idx,
      email: r.email,
      state: r.state,
      invitationId: r.invitation_id,
      invitationStatus: r.invitation_status,
      errorCode: r.error_code,
      message: r.message,
    })),
);

/** A row with the request it carried, for an export page. */
export const exportRow = (r: Row): RunRowView & { request: RowRequest | null } => ({
  ...runRowView(r),
  request: rowRequest(r)[1],
});

/** How many rows of a run are in one state. */
export const stateCount = decoder('run_rows', z.object({ state: rowState, n: col.int }));

/** Who holds a run's lease and since when, with what the claim checks. */
export const leaseRow = decoder(
  'runs',
  z
    .object({ profile_id: col.text.optional(), instance_id: col.text.optional(), lease_owner: col.textOrNull, lease_at: col.intOrNull })
    .transform((r) => ({ profileId: r.profile_id ?? null, instanceId: r.instance_id ?? null, owner: r.lease_owner, at: r.lease_at })),
);

/** The run that holds a profile's claim, as a "busy" answer names it. */
export const busyRunRow = decoder(
  'runs',
  z
    .object({ id: col.text, sheet_name: col.text, profile_name: col.text })
    .transform((r) => ({ id: r.id, name: r.sheet_name, profile: r.profile_name })),
);

export const idRow = column('runs', 'id', col.text);

export const invitationIdRow = column('run_rows', 'invitation_id', col.text);

/** One row of an email's history in an instance (runHistory.historyOf). */
export const emailHistoryRow = decoder(
  'run_rows',
  z.object({ e: col.text, state: rowState, st: col.textOrNull, at: col.int, op: z.enum(['create', 'revoke', 'repair']).catch('create') }),
);

/** An accept link of a row (rows without one are not selected). */
export const urlRow = column('run_rows', 'url', col.text);

/** How many runs a `count(*) AS n` found (PostgreSQL's count is cast to int: node-postgres hands a bigint over as text). */
export const runCount = column('runs', 'n', col.int);

/** How many requests a `count(*) AS n` found (cast to int on PostgreSQL, as runCount). */
export const requestCount = column('run_requests', 'n', col.int);

/** This computer's id of a request, which a move to the team database numbers anew. */
export const requestIdRow = column('run_requests', 'id', col.int);
