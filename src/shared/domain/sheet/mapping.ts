/** Header → column target, with the automatic matches a spreadsheet from the wild needs. */
import { normalizeEmail } from '../email.ts';
import { plural } from '../../plural.ts';
import { addressCount, addressInside, emailColumnByValues } from './emailColumn.ts';
import type { ColumnTarget, Field, SheetColumn } from './types.ts';

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const mentionsEmail = (h: string) => /e?mail|courriel|correo/.test(norm(h));

const SYNONYMS: Record<Field, string[]> = {
  email: [
    'email',
    'emailaddress',
    'mail',
    'emailaddr',
    'useremail',
    'workemail',
    'emailid',
    'courriel',
    'correo',
    'adresseemail',
    'adressemail',
    'emailadresse',
    'mailadresse',
    'correoelectronico',
  ],
  redirect_url: ['redirecturl', 'redirect', 'redirectto', 'returnurl'],
  role: ['role', 'orgrole', 'organizationrole', 'memberrole'],
  organization_id: ['organizationid', 'orgid', 'organisationid'],
  expires_in_days: ['expiresindays', 'expires', 'expiry', 'expirydays', 'expiresin', 'validdays'],
  notify: ['notify', 'sendemail', 'notification', 'sendinvite'],
  ignore_existing: ['ignoreexisting'],
  template_slug: ['templateslug', 'template'],
  inviter_user_id: ['inviteruserid', 'inviterid', 'inviter'],
  public_metadata: ['publicmetadata', 'metadata', 'meta', 'publicmeta'],
  private_metadata: ['privatemetadata'],
};

