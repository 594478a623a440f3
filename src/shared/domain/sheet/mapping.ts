/** Header → column target, with the automatic matches a spreadsheet from the wild needs. */
import { normalizeEmail } from '../email.ts';
import type { ColumnTarget, Field, SheetColumn } from './types.ts';

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const SYNONYMS: Record<Field, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'emailaddr', 'useremail', 'workemail', 'emailid', 'courriel', 'correo'],
  redirect_url: ['redirecturl', 'redirect', 'redirectto', 'returnurl'],
  role: ['role', 'orgrole', 'organizationrole', 'memberrole'],
  organization_id: ['organizationid', 'orgid', 'organisationid'],
  expires_in_days: ['expiresindays', 'expires', 'expiry', 'expirydays', 'expiresin', 'validdays'],
  notify: ['notify', 'sendemail', 'notification', 'sendinvite'],
  ignore_existing: ['ignoreexisting'],
  template_slug: ['templateslug', 'template'],
  inviter_user_id: ['inviteruserid', 'inviterid', 'inviter'],
  public_metadata: ['publicmetadata'],
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

/** Suggests a target per header; a field is taken by the first column that matches it. */
export function suggestColumns(headers: string[], makeId: (i: number) => string = (i) => `c${i}`): SheetColumn[] {
  const taken = new Set<string>();
  return headers.map((header, i) => {
    let target = suggestTarget(header);
    if (target.kind === 'field') {
      if (taken.has(target.field)) target = { kind: 'ignore' };
      else taken.add(target.field);
    }
    return { id: makeId(i), header, target };
  });
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

export function normalizeRows(columns: readonly SheetColumn[], rows: string[][]): string[][] {
  const emailCols = columns.flatMap((c, i) => (c.target.kind === 'field' && c.target.field === 'email' ? [i] : []));
  if (emailCols.length === 0) return rows;
  return rows.map((r) => {
    const out = r.slice();
    for (const i of emailCols) if (out[i] !== undefined) out[i] = normalizeEmail(out[i]!);
    return out;
  });
}
