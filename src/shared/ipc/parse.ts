/**
 * One runtime parser per channel. Every argument enters main as `unknown`; this is the only door.
 * The mapped type makes a channel without a parser a compile error.
 */
import { z } from 'zod';
import type { Args, Channel, PackedRowsWire } from './contract.ts';
import { packedProblem } from '../domain/sheet/packed.ts';
import type { RowPatch } from '../domain/sheet/patch.ts';
import { FIELDS } from '../domain/sheet/types.ts';
import { idProblem, isClerkId, type IdKind } from '../domain/ids.ts';
import { HISTORY_KEYS, type HistoryKey } from '../domain/send/types.ts';
import { inventoryParsers } from './inventoryParse.ts';
import { workspaceParsers } from './workspaceParse.ts';
import { approvalsParsers } from './approvalsParse.ts';

/** History groups the user chose to send anyway (each at most once). */
const existingChoice = z.enum(['skip', 'invite', 'add']);
const resendGroups = z.array(z.enum(HISTORY_KEYS as [string, ...string[]]).transform((k) => k as HistoryKey)).max(3);
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a profile id');
const name = z.string().trim().min(1, 'Give the profile a name').max(80, 'Keep the name under 80 characters');
const secretKey = z
  .string()
  .trim()
  .max(300, 'That is too long for a Clerk secret key')
  .regex(/^sk_(test|live)_[A-Za-z0-9]{8,}$/, 'A Clerk secret key starts with sk_test_ or sk_live_');
const baseUrl = z
  .string()
  .trim()
  .max(500)
  // A regex, not URL: shared code runs where neither DOM nor Node globals are declared.
  .regex(
    /^(https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?)(\/[^\s?#]*)?$/,
    'Use an https:// URL (plain http only for 127.0.0.1 or localhost)',
  );

/** A Clerk id of its shape (`org_…`): anything else never reaches a URL path. */
const clerkId = (kind: IdKind) =>
  z
    .string()
    .max(100)
    .refine((v) => isClerkId(kind, v), { error: (iss) => idProblem(kind, String(iss.input)) ?? 'Invalid id' });

const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);

// Sheets: bounded so a runaway renderer cannot make main allocate without limit.
export const LIMITS = { rows: 200_000, columns: 200, cell: 20_000, name: 120 } as const;
/** A run's rows: at most this many in one `runs:get` page. */
export const RUN_PAGE_MAX = 1000;
const rowIdx = z.number().int().min(0).max(LIMITS.rows);
const rowIdxs = z.array(rowIdx).max(LIMITS.rows);
const rowFilter = z.enum(['all', 'queued', 'inflight', 'sent', 'failed', 'skipped', 'cancelled', 'member']);
const sheetName = z.string().trim().min(1, 'Give the sheet a name').max(LIMITS.name);
const valueType = z.enum(['auto', 'string', 'number', 'boolean', 'json']);
const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('field'), field: z.enum(FIELDS) }).strict(),
  z.object({ kind: z.literal('meta'), scope: z.enum(['public', 'private']), path: z.string().min(1).max(200), type: valueType }).strict(),
  z.object({ kind: z.literal('ignore') }).strict(),
]);
const column = z.object({ id: z.string().min(1).max(64), header: z.string().max(500), target }).strict();
export const columnsSchema = z.array(column).max(LIMITS.columns);
const columns = columnsSchema;
const short = z.string().max(2000);
export const settingsSchema = z
  .object({
    kind: z.enum(['app', 'org']),
    organizationId: short,
    organizationName: short,
    inviterUserId: short,
    notify: z.boolean(),
    ignoreExisting: z.boolean(),
    expiresInDays: short,
    redirectUrl: short,
    templateSlug: z.enum(['', 'invitation', 'waitlist_invitation']),
    role: short,
    blankCells: z.enum(['omit', 'null']),
    templatePublic: z.string().max(LIMITS.cell),
    templatePrivate: z.string().max(LIMITS.cell),
  })
  .strict();
