/**
 * Where the header row is: exports often start with a title, a date or a blank-ish preamble above it. The header
 * is the first of the top rows that names an email column and holds no address itself (a contact whose surname is
 * "Email" is not a header); failing that, the row above the first address.
 */
import { addressInside, looksLikeAddress } from '../sheet/emailColumn.ts';
import { suggestTarget } from '../sheet/mapping.ts';

const LOOK = 30;
const holdsAddress = (r: readonly string[]) => r.some((c) => looksLikeAddress(c) || addressInside(c) !== null);
const namesEmail = (r: readonly string[]) =>
  r.some((c) => {
    if (c.length > 100) return false;
    const t = suggestTarget(c);
    return t.kind === 'field' && t.field === 'email';
  });
/** "E-mail 1 - Value", "Primary E-mail": a header that mentions email without being exactly one of its names. */
const mentionsEmail = (r: readonly string[]) =>
  r.some((c) => c.length <= 100 && /e-?mail|courriel|correo/i.test(c)) && r.filter((c) => c.trim() !== '').length >= Math.min(2, r.length);

export function detectHeaderRow(rows: readonly (readonly string[])[]): number {
  const top = rows.slice(0, LOOK);
  const firstEmail = top.findIndex(holdsAddress);
  const named = top.findIndex((r) => namesEmail(r) && !holdsAddress(r));
  const mentioned = top.findIndex((r) => mentionsEmail(r) && !holdsAddress(r));
  const above = (i: number) => i >= 0 && (firstEmail < 0 || i < firstEmail);
  if (above(named)) return named;
  if (above(mentioned)) return mentioned;
  // Under a preamble that quotes an address ("Questions: ops@acme.test").
  if (named >= 0) return named;
  // Emails from the first row on: the file has no header row at all.
  if (firstEmail === 0) return -1;
  return firstEmail > 0 ? firstEmail - 1 : 0;
}

/** How strongly a table looks like a list of people to invite: picks the sheet of a workbook to open. */
export function emailScore(rows: readonly (readonly string[])[]): number {
  const top = rows.slice(0, LOOK);
  return (top.some(namesEmail) ? 1000 : 0) + top.reduce((n, r) => n + (holdsAddress(r) ? 1 : 0), 0);
}
