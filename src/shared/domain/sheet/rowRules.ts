/**
 * One row's rules: the exact request a row of cells makes under the sheet's settings, template and columns, or
 * each problem with it: a table of small checks (metadata, email, flags, expiry, redirect, template, organization,
 * metadata size), each a function of the row's context. Pure; used once per row.
 */
import { idProblem } from '../ids.ts';
import { checkEmail, emailKey } from '../email.ts';
import { excerpt, parseBoolean, parseObjectCell, RESERVED_KEYS, setPath, typeValue, utf8Length, deepMerge } from './values.ts';
import type { Field, SheetColumn, SheetSettings } from './types.ts';
import type { Problem, RowOutcome, RowRequest } from './validate.ts';

export const METADATA_LIMIT_BYTES = 8192;

export type Template = { public: Record<string, unknown>; private: Record<string, unknown>; error: string | null; size: number };

export function templateOf(settings: SheetSettings): Template {
  const pub = parseObjectCell(settings.templatePublic);
  const priv = parseObjectCell(settings.templatePrivate);
  return {
    public: pub.ok ? pub.value : {},
    private: priv.ok ? priv.value : {},
    error: !pub.ok ? `Template public metadata: ${pub.message}` : !priv.ok ? `Template private metadata: ${priv.message}` : null,
    size: settings.templatePublic.length + settings.templatePrivate.length,
  };
}

const isHttpUrl = (s: string) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(s);

/** Where each field and metadata key lives: computed once per sheet, not once per row. */
export type ColumnPlan = {
  fields: Map<Field, number>;
  metaCols: number[];
  /** Per metadata column: the reserved key its path holds, if any (the same for every row). */
  reserved: Map<number, string>;
};
export function planColumns(columns: readonly SheetColumn[]): ColumnPlan {
  const fields = new Map<Field, number>();
  const metaCols: number[] = [];
  const reserved = new Map<number, string>();
  columns.forEach((c, col) => {
    if (c.target.kind === 'field') fields.set(c.target.field, col);
    else if (c.target.kind === 'meta') {
      metaCols.push(col);
      const r = c.target.path.split('.').find((k) => RESERVED_KEYS.has(k));
      if (r) reserved.set(col, r);
    }
  });
  return { fields, metaCols, reserved };
}

/** What the checks of one row share: its cells, where each field is, the request as built so far, and its problems. */
type RowCtx = {
  row: number;
  cells: readonly string[];
  columns: readonly SheetColumn[];
  settings: SheetSettings;
  template: Template;
  plan: ColumnPlan;
  pub: Record<string, unknown>;
  priv: Record<string, unknown>;
  request: RowRequest;
  email: ReturnType<typeof checkEmail>;
  orgId: string;
  problems: Problem[] | null;
};

const fail = (x: RowCtx, col: number | null, message: string, sheet = false) =>
  (x.problems ??= []).push(sheet ? { row: x.row, col, message, sheet: true } : { row: x.row, col, message });
/** A value from a cell is this row's problem; a value from the sheet's settings (no cell) is the sheet's. */
const orSheet = (x: RowCtx, col: number | null | undefined, message: string) =>
  col == null ? fail(x, null, message, true) : fail(x, col, message);
/** A field's trimmed cell when its column is mapped and the cell is not blank, else null (then the setting counts). */
const cellOf = (x: RowCtx, f: Field): string | null => {
  const col = x.plan.fields.get(f);
  if (col === undefined) return null;
  const t = (x.cells[col] ?? '').trim();
  return t === '' ? null : t;
};

const JSON_CELLS = [
  ['public_metadata', 'pub'],
  ['private_metadata', 'priv'],
] as const;

/** JSON metadata cells, merged over the template's. */
function metadataCells(x: RowCtx): void {
  for (const [field, scope] of JSON_CELLS) {
    const col = x.plan.fields.get(field);
    if (col === undefined) continue;
    const parsed = parseObjectCell(x.cells[col] ?? '');
    if (!parsed.ok) fail(x, col, parsed.message);
    else x[scope] = deepMerge(x[scope], parsed.value);
  }
}