const settings = settingsSchema;
// A hand-written check for the cell grid: zod per cell is ~10x slower on 100,000 rows.
const rows = z.custom<string[][]>((v) => {
  if (!Array.isArray(v) || v.length > LIMITS.rows) return false;
  for (const r of v) {
    if (!Array.isArray(r) || r.length > LIMITS.columns) return false;
    for (const c of r) if (typeof c !== 'string' || c.length > LIMITS.cell) return false;
  }
  return true;
}, `Rows must be at most ${LIMITS.rows} lists of at most ${LIMITS.columns} text cells of at most ${LIMITS.cell} characters`);
// Says which count or cell is off (a hand-written check, like rows': 500,000 cell lengths).
const packed = z
  .unknown()
  .superRefine((v, ctx) => {
    const problem = packedProblem(v, LIMITS);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v as PackedRowsWire);
const isRow = (r: unknown) =>
  Array.isArray(r) && r.length <= LIMITS.columns && r.every((c) => typeof c === 'string' && c.length <= LIMITS.cell);
const index = (i: unknown): i is number => Number.isSafeInteger(i) && (i as number) >= 0 && (i as number) < LIMITS.rows;
const patches = z.custom<RowPatch[]>((v) => {
  if (!Array.isArray(v) || v.length > LIMITS.rows) return false;
  let cells = 0;
  for (const p of v as unknown[]) {
    if (typeof p !== 'object' || p === null) return false;
    const o = p as Record<string, unknown>;
    if (o['t'] === 'set' && Object.keys(o).length === 3 && index(o['index']) && isRow(o['row'])) cells += 1;
    else if (o['t'] === 'insert' && Object.keys(o).length === 3 && index(o['index']) && Array.isArray(o['rows'])) {
      if (!(o['rows'] as unknown[]).every(isRow)) return false;
      cells += (o['rows'] as unknown[]).length;
    } else if (o['t'] === 'delete' && Object.keys(o).length === 2 && Array.isArray(o['indexes'])) {
      if (!(o['indexes'] as unknown[]).every(index)) return false;
      cells += (o['indexes'] as unknown[]).length;
    } else return false;
    if (cells > LIMITS.rows * 2) return false;
  }
  return true;
}, `Patches must be set/insert/delete of at most ${LIMITS.rows} rows of text cells`);
const headers = z.array(z.string().max(500)).max(LIMITS.columns);

type Parsers = { [C in Channel]: z.ZodType<Args<C>, unknown> };

const repairChoice = z
  .object({
    runId: id,
    overwrite: z.array(z.string().min(1).max(300)).max(1000).optional(),
    rows: z.array(z.number().int().min(0)).max(LIMITS.rows).optional(),
  })
  .strict();

// The waitlist (issue 23): a filter, and a run's selection (entries re-read in main; addresses checked there).
const waitlistStatus = z.enum(['pending', 'invited', 'completed', 'rejected']);
const time = z.number().int().min(0).max(8_640_000_000_000_000);
const waitlistFilter = z
  .object({ search: z.string().max(320).optional(), status: waitlistStatus.optional(), after: time.optional(), before: time.optional() })
  .strict()
  .transform((v) => defined(v));
const entryId = z
  .string()
  .max(100)
  .regex(/^[a-z]{2,10}_[A-Za-z0-9]{1,64}$/, 'must be a waitlist entry id');
const waitlistSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('filter'), filter: waitlistFilter }).strict(),
  z.object({ kind: z.literal('ids'), ids: z.array(entryId).min(1, 'Tick at least one entry').max(LIMITS.rows) }).strict(),
  z
    .object({ kind: z.literal('emails'), emails: z.array(z.string().max(320)).min(1, 'Paste at least one address').max(LIMITS.rows) })
    .strict(),
  z.object({ kind: z.literal('sheet'), sheetId: id }).strict(),
]);
const waitlistRun = z
  .object({
    profileId: id,
    action: z.enum(['invite', 'reject', 'add']),
    selection: waitlistSelection,
    pace: z.enum(['general', 'invitations']).optional(),
    notify: z.boolean().optional(),
  })
  .strict();

