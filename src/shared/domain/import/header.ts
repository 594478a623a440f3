/**
 * Where the header row is: exports often start with a title, a date or a blank-ish preamble above it. The header
 * is the first of the top rows that names an email column; failing that, the row above the first email cell.
 */
import { suggestTarget } from '../sheet/mapping.ts';

const LOOK = 30;
const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
const namesEmail = (r: readonly string[]) =>
  r.some((c) => {
    if (c.length > 100) return false;
    const t = suggestTarget(c);
    return t.kind === 'field' && t.field === 'email';
  });

export function detectHeaderRow(rows: readonly (readonly string[])[]): number {
  const top = rows.slice(0, LOOK);
  const named = top.findIndex(namesEmail);
  if (named >= 0) return named;
  const firstEmail = top.findIndex((r) => r.some(looksLikeEmail));
  // Emails from the first row on: the file has no header row at all.
  if (firstEmail === 0) return -1;
  return firstEmail > 0 ? firstEmail - 1 : 0;
}

/** How strongly a table looks like a list of people to invite: picks the sheet of a workbook to open. */
export function emailScore(rows: readonly (readonly string[])[]): number {
  const top = rows.slice(0, LOOK);
  return (top.some(namesEmail) ? 1000 : 0) + top.reduce((n, r) => n + (r.some(looksLikeEmail) ? 1 : 0), 0);
}