/** Single metadata keys (one column each), on top of the JSON cells. */
function metadataKeys(x: RowCtx): void {
  for (const col of x.plan.metaCols) {
    const c = x.columns[col]!;
    if (c.target.kind !== 'meta') continue;
    const reserved = x.plan.reserved.get(col);
    if (reserved) {
      fail(
        x,
        col,
        `Metadata key “${excerpt(c.target.path)}” is not allowed (${reserved} is reserved in JavaScript and would be lost); rename it`,
      );
      continue;
    }
    const text = x.cells[col] ?? '';
    let value: unknown = null;
    if (text.trim() === '') {
      if (x.settings.blankCells === 'omit') continue;
    } else {
      const typed = typeValue(text, c.target.type);
      if (!typed.ok) {
        fail(x, col, typed.message);
        continue;
      }
      value = typed.value;
    }
    const scope = c.target.scope === 'public' ? 'pub' : 'priv';
    const set = setPath(x[scope], c.target.path, value);
    if (!set.ok) fail(x, col, set.message);
    else x[scope] = set.value;
  }
}

function email(x: RowCtx): void {
  const col = x.plan.fields.get('email');
  if (col === undefined) fail(x, null, 'No column is mapped to Email', true);
  else if (!x.email.ok) fail(x, col, x.email.reason);
}

/** A true/false cell that overrides the sheet's setting for this row. */
const flag = (field: 'notify' | 'ignore_existing', key: 'notify' | 'ignoreExisting') => (x: RowCtx) => {
  const text = cellOf(x, field);
  if (text === null) return;
  const b = parseBoolean(text);
  if (b === null) fail(x, x.plan.fields.get(field)!, `“${excerpt(text)}” is not true/false (or yes/no, 1/0)`);
  else x.request[key] = b;
};

function expiry(x: RowCtx): void {
  const cell = cellOf(x, 'expires_in_days');
  const days = cell ?? x.settings.expiresInDays.trim();
  if (days === '') return;
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < 1 || n > 365)
    orSheet(
      x,
      cell === null ? null : x.plan.fields.get('expires_in_days'),
      `Expires in days must be a whole number from 1 to 365, not “${excerpt(days)}”`,
    );
  else x.request.expiresInDays = n;
}

function redirect(x: RowCtx): void {
  const cell = cellOf(x, 'redirect_url');
  const url = cell ?? x.settings.redirectUrl.trim();
  if (url === '') return;
  if (!isHttpUrl(url)) orSheet(x, cell === null ? null : x.plan.fields.get('redirect_url'), `“${excerpt(url)}” is not a valid http(s) URL`);
  else x.request.redirectUrl = url;
}

function emailTemplate(x: RowCtx): void {
  const cell = cellOf(x, 'template_slug');
  const slug = cell ?? x.settings.templateSlug.trim();
  if (slug === '') return;
  if (slug !== 'invitation' && slug !== 'waitlist_invitation')
    orSheet(x, cell === null ? null : x.plan.fields.get('template_slug'), 'Template must be invitation or waitlist_invitation');
  else if (x.settings.kind === 'app') x.request.templateSlug = slug;
}

/** An organization row: the organization, its role (a sheet problem when none at all) and the inviter. */
function organization(x: RowCtx): void {
  if (x.settings.kind !== 'org') return;
  x.orgId = cellOf(x, 'organization_id') ?? x.settings.organizationId.trim();
  const orgCol = x.plan.fields.get('organization_id');
  const bad = x.orgId === '' ? null : idProblem('organization', x.orgId);
  if (x.orgId === '') orSheet(x, orgCol, 'Pick an organization in the sheet settings (or map an Organization ID column)');
  else if (bad) orSheet(x, orgCol, `${bad}: pick the organization in the sheet settings`);
  else x.request.organizationId = x.orgId;
  // No role in the cell nor in the settings: one problem of the sheet, fixed by a default role (after the
  // organization, whose role set it comes from), not one per blank cell.
  const role = cellOf(x, 'role') ?? x.settings.role.trim();
  if (role === '')
    fail(
      x,
      null,
      x.plan.fields.has('role')
        ? 'Pick a default role in the sheet settings: some rows’ Role cells are blank'
        : 'Pick a default role in the sheet settings (or map a Role column)',
      true,
    );
  else x.request.role = role;
  const inviter = cellOf(x, 'inviter_user_id') ?? x.settings.inviterUserId.trim();
  if (inviter !== '') x.request.inviterUserId = inviter;
}