export const parsers: Parsers = {
  'app:info': none,
  'profiles:list': none,
  'profiles:add': z
    .object({ name, secretKey, baseUrl: baseUrl.optional(), activate: z.boolean().optional() })
    .strict()
    .transform((v) => ({
      name: v.name,
      secretKey: v.secretKey,
      ...(v.baseUrl === undefined ? {} : { baseUrl: v.baseUrl }),
      ...(v.activate === undefined ? {} : { activate: v.activate }),
    })),
  'profiles:rename': z.object({ id, name }).strict(),
  'profiles:replaceKey': z.object({ id, secretKey }).strict(),
  'profiles:delete': z
    .object({ id, keepHistory: z.boolean().optional() })
    .strict()
    .transform((v) => (v.keepHistory === undefined ? { id: v.id } : { id: v.id, keepHistory: v.keepHistory })),
  'profiles:select': z.object({ id }).strict(),
  'profiles:check': z.object({ id }).strict(),
  'sheets:list': none,
  'sheets:get': z.object({ id }).strict(),
  'sheets:create': z
    .object({ name: sheetName, settings, columns, rows: rows.optional(), packed: packed.optional() })
    .strict()
    .refine((v) => (v.rows === undefined) !== (v.packed === undefined), 'A new sheet has rows or packed rows (one of the two)')
    .transform((v) => {
      const { rows: r, packed: p, ...rest } = v;
      return p !== undefined ? { ...rest, packed: p } : { ...rest, rows: r! };
    }),
  'sheets:save': z
    .object({
      id,
      name: sheetName.optional(),
      settings: settings.optional(),
      columns: columns.optional(),
      rows: rows.optional(),
      patches: patches.optional(),
      baseVersion: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict()
    .transform((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as { id: string }),
  'sheets:duplicate': z.object({ id }).strict(),
  'sheets:delete': z.object({ id }).strict(),
  'sheets:restore': z.object({ id }).strict(),
  'mappings:get': z.object({ headers }).strict(),
  'mappings:save': z.object({ headers, columns }).strict(),
  'orgs:list': z
    .object({ profileId: id, query: z.string().max(200).optional() })
    .strict()
    .transform((v) => (v.query === undefined ? { profileId: v.profileId } : { profileId: v.profileId, query: v.query })),
  'orgs:roles': z.object({ profileId: id, organizationId: clerkId('organization') }).strict(),
  'runs:review': z
    .object({ sheetId: id, profileId: id, resend: resendGroups.optional(), existing: existingChoice.optional() })
    .strict()
    .transform((v) => ({
      sheetId: v.sheetId,
      profileId: v.profileId,
      ...(v.resend === undefined ? {} : { resend: v.resend }),
      ...(v.existing === undefined ? {} : { existing: v.existing }),
    })),
  'runs:dryRun': z
    .object({ sheetId: id, profileId: id, existing: existingChoice.optional() })
    .strict()
    .transform((v) => ({ sheetId: v.sheetId, profileId: v.profileId, ...(v.existing === undefined ? {} : { existing: v.existing }) })),
  'runs:start': z
    .object({
      sheetId: id,
      profileId: id,
      confirmName: z.string().max(200).optional(),
      resend: resendGroups.optional(),
      onlyFit: z.boolean().optional(),
      existing: existingChoice.optional(),
    })
    .strict()
    .transform((v) => ({
      sheetId: v.sheetId,
      profileId: v.profileId,
      ...(v.confirmName === undefined ? {} : { confirmName: v.confirmName }),
      ...(v.resend === undefined ? {} : { resend: v.resend }),
      ...(v.onlyFit === undefined ? {} : { onlyFit: v.onlyFit }),
      ...(v.existing === undefined ? {} : { existing: v.existing }),
    })),
  'runs:pause': z.object({ runId: id }).strict(),
  'runs:resume': z.object({ runId: id }).strict(),
  'runs:cancel': z.object({ runId: id }).strict(),
  'runs:list': none,
  'runs:get': z
    .object({
      runId: id,
      changedSince: z.number().int().min(0).optional(),
      state: rowFilter.optional(),
      offset: rowIdx.optional(),
      limit: z.number().int().min(1).max(RUN_PAGE_MAX).optional(),
      around: rowIdx.optional(),
    })
    .strict()
    .transform((v) => {
      const out: Args<'runs:get'> = { runId: v.runId };
      if (v.changedSince !== undefined) out.changedSince = v.changedSince;
      if (v.state !== undefined) out.state = v.state;
      if (v.offset !== undefined) out.offset = v.offset;
      if (v.limit !== undefined) out.limit = v.limit;
      if (v.around !== undefined) out.around = v.around;
      return out;
    }),
  'runs:tally': z.object({ runId: id, rows: rowIdxs }).strict(),
  'runs:links': z
    .object({ runId: id, rows: rowIdxs.optional() })
    .strict()
    .transform((v) => (v.rows === undefined ? { runId: v.runId } : { runId: v.runId, rows: v.rows })),
  'runs:rowIds': z
    .object({ runId: id, state: rowFilter.optional() })
    .strict()
    .transform((v) => (v.state === undefined ? { runId: v.runId } : { runId: v.runId, state: v.state })),
  'history:search': z.object({ email: z.string().max(320) }).strict(),
  'runs:export': z.object({ runId: id }).strict(),
  'history:retention': none,
  'history:setRetention': z.object({ days: z.number().int().min(1).max(3650).nullable() }).strict(),
  'runs:toSheet': z.object({ runId: id, which: z.enum(['all', 'failed']) }).strict(),
  'history:sync': z.union([z.object({ runId: id }).strict(), z.object({ profileId: id }).strict()]),
  'runs:followUp': z
    .object({
      runId: id,
      which: z.enum(['failed', 'unsent', 'expired_or_revoked', 'revoke_pending']),
      confirmName: z.string().max(200).optional(),
      rows: z.array(z.number().int().min(0)).max(LIMITS.rows).optional(),
    })
    .strict()
    .transform((v) => ({
      runId: v.runId,
      which: v.which,
      ...(v.confirmName === undefined ? {} : { confirmName: v.confirmName }),
      ...(v.rows === undefined ? {} : { rows: v.rows }),
    })),
  'metadata:check': z.object({ runId: id }).strict(),
  'metadata:summary': z.object({ runId: id }).strict(),
  'metadata:review': repairChoice.transform(repairChoiceOf),
  'metadata:repair': repairChoice
    .extend({ confirmName: z.string().max(200).optional() })
    .transform(({ confirmName, ...c }) => ({ ...repairChoiceOf(c), ...(confirmName === undefined ? {} : { confirmName }) })),
  'sandbox:accept': z
    .object({ runId: id, lostInBulk: z.boolean().optional() })
    .strict()
    .transform((v) => (v.lostInBulk === undefined ? { runId: v.runId } : { runId: v.runId, lostInBulk: v.lostInBulk })),
  'waitlist:state': z.object({ profileId: id }).strict(),
  'waitlist:sync': z.object({ profileId: id }).strict(),
  'waitlist:page': z
    .object({
      profileId: id,
      filter: waitlistFilter,
      offset: z.number().int().min(0).max(10_000_000),
      limit: z.number().int().min(1).max(RUN_PAGE_MAX),
    })
    .strict(),
  'waitlist:review': waitlistRun.transform((v) => defined(v)),
  'waitlist:toSheet': z.object({ profileId: id, selection: waitlistSelection }).strict(),
  'waitlist:start': waitlistRun
    .extend({ confirmName: z.string().max(200).optional() })
    .strict()
    .transform((v) => defined(v)),
  ...inventoryParsers,
  ...workspaceParsers,
  ...approvalsParsers,
};

/** A repair's choice: the run, the different keys ticked to overwrite (as the review names them), the rows picked. */
function repairChoiceOf(v: { runId: string; overwrite?: string[] | undefined; rows?: number[] | undefined }) {
  return {
    runId: v.runId,
    ...(v.overwrite === undefined ? {} : { overwrite: v.overwrite }),
    ...(v.rows === undefined ? {} : { rows: v.rows }),
  };
}

/** Drops keys zod left undefined (optional fields under exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(v: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export type ParseFailure = { field: string | undefined; message: string };

export function parseArgs<C extends Channel>(
  channel: C,
  raw: unknown,
): { ok: true; value: Args<C> } | { ok: false; failure: ParseFailure } {
  const parsed = parsers[channel].safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : undefined;
  // zod's messages can quote the input (an unknown key of a megabyte): never pass more than a line on.
  const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);
  return {
    ok: false,
    failure: { field: field === undefined ? undefined : cut(field, 100), message: cut(issue?.message ?? 'Invalid arguments', 200) },
  };
}
