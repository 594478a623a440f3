/** Which document rows the grid shows, in what order: filter (problems / duplicates) and sort are views only. */
import type { GridSelection } from '@glideapps/glide-data-grid';
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import type { SheetValidation } from '../../../../shared/domain/sheet/validate.ts';

export type Filter = 'all' | 'problems' | 'duplicates';
export type Sort = { col: number; dir: 'asc' | 'desc' } | null;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function computeView(doc: SheetDoc, validation: SheetValidation | null, filter: Filter, sort: Sort): number[] {
  let rows: number[] = [];
  for (let i = 0; i < doc.rows.length; i++) {
    if (filter === 'all') rows.push(i);
    else {
      const o = validation?.rows[i];
      if (!o || o.ok) continue;
      const dup = 'duplicateOf' in o && o.duplicateOf !== undefined;
      if (filter === 'duplicates' ? dup : o.problems.length > 0) rows.push(i);
    }
  }
  if (sort) {
    const { col, dir } = sort;
    rows = rows.sort((a, b) => {
      const c = collator.compare(doc.rows[a]?.[col] ?? '', doc.rows[b]?.[col] ?? '');
      return dir === 'asc' ? c : -c;
    });
  }
  return rows;
}

export function statusText(
  validation: SheetValidation | null,
  row: number,
  cells: readonly string[] | undefined,
): { text: string; ok: boolean | null } {
  const o = validation?.rows[row];
  if (!o) return { text: '', ok: null };
  if (o.ok) return { text: 'Ready', ok: true };
  if (o.problems.length === 0)
    return cells && cells.some((c) => c.trim() !== '') ? { text: '', ok: null } : { text: 'Blank: skipped', ok: null };
  // Held only by what the sheet lacks (an organization, a default role): said once in Problems, not in every row.
  if (o.problems.every((p) => p.sheet)) return { text: 'Waiting for the sheet’s settings', ok: null };
  return { text: o.problems.map((p) => p.message).join('; '), ok: false };
}

/** The document rows a selection covers: selected row markers, or the rows of the selected range. */
export function selectedDocRows(selection: GridSelection, view: readonly number[]): number[] {
  const set = new Set<number>();
  for (const r of selection.rows) if (view[r] !== undefined) set.add(view[r]!);
  const range = selection.current?.range;
  if (range && (range.height > 1 || set.size === 0)) {
    for (let r = range.y; r < range.y + range.height; r++) if (view[r] !== undefined) set.add(view[r]!);
  }
  return [...set].sort((a, b) => a - b);
}
