/**
 * Live validation of a whole sheet, and the exact request each valid row will send.
 * Pure and fast: 100,000 rows in well under a second.
 */
import { idProblem } from '../ids.ts';
import { checkEmail } from '../email.ts';
import { excerpt, parseBoolean, parseObjectCell, RESERVED_KEYS, setPath, typeValue, utf8Length, deepMerge } from './values.ts';
import type { Field, SheetColumn, SheetDoc, SheetSettings } from './types.ts';

export const METADATA_LIMIT_BYTES = 8192;

/** `sheet`: the sheet as a whole lacks something (a setting, a mapped column), so every row has the same problem;
 * the sheet's list names it once (row -1) while each row's own outcome still carries it, so the row is not sent. */
export type Problem = { row: number; col: number | null; message: string; sheet?: true };

export type RowRequest = {
  emailAddress: string;
  publicMetadata: Record<string, unknown>;
  privateMetadata: Record<string, unknown>;
  notify: boolean;
  ignoreExisting: boolean;
  expiresInDays?: number;
  redirectUrl?: string;
  templateSlug?: 'invitation' | 'waitlist_invitation';
  role?: string;
  organizationId?: string;
  inviterUserId?: string;
  /** Revoke runs: the invitation to revoke (the rest of the request is kept for the record). */
  revokeInvitationId?: string;
};

/** `key`: what duplicates are found by (normalised email, and the organization on org sheets), set whenever the
 * email itself is valid, so a second copy of a row with another problem still counts as a duplicate. */
export type RowOutcome = { ok: true; request: RowRequest; key?: string } | { ok: false; problems: Problem[]; key?: string };

export type SheetValidation = {
  /** Per row: null when it will be sent, else why not. */
  rows: (RowOutcome & { duplicateOf?: number })[];
  /** The sheet's problems (each once, row -1) first, then the rows' own. */
  problems: Problem[];
  /** row → col → message, for marking cells. */
  cellErrors: Map<number, Map<number, string>>;
  validCount: number;
  invalidCount: number;
  duplicateCount: number;
};

type Template = { public: Record<string, unknown>; private: Record<string, unknown>; error: string | null; size: number };

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
export type ColumnPlan = { fields: Map<Field, number>; metaCols: number[] };
export function planColumns(columns: readonly SheetColumn[]): ColumnPlan {
  const fields = new Map<Field, number>();
  const metaCols: number[] = [];
  columns.forEach((c, col) => {
    if (c.target.kind === 'field') fields.set(c.target.field, col);
    else if (c.target.kind === 'meta') metaCols.push(col);
  });
  return { fields, metaCols };
}