const BY_SYNONYM = new Map<string, Field>(
  (Object.entries(SYNONYMS) as [Field, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

/** `public.team.name` / `private.seat` headers map straight to metadata keys. */
const META_HEADER = /^\s*(public|private)(?:_metadata)?[.:/](.+?)\s*$/i;

export function suggestTarget(header: string): ColumnTarget {
  const meta = META_HEADER.exec(header);
  if (meta) {
    const path = meta[2]!
      .split(/[./]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .join('.');
    if (path) return { kind: 'meta', scope: meta[1]!.toLowerCase() as 'public' | 'private', path, type: 'auto' };
  }
  const field = BY_SYNONYM.get(norm(header));
  return field ? { kind: 'field', field } : { kind: 'ignore' };
}

/** A column whose filled cells (of the first rows) are all JSON objects: metadata, whatever its header says. */
function holdsJsonObjects(rows: readonly (readonly string[])[], col: number): boolean {
  let seen = 0;
  for (const r of rows.slice(0, 50)) {
    const t = (r[col] ?? '').trim();
    if (t === '') continue;
    if (!t.startsWith('{') || !t.endsWith('}')) return false;
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    } catch {
      return false;
    }
    seen++;
  }
  return seen > 0;
}

/**
 * Suggests a target per header (and, given the data rows, by content: a column of JSON objects is metadata);
 * a field is taken by the first column that matches it.
 */
export function suggestColumns(
  headers: string[],
  makeId: (i: number) => string = (i) => `c${i}`,
  rows: readonly (readonly string[])[] = [],
): SheetColumn[] {
  const taken = new Set<string>();
  const targets = headers.map((h) => suggestTarget(h));
  // The Email column: the header's pick (exactly "Email", else the first that mentions it: “Primary E-mail”,
  // “Adresse courriel”), unless the values say otherwise (Google's "E-mail 1 - Type" holds "* Work").
  const headerPick = targets.findIndex((t) => t.kind === 'field' && t.field === 'email');
  const mentioned = headerPick >= 0 ? headerPick : headers.findIndex((h, j) => targets[j]!.kind === 'ignore' && mentionsEmail(h));
  const chosen = emailColumnByValues(mentioned, (j) => mentionsEmail(headers[j]!), rows, headers.length);
  if (chosen >= 0 && chosen !== headerPick && (targets[chosen]!.kind === 'ignore' || chosen === mentioned)) {
    if (headerPick >= 0) targets[headerPick] = { kind: 'ignore' };
    targets[chosen] = { kind: 'field', field: 'email' };
  }
  targets.forEach((t) => t.kind === 'field' && taken.add(t.field));
  return headers.map((header, i) => {
    let target = targets[i]!;
    if (target.kind === 'field') {
      if (targets.findIndex((t) => t.kind === 'field' && t.field === (target as { field: Field }).field) !== i) target = { kind: 'ignore' };
    } else if (target.kind === 'ignore' && holdsJsonObjects(rows, i)) {
      const field = taken.has('public_metadata') ? null : 'public_metadata';
      if (field) {
        taken.add(field);
        target = { kind: 'field', field };
      }
    }
    return { id: makeId(i), header, target };
  });
}

/** How many rows, and in how many of them each column holds something: all the mapping's notes need of the rows
 * (the import's worker counts them over the whole file; the mapping step holds only the first rows). */
export type ColumnStats = { rows: number; filled: number[] };

export function columnStats(rows: readonly (readonly string[])[], width: number): ColumnStats {
  const filled = new Array<number>(width).fill(0);
  for (const r of rows) for (let i = 0; i < width; i++) if ((r[i] ?? '').trim() !== '') filled[i]!++;
  return { rows: rows.length, filled };
}

/** The counts without the first `n` rows (those above and at the header row), given those rows. */
export function statsAfter(all: ColumnStats, head: readonly (readonly string[])[]): ColumnStats {
  const minus = columnStats(head, all.filled.length);
  return { rows: all.rows - minus.rows, filled: all.filled.map((f, i) => f - minus.filled[i]!) };
}

export type MappingNote = { col: number | null; level: 'warning' | 'error'; message: string };

/** Fields an application invitation has no place for: mapped in an app sheet, they would not be sent. */
const ORG_ONLY: Partial<Record<Field, string>> = {
  role: 'application invitations have no role',
  organization_id: 'application invitations go to no organization',
  inviter_user_id: 'application invitations have no inviter',
};

/**
 * What the mapping will not send, said before the sheet exists: every non-empty column left "Not sent", and
 * columns an application sheet cannot send (a Role, private metadata).
 */
export function mappingNotes(
  columns: readonly SheetColumn[],
  rows: readonly (readonly string[])[] | ColumnStats,
  kind: 'app' | 'org',
  sample: readonly (readonly string[])[] = Array.isArray(rows) ? (rows as readonly (readonly string[])[]) : [],
): MappingNote[] {
  const notes: MappingNote[] = [];
  const stats = Array.isArray(rows) ? columnStats(rows as readonly (readonly string[])[], columns.length) : (rows as ColumnStats);
  const filled = columns.map((_, i) => stats.filled[i] ?? 0);
  const of = (n: number) => `${n.toLocaleString('en-US')} of ${stats.rows.toLocaleString('en-US')} rows have a value`;
  const email = emailNote(columns, sample);
  if (email) notes.push(email);
  const notSent = columns.flatMap((c, i) => (c.target.kind === 'ignore' && filled[i]! > 0 ? [i] : []));
  // A contact export leaves dozens of columns out: one note for them all, not a wall of them.
  if (notSent.length > 3)
    notes.push({
      col: null,
      level: 'warning',
      message: `${notSent.length} columns with values are not sent: ${notSent
        .map((i) => `“${columns[i]!.header}” (${plural(filled[i]!, 'row')})`)
        .join(', ')}. Map any of them to a field or a metadata key to keep it`,
    });
  columns.forEach((c, i) => {
    const t = c.target;
    if (notSent.length <= 3 && notSent.includes(i))
      notes.push({
        col: i,
        level: 'warning',
        message: `“${c.header}” is not sent (${of(filled[i]!)}): map it to a field or a metadata key to keep it`,
      });
    if (kind !== 'app') return;
    if (t.kind === 'field' && ORG_ONLY[t.field])
      notes.push({
        col: i,
        level: 'warning',
        message: `“${c.header}” is mapped to ${t.field === 'role' ? 'Role' : t.field}, but ${ORG_ONLY[t.field]}: it will not be sent. Choose “an organization” below, or Not sent`,
      });
    if ((t.kind === 'field' && t.field === 'private_metadata') || (t.kind === 'meta' && t.scope === 'private'))
      notes.push({
        col: i,
        level: 'error',
        message: `“${c.header}” is private metadata, which application invitations do not have: every row with a value would fail. Make it public, or choose “an organization”`,
      });
  });
  return notes;
}

export const emailCol = (columns: readonly SheetColumn[]): number =>
  columns.findIndex((c) => c.target.kind === 'field' && c.target.field === 'email');

/** The Email column holds no address among the first rows (while another does): said as an error, naming both. */
function emailNote(columns: readonly SheetColumn[], sample: readonly (readonly string[])[]): MappingNote | null {
  const col = emailCol(columns);
  if (col < 0) return null;
  const values = sample.map((r) => (r[col] ?? '').trim()).filter(Boolean);
  if (values.length === 0 || addressCount(sample, col) > 0) return null;
  const better = columns.findIndex((_, i) => i !== col && addressCount(sample, i) > 0);
  return {
    col,
    level: 'error',
    message: `“${columns[col]!.header}” is mapped to Email, but none of its values is an address (“${values[0]!.slice(0, 40)}”)${
      better >= 0 ? `: “${columns[better]!.header}” holds the addresses` : ''
    }`,
  };
}

/** Key under which a mapping is remembered: the same headers (in any order, any case) map the same way. */
export function headerSetKey(headers: string[]): string {
  return [...headers]
    .map((h) => h.trim().toLowerCase())
    .sort()
    .join('\u0001');
}

/** A path is dot-separated keys, none empty. */
export function validMetaPath(path: string): boolean {
  return path.length > 0 && path.length <= 200 && path.split('.').every((k) => k.trim().length > 0);
}

/** What a cell holds once typed or imported: email cells are trimmed with the domain lower-cased. */
export function normalizeCell(target: ColumnTarget | undefined, text: string): string {
  return target?.kind === 'field' && target.field === 'email' ? normalizeEmail(text) : text;
}

/** Email cells normalized; with `unwrap`, a `"Name" <address>` cell keeps only the address (the mapping offers it). */
export function normalizeRows(columns: readonly SheetColumn[], rows: string[][], unwrap = false): string[][] {
  const emailCols = columns.flatMap((c, i) => (c.target.kind === 'field' && c.target.field === 'email' ? [i] : []));
  if (emailCols.length === 0) return rows;
  return rows.map((r) => {
    const out = r.slice();
    for (const i of emailCols) if (out[i] !== undefined) out[i] = normalizeEmail((unwrap && addressInside(out[i]!)) || out[i]!);
    return out;
  });
}
