/**
 * The decoders of the team database's `approvals` rows (pgMigrations' migration 4). Its numbers are INTEGER and
 * DOUBLE PRECISION, which node-postgres hands over as numbers; `doc` and `choices` are JSONB, handed over parsed. A row
 * that does not fit is told as the team database's by the store's wrapper (waitForTeamDb, toldOfTeamDatabase).
 */
import { z } from 'zod';
import type { ApprovalChoices, ApprovalState, ApprovalSummary } from '../../../shared/domain/approvals.ts';
import type { SheetDoc } from '../../../shared/domain/sheet/types.ts';
import type { StoredApproval } from '../approvals/approvalsPort.ts';
import { col, decoder } from '../db/decode.ts';
import type { NewRun } from '../runs/journalTypes.ts';

const state = z.enum(['pending', 'approved', 'started', 'failed', 'rejected', 'withdrawn'] satisfies ApprovalState[]);
// Written by this app from a checked review (approvalsService): only their shape is checked here.
const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
const doc = z.custom<SheetDoc>(isObject, 'is not a sheet snapshot');
const choices = z.custom<ApprovalChoices>(isObject, 'is not a set of choices');
const plan = z.custom<NewRun>((v) => isObject(v) && Array.isArray((v as { rows?: unknown }).rows), 'is not a prepared run');

const summary = z.object({
  id: col.text,
  kind: z.enum(['sheet', 'run']),
  state,
  instance_id: col.text,
  profile_id: col.text,
  profile_name: col.text,
  environment: z.enum(['development', 'production']),
  organization_name: col.textOrNull,
  sheet_name: col.text,
  summary: col.text,
  to_send: col.int,
  skipped: col.int,
  prepared_by: col.text,
  prepared_at: col.int,
  decided_by: col.textOrNull,
  decided_at: col.intOrNull,
  reason: col.textOrNull,
  run_id: col.textOrNull,
});

const summaryOf = (r: z.output<typeof summary>): ApprovalSummary => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  instanceId: r.instance_id,
  profileId: r.profile_id,
  profileName: r.profile_name,
  environment: r.environment,
  organizationName: r.organization_name,
  sheetName: r.sheet_name,
  summary: r.summary,
  toSend: r.to_send,
  skipped: r.skipped,
  preparedBy: r.prepared_by,
  preparedAt: r.prepared_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  reason: r.reason,
  runId: r.run_id,
});

/** An approval as the lists show it. */
export const approvalSummaryRow = decoder('approvals', summary.transform(summaryOf));

/** An approval with its snapshot: a sheet's (the document reviewed and the preparer's choices) or a prepared run. */
export const approvalRow = decoder(
  'approvals',
  z
    .discriminatedUnion('kind', [
      summary.extend({ kind: z.literal('sheet'), doc, choices }),
      summary.extend({ kind: z.literal('run'), plan }),
    ])
    .transform((r): StoredApproval =>
      r.kind === 'sheet'
        ? { ...summaryOf(r), kind: 'sheet', doc: r.doc, choices: r.choices }
        : { ...summaryOf(r), kind: 'run', plan: r.plan },
    ),
);

/** What asking again about a prepared run finds: the approval made for it and its state. */
export const approvalStateRow = decoder(
  'approvals',
  z.object({ id: col.text, state }).transform((r) => ({ id: r.id, state: r.state })),
);
