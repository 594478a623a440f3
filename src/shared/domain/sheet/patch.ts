/**
 * Row patches: what an edit changed, so autosave sends and stores that and not the whole sheet.
 * The renderer records them while applying ops; main appends them to the sheet and folds them in on open.
 */
export type RowPatch =
  | { t: 'set'; index: number; row: string[] }
  | { t: 'insert'; index: number; rows: string[][] }
  /** Indexes into the rows as they were before this patch. */
  | { t: 'delete'; indexes: number[] };

/**
 * The row count after the patches, or an error naming the first patch that does not fit a sheet of
 * `count` rows. Main checks every patch against the stored row count before it stores it.
 */
export function patchedCount(count: number, patches: readonly RowPatch[]): { count: number } | { error: string } {
  let n = count;
  for (const [k, p] of patches.entries()) {
    if (p.t === 'set') {
      if (p.index >= n) return { error: `Patch ${k + 1} sets row ${p.index + 1} of a sheet of ${n} rows.` };
    } else if (p.t === 'insert') {
      if (p.index > n) return { error: `Patch ${k + 1} inserts at row ${p.index + 1} of a sheet of ${n} rows.` };
      n += p.rows.length;
    } else {
      const seen = new Set<number>();
      for (const i of p.indexes) {
        if (i >= n || seen.has(i)) return { error: `Patch ${k + 1} deletes row ${i + 1} of a sheet of ${n} rows (or twice).` };
        seen.add(i);
      }
      n -= seen.size;
    }
  }
  return { count: n };
}

/** Applies patches in place (the caller owns `rows`). */
export function applyPatches(rows: string[][], patches: readonly RowPatch[]): string[][] {
  let out = rows;
  for (const p of patches) {
    if (p.t === 'set') out[p.index] = p.row;
    else if (p.t === 'insert') {
      // splice(...rows) overflows the call stack past ~100k arguments; insert in slices.
      if (p.rows.length < 10_000) out.splice(p.index, 0, ...p.rows);
      else out = [...out.slice(0, p.index), ...p.rows, ...out.slice(p.index)];
    } else {
      const drop = new Set(p.indexes);
      out = out.filter((_, i) => !drop.has(i));
    }
  }
  return out;
}