/** Builds one row's request (or its problems). `cells` are the row's texts in column order. */
export function buildRow(
  row: number,
  cells: readonly string[],
  columns: readonly SheetColumn[],
  settings: SheetSettings,
  template: Template,
  plan: ColumnPlan = planColumns(columns),
): RowOutcome {
  const problems: Problem[] = [];
  const fail = (col: number | null, message: string) => problems.push({ row, col, message });
  const failSheet = (message: string) => problems.push({ row, col: null, message, sheet: true });
  // A value from a cell is this row's problem; a value from the sheet's settings (no cell) is the sheet's.
  const orSheet = (col: number | null | undefined, message: string) => (col == null ? failSheet(message) : fail(col, message));
  let pub: Record<string, unknown> = template.public;
  let priv: Record<string, unknown> = template.private;
  const metaCols = plan.metaCols;
  const field = {
    get: (f: Field): { col: number; text: string } | undefined => {
      const col = plan.fields.get(f);
      return col === undefined ? undefined : { col, text: cells[col] ?? '' };
    },
  };
  // JSON metadata cells first, then single keys on top.
  for (const [name, scope] of [
    ['public_metadata', 'public'],
    ['private_metadata', 'private'],
  ] as const) {
    const f = field.get(name);
    if (!f) continue;
    const parsed = parseObjectCell(f.text);
    if (!parsed.ok) fail(f.col, parsed.message);
    else if (scope === 'public') pub = deepMerge(pub, parsed.value);
    else priv = deepMerge(priv, parsed.value);
  }
  for (const col of metaCols) {
    const c = columns[col]!;
    if (c.target.kind !== 'meta') continue;
    const reserved = c.target.path.split('.').find((k) => RESERVED_KEYS.has(k));
    if (reserved) {
      fail(
        col,
        `Metadata key “${excerpt(c.target.path)}” is not allowed (${reserved} is reserved in JavaScript and would be lost); rename it`,
      );
      continue;
    }
    const text = cells[col] ?? '';
    let value: unknown;
    if (text.trim() === '') {
      if (settings.blankCells === 'omit') continue;
      value = null;
    } else {
      const typed = typeValue(text, c.target.type);
      if (!typed.ok) {
        fail(col, typed.message);
        continue;
      }
      value = typed.value;
    }
    const set = setPath(c.target.scope === 'public' ? pub : priv, c.target.path, value);
    if (!set.ok) fail(col, set.message);
    else if (c.target.scope === 'public') pub = set.value;
    else priv = set.value;
  }

  const email = field.get('email');
  const checked = checkEmail(email?.text ?? '');
  const emailText = checked.email;
  if (!email) failSheet('No column is mapped to Email');
  else if (!checked.ok) fail(email.col, checked.reason);

  const text = (f: Field, fallback: string) => {
    const v = field.get(f);
    return v && v.text.trim() !== '' ? { col: v.col as number | null, value: v.text.trim() } : { col: null, value: fallback.trim() };
  };
  const request: RowRequest = {
    emailAddress: emailText,
    publicMetadata: pub,
    privateMetadata: priv,
    notify: settings.notify,
    ignoreExisting: settings.ignoreExisting,
  };

  for (const [f, key] of [
    ['notify', 'notify'],
    ['ignore_existing', 'ignoreExisting'],
  ] as const) {
    const v = field.get(f);
    if (v && v.text.trim() !== '') {
      const b = parseBoolean(v.text);
      if (b === null) fail(v.col, `“${excerpt(v.text.trim())}” is not true/false (or yes/no, 1/0)`);
      else request[key] = b;
    }
  }
  const days = text('expires_in_days', settings.expiresInDays);
  if (days.value !== '') {
    const n = Number(days.value);
    if (!/^\d+$/.test(days.value) || n < 1 || n > 365)
      orSheet(days.col, `Expires in days must be a whole number from 1 to 365, not “${excerpt(days.value)}”`);
    else request.expiresInDays = n;
  }
  const redirect = text('redirect_url', settings.redirectUrl);
  if (redirect.value !== '') {
    if (!isHttpUrl(redirect.value)) orSheet(redirect.col, `“${excerpt(redirect.value)}” is not a valid http(s) URL`);
    else request.redirectUrl = redirect.value;
  }
  const slug = text('template_slug', settings.templateSlug);
  if (slug.value !== '') {
    if (slug.value !== 'invitation' && slug.value !== 'waitlist_invitation')
      orSheet(slug.col, 'Template must be invitation or waitlist_invitation');
    else if (settings.kind === 'app') request.templateSlug = slug.value;
  }
  if (settings.kind === 'org') {
    // A blank cell in a mapped column is this row's problem; no column and no setting is the sheet's.
    const role = text('role', settings.role);
    if (role.value === '') orSheet(role.col ?? field.get('role')?.col, 'Role is required for organization invitations');
    else request.role = role.value;
    const org = text('organization_id', settings.organizationId);
    const orgCol = org.col ?? field.get('organization_id')?.col;
    if (org.value === '') orSheet(orgCol, 'Pick an organization in the sheet settings (or map an Organization ID column)');
    else if (idProblem('organization', org.value))
      orSheet(orgCol, `${idProblem('organization', org.value)}: pick the organization in the sheet settings`);
    else request.organizationId = org.value;
    const inviter = text('inviter_user_id', settings.inviterUserId);
    if (inviter.value !== '') request.inviterUserId = inviter.value;
  } else {
    if (Object.keys(priv).length > 0) {
      const col =
        field.get('private_metadata')?.col ??
        metaCols.find((c) => columns[c]?.target.kind === 'meta' && (columns[c]!.target as { scope: string }).scope === 'private') ??
        null;
      const message = 'Application invitations have no private metadata; use public metadata or an organization sheet';
      // Only the template's private metadata (no column of the row) is the same for every row.
      orSheet(col, message);
    }
  }
  // Metadata here comes only from the template, this row's cells and the column keys. JSON escaping turns one
  // UTF-16 unit into at most 6 bytes, so when 6 × that text (plus structure) is under the limit, serializing
  // to measure it is unnecessary: 100,000 rows validate noticeably faster.
  let raw = template.size + 16;
  for (const c of cells) raw += c.length + 8;
  for (const c of metaCols) raw += (columns[c]?.target as { path?: string }).path?.length ?? 0;
  const surelySmall = raw * 6 < METADATA_LIMIT_BYTES;
  for (const [scope, obj] of [
    ['Public', pub],
    ['Private', priv],
  ] as const) {
    if (surelySmall) break;
    const size = utf8Length(JSON.stringify(obj));
    if (size > METADATA_LIMIT_BYTES)
      fail(
        field.get(scope === 'Public' ? 'public_metadata' : 'private_metadata')?.col ?? null,
        `${scope} metadata is ${size} bytes; Clerk allows 8192`,
      );
  }
  const key = checked.ok
    ? emailText.toLowerCase() + (settings.kind === 'org' ? `|${text('organization_id', settings.organizationId).value}` : '')
    : undefined;
  if (problems.length > 0) return key === undefined ? { ok: false, problems } : { ok: false, problems, key };
  return key === undefined ? { ok: true, request } : { ok: true, request, key };
}

