/**
 * One row's rules: the exact request a row of cells makes under the sheet's settings, template and columns, or
 * each problem with it (field by field: email, role, expiry, redirect, inviter, metadata). Pure; used once per row.
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

/** Builds one row's request (or its problems). `cells` are the row's texts in column order. */
export function buildRow(
  row: number,
  cells: readonly string[],
  columns: readonly SheetColumn[],
  settings: SheetSettings,
  template: Template,
  plan: ColumnPlan = planColumns(columns),
): RowOutcome {
  // Runs once per row of a 100,000-row import: no per-row closures, tuples or { col, text } objects.
  let problems: Problem[] | null = null;
  const fail = (col: number | null, message: string, sheet = false) =>
    (problems ??= []).push(sheet ? { row, col, message, sheet: true } : { row, col, message });
  // A value from a cell is this row's problem; a value from the sheet's settings (no cell) is the sheet's.
  const orSheet = (col: number | null | undefined, message: string) => (col == null ? fail(null, message, true) : fail(col, message));
  let pub: Record<string, unknown> = template.public;
  let priv: Record<string, unknown> = template.private;
  const metaCols = plan.metaCols;
  const fields = plan.fields;
  // JSON metadata cells first, then single keys on top.
  const pubCol = fields.get('public_metadata');
  if (pubCol !== undefined) {
    const parsed = parseObjectCell(cells[pubCol] ?? '');
    if (!parsed.ok) fail(pubCol, parsed.message);
    else pub = deepMerge(pub, parsed.value);
  }
  const privCol = fields.get('private_metadata');
  if (privCol !== undefined) {
    const parsed = parseObjectCell(cells[privCol] ?? '');
    if (!parsed.ok) fail(privCol, parsed.message);
    else priv = deepMerge(priv, parsed.value);
  }
  for (const col of metaCols) {
    const c = columns[col]!;
    if (c.target.kind !== 'meta') continue;
    const reserved = plan.reserved.get(col);
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

  const emailCol = fields.get('email');
  const checked = checkEmail(emailCol === undefined ? '' : (cells[emailCol] ?? ''));
  const emailText = checked.email;
  if (emailCol === undefined) fail(null, 'No column is mapped to Email', true);
  else if (!checked.ok) fail(emailCol, checked.reason);

  const request: RowRequest = {
    emailAddress: emailText,
    publicMetadata: pub,
    privateMetadata: priv,
    notify: settings.notify,
    ignoreExisting: settings.ignoreExisting,
  };
  // A field's trimmed cell when its column is mapped and the cell is not blank, else null (then the setting counts).
  const cellOf = (f: Field): string | null => {
    const col = fields.get(f);
    if (col === undefined) return null;
    const t = (cells[col] ?? '').trim();
    return t === '' ? null : t;
  };

  const notifyText = cellOf('notify');
  if (notifyText !== null) {
    const b = parseBoolean(notifyText);
    if (b === null) fail(fields.get('notify')!, `“${excerpt(notifyText)}” is not true/false (or yes/no, 1/0)`);
    else request.notify = b;
  }
  const ignoreText = cellOf('ignore_existing');
  if (ignoreText !== null) {
    const b = parseBoolean(ignoreText);
    if (b === null) fail(fields.get('ignore_existing')!, `“${excerpt(ignoreText)}” is not true/false (or yes/no, 1/0)`);
    else request.ignoreExisting = b;
  }
  const daysCell = cellOf('expires_in_days');
  const days = daysCell ?? settings.expiresInDays.trim();
  if (days !== '') {
    const n = Number(days);
    if (!/^\d+$/.test(days) || n < 1 || n > 365)
      orSheet(
        daysCell === null ? null : fields.get('expires_in_days'),
        `Expires in days must be a whole number from 1 to 365, not “${excerpt(days)}”`,
      );
    else request.expiresInDays = n;
  }
  const redirectCell = cellOf('redirect_url');
  const redirect = redirectCell ?? settings.redirectUrl.trim();
  if (redirect !== '') {
    if (!isHttpUrl(redirect))
      orSheet(redirectCell === null ? null : fields.get('redirect_url'), `“${excerpt(redirect)}” is not a valid http(s) URL`);
    else request.redirectUrl = redirect;
  }
  const slugCell = cellOf('template_slug');
  const slug = slugCell ?? settings.templateSlug.trim();
  if (slug !== '') {
    if (slug !== 'invitation' && slug !== 'waitlist_invitation')
      orSheet(slugCell === null ? null : fields.get('template_slug'), 'Template must be invitation or waitlist_invitation');
    else if (settings.kind === 'app') request.templateSlug = slug;
  }
  let orgId = '';
  if (settings.kind === 'org') {
    const orgCell = cellOf('organization_id');
    orgId = orgCell ?? settings.organizationId.trim();
    const orgCol = fields.get('organization_id');
    if (orgId === '') orSheet(orgCol, 'Pick an organization in the sheet settings (or map an Organization ID column)');
    else if (idProblem('organization', orgId))
      orSheet(orgCol, `${idProblem('organization', orgId)}: pick the organization in the sheet settings`);
    else request.organizationId = orgId;
    // No role in the cell nor in the settings: one problem of the sheet, fixed by a default role (after the
    // organization, whose role set it comes from), not one per blank cell.
    const role = cellOf('role') ?? settings.role.trim();
    if (role === '')
      fail(
        null,
        fields.has('role')
          ? 'Pick a default role in the sheet settings: some rows’ Role cells are blank'
          : 'Pick a default role in the sheet settings (or map a Role column)',
        true,
      );
    else request.role = role;
    const inviter = cellOf('inviter_user_id') ?? settings.inviterUserId.trim();
    if (inviter !== '') request.inviterUserId = inviter;
  } else {
    if (Object.keys(priv).length > 0) {
      const col =
        privCol ??
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
  if (raw * 6 >= METADATA_LIMIT_BYTES) {
    const pubSize = utf8Length(JSON.stringify(pub));
    if (pubSize > METADATA_LIMIT_BYTES) fail(pubCol ?? null, `Public metadata is ${pubSize} bytes; Clerk allows 8192`);
    const privSize = utf8Length(JSON.stringify(priv));
    if (privSize > METADATA_LIMIT_BYTES) fail(privCol ?? null, `Private metadata is ${privSize} bytes; Clerk allows 8192`);
  }
  const key = checked.ok ? emailKey(emailText) + (settings.kind === 'org' ? `|${orgId}` : '') : undefined;
  if (problems !== null) return key === undefined ? { ok: false, problems } : { ok: false, problems, key };
  return key === undefined ? { ok: true, request } : { ok: true, request, key };
}