/** Application invitations carry no private metadata. */
function appPrivate(x: RowCtx): void {
  if (x.settings.kind === 'org' || Object.keys(x.priv).length === 0) return;
  const { fields, metaCols } = x.plan;
  const col =
    fields.get('private_metadata') ??
    metaCols.find((c) => x.columns[c]?.target.kind === 'meta' && (x.columns[c]!.target as { scope: string }).scope === 'private') ??
    null;
  // Only the template's private metadata (no column of the row) is the same for every row.
  orSheet(x, col, 'Application invitations have no private metadata; use public metadata or an organization sheet');
}

/**
 * Clerk's 8 KB per metadata object. JSON escaping turns one UTF-16 unit into at most 6 bytes, so when 6 × the text it
 * comes from (template, cells, column keys, plus structure) is under the limit, serializing to measure it is
 * unnecessary: 100,000 rows validate noticeably faster.
 */
function metadataSize(x: RowCtx): void {
  let raw = x.template.size + 16;
  for (const c of x.cells) raw += c.length + 8;
  for (const c of x.plan.metaCols) raw += (x.columns[c]?.target as { path?: string }).path?.length ?? 0;
  if (raw * 6 < METADATA_LIMIT_BYTES) return;
  const pubSize = utf8Length(JSON.stringify(x.pub));
  if (pubSize > METADATA_LIMIT_BYTES)
    fail(x, x.plan.fields.get('public_metadata') ?? null, `Public metadata is ${pubSize} bytes; Clerk allows 8192`);
  const privSize = utf8Length(JSON.stringify(x.priv));
  if (privSize > METADATA_LIMIT_BYTES)
    fail(x, x.plan.fields.get('private_metadata') ?? null, `Private metadata is ${privSize} bytes; Clerk allows 8192`);
}

/** Before the request exists: its metadata and email. */
const FIRST: ((x: RowCtx) => void)[] = [metadataCells, metadataKeys, email];
/** On the request, in the order their problems are listed. */
const THEN: ((x: RowCtx) => void)[] = [
  flag('notify', 'notify'),
  flag('ignore_existing', 'ignoreExisting'),
  expiry,
  redirect,
  emailTemplate,
  organization,
  appPrivate,
  metadataSize,
];

/** Builds one row's request (or its problems). `cells` are the row's texts in column order. */
export function buildRow(
  row: number,
  cells: readonly string[],
  columns: readonly SheetColumn[],
  settings: SheetSettings,
  template: Template,
  plan: ColumnPlan = planColumns(columns),
): RowOutcome {
  // Runs once per row of a 100,000-row import: one context object, checks that are plain functions.
  const emailCol = plan.fields.get('email');
  const x: RowCtx = {
    row,
    cells,
    columns,
    settings,
    template,
    plan,
    pub: template.public,
    priv: template.private,
    request: null as unknown as RowRequest,
    email: checkEmail(emailCol === undefined ? '' : (cells[emailCol] ?? '')),
    orgId: '',
    problems: null,
  };
  for (const check of FIRST) check(x);
  x.request = {
    emailAddress: x.email.email,
    publicMetadata: x.pub,
    privateMetadata: x.priv,
    notify: settings.notify,
    ignoreExisting: settings.ignoreExisting,
  };
  for (const check of THEN) check(x);
  const key = x.email.ok ? emailKey(x.email.email) + (settings.kind === 'org' ? `|${x.orgId}` : '') : undefined;
  const problems = x.problems;
  if (problems !== null) return key === undefined ? { ok: false, problems } : { ok: false, problems, key };
  const request = x.request;
  return key === undefined ? { ok: true, request } : { ok: true, request, key };
}