/** buildRow, but a row that breaks it (a bug, or input beyond every check) becomes that row's problem alone. */
function buildRowSafely(...args: Parameters<typeof buildRow>): RowOutcome {
  try {
    return buildRow(...args);
  } catch (e) {
    const message = excerpt(e instanceof Error ? e.message : String(e), 160);
    return { ok: false, problems: [{ row: args[0], col: null, message: `This row could not be checked (${message}); edit or delete it` }] };
  }
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * Row outcomes cached by row identity: rows are immutable arrays, so an edit replaces only the rows it
 * touched and live validation of a 100,000-row sheet re-checks just those (plus the cheap duplicate pass).
 */
export type RowCache = { columns: unknown; settings: unknown; rows: (readonly string[])[]; outcomes: RowOutcome[] };
export const createRowCache = (): RowCache => ({ columns: null, settings: null, rows: [], outcomes: [] });

export function validateSheet(sheet: Pick<SheetDoc, 'columns' | 'rows' | 'settings'>, cache: RowCache = createRowCache()): SheetValidation {
  if (cache.columns !== sheet.columns || cache.settings !== sheet.settings) {
    cache.columns = sheet.columns;
    cache.settings = sheet.settings;
    cache.rows = [];
    cache.outcomes = [];
  }
  // Index-aligned arrays (a hit is the same row object at the same index): far cheaper than a WeakMap.
  const prevRows = cache.rows;
  const prevOutcomes = cache.outcomes;
  const nextRows: (readonly string[])[] = new Array(sheet.rows.length);
  const nextOutcomes: RowOutcome[] = new Array(sheet.rows.length);
  const template = templateOf(sheet.settings);
  const plan = planColumns(sheet.columns);
  const rows: SheetValidation['rows'] = [];
  const problems: Problem[] = [];
  const sheetProblems: Problem[] = [];
  const cellErrors = new Map<number, Map<number, string>>();
  const firstByEmail = new Map<string, number>();
  const emailCol = sheet.columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'email');
  let validCount = 0;
  let duplicateCount = 0;
  const sheetWide = new Set<string>();
  const mark = (p: Problem) => {
    if (p.sheet) {
      if (!sheetWide.has(p.message)) {
        sheetWide.add(p.message);
        sheetProblems.push({ row: -1, col: null, message: p.message, sheet: true });
      }
      return;
    }
    problems.push(p);
    if (p.col !== null) {
      let m = cellErrors.get(p.row);
      if (!m) cellErrors.set(p.row, (m = new Map()));
      if (!m.has(p.col)) m.set(p.col, p.message);
    }
  };
  if (template.error) mark({ row: -1, col: null, message: template.error, sheet: true });
  for (let r = 0; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r]!;
    if (isBlankRow(cells)) {
      rows.push({ ok: false, problems: [] });
      continue;
    }
    let outcome = prevRows[r] === cells ? prevOutcomes[r] : undefined;
    if (!outcome) outcome = buildRowSafely(r, cells, sheet.columns, sheet.settings, template, plan);
    nextRows[r] = cells;
    nextOutcomes[r] = outcome;
    const key = outcome.key;
    const first = key === undefined ? undefined : firstByEmail.get(key);
    if (first !== undefined) {
      // A second copy is never sent, whether or not the first one is ready yet.
      const p = { row: r, col: emailCol >= 0 ? emailCol : null, message: `Duplicate of row ${first + 1}: only the first is sent` };
      mark(p);
      const own = outcome.ok ? [] : outcome.problems;
      own.forEach(mark);
      rows.push({ ok: false, problems: [p, ...own], duplicateOf: first });
      duplicateCount++;
      continue;
    }
    if (key !== undefined) firstByEmail.set(key, r);
    if (!outcome.ok) {
      outcome.problems.forEach(mark);
      rows.push(outcome);
      continue;
    }
    rows.push(outcome);
    validCount++;
  }
  cache.rows = nextRows;
  cache.outcomes = nextOutcomes;
  const blank = rows.filter((o, i) => !o.ok && o.problems.length === 0 && isBlankRow(sheet.rows[i]!)).length;
  return {
    rows,
    problems: sheetProblems.length > 0 ? [...sheetProblems, ...problems] : problems,
    cellErrors,
    validCount,
    invalidCount: rows.length - validCount - duplicateCount - blank,
    duplicateCount,
  };
}
