/**
 * Which column holds the email addresses, judged by its values as well as its header: contact exports name several
 * columns "E-mail …" (Google's "E-mail 1 - Type" holds "* Work"), and pasted cells have no header at all.
 */

/** A bare address, as far as a glance at a cell goes (the validator decides later). */
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
/** `"Ana Lima" <ana@acme.test>` or `Ana Lima <ana@acme.test>`, as mail programs copy a recipient. */
const NAMED = /^\s*(?:"[^"]*"|[^<>"@]*?)\s*<\s*([^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+)\s*>\s*$/;

export const looksLikeAddress = (cell: string): boolean => ADDRESS.test(cell.trim());

/** The address inside a `"Name" <address>` cell, or null when the cell is not of that form. */
export function addressInside(cell: string): string | null {
  return NAMED.exec(cell)?.[1] ?? null;
}

/** How many of a column's first 50 filled cells hold an address, bare or with a name around it. */
export function addressCount(rows: readonly (readonly string[])[], col: number): number {
  let seen = 0;
  let hits = 0;
  for (const r of rows) {
    const t = (r[col] ?? '').trim();
    if (t === '') continue;
    if (looksLikeAddress(t) || addressInside(t) !== null) hits++;
    if (++seen >= 50) break;
  }
  return hits;
}

/**
 * The Email column given the header's pick: kept when it holds at least half as many addresses as the fullest
 * column; else the column with the most addresses (among equals, one whose header mentions email). -1: none.
 */
export function emailColumnByValues(
  headerPick: number,
  mentions: (col: number) => boolean,
  rows: readonly (readonly string[])[],
  width: number,
): number {
  const counts = Array.from({ length: width }, (_, i) => addressCount(rows, i));
  const most = Math.max(0, ...counts);
  if (most === 0) return headerPick;
  if (headerPick >= 0 && counts[headerPick]! * 2 >= most) return headerPick;
  const best = counts.flatMap((n, i) => (n === most ? [i] : []));
  return best.find(mentions) ?? best[0]!;
}

/** The cells of a column written `"Name" <address>`: how many, and the first, to show. */
export function namedAddresses(rows: readonly (readonly string[])[], col: number): { count: number; example: string | null } {
  let count = 0;
  let example: string | null = null;
  for (const r of rows) {
    const t = r[col] ?? '';
    if (addressInside(t) === null) continue;
    count++;
    example ??= t.trim();
  }
  return { count, example };
}

/** Cells of the Email column reduced to the address inside, where they are `"Name" <address>`. */
export function unwrapAddresses(rows: string[][], col: number): string[][] {
  return rows.map((r) => {
    const inside = addressInside(r[col] ?? '');
    if (inside === null) return r;
    const out = r.slice();
    out[col] = inside;
    return out;
  });
}
