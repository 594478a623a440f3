/** Bulk metadata changes on the rows' JSON cells (public_metadata / private_metadata columns). */
import { plural } from '../../../../shared/plural.ts';
import type { SheetColumn, SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import { deepMerge, isPlainObject, parseObjectCell, removePath, setPath } from '../../../../shared/domain/sheet/values.ts';
import type { Op } from './ops.ts';

export type Scope = 'public' | 'private';
export type BulkAction =
  | { action: 'set'; path: string; value: unknown }
  | { action: 'merge'; value: Record<string, unknown> }
  | { action: 'remove'; path: string };

const fieldOf = (scope: Scope) => (scope === 'public' ? 'public_metadata' : 'private_metadata');

export function jsonColumnIndex(columns: SheetColumn[], scope: Scope): number {
  return columns.findIndex((c) => c.target.kind === 'field' && c.target.field === fieldOf(scope));
}

/** The column op that adds the JSON column when the sheet has none yet. */
export function ensureJsonColumn(doc: SheetDoc, scope: Scope): { columns: SheetColumn[]; index: number; op: Op | null } {
  const index = jsonColumnIndex(doc.columns, scope);
  if (index >= 0) return { columns: doc.columns, index, op: null };
  const column: SheetColumn = {
    id: `${fieldOf(scope)}-${Date.now()}`,
    header: fieldOf(scope),
    target: { kind: 'field', field: fieldOf(scope) },
  };
  const after = [...doc.columns, column];
  return {
    columns: after,
    index: after.length - 1,
    op: { kind: 'columns', label: `Add ${fieldOf(scope)} column`, before: doc.columns, after },
  };
}

export function applyToCell(text: string, a: BulkAction): { ok: true; text: string } | { ok: false; message: string } {
  const parsed = parseObjectCell(text);
  if (!parsed.ok) return parsed;
  let next: Record<string, unknown>;
  if (a.action === 'merge') next = deepMerge(parsed.value, a.value);
  else if (a.action === 'remove') next = removePath(parsed.value, a.path);
  else {
    const set = setPath(parsed.value, a.path, a.value);
    if (!set.ok) return set;
    next = set.value;
  }
  return { ok: true, text: Object.keys(next).length === 0 ? '' : JSON.stringify(next) };
}

/** One undoable op for the whole selection; rows whose JSON cell is broken are reported, not touched. */
export function bulkOp(
  doc: SheetDoc,
  rows: number[],
  scope: Scope,
  a: BulkAction,
): { op: Op | null; skipped: { row: number; message: string }[] } {
  const { columns, index, op: addColumn } = ensureJsonColumn(doc, scope);
  const skipped: { row: number; message: string }[] = [];
  const changes: { index: number; before: string[]; after: string[] }[] = [];
  for (const r of rows) {
    const before = doc.rows[r];
    if (!before) continue;
    const res = applyToCell(before[index] ?? '', a);
    if (!res.ok) {
      skipped.push({ row: r, message: res.message });
      continue;
    }
    if ((before[index] ?? '') === res.text) continue;
    const after = Array.from({ length: columns.length }, (_, i) => before[i] ?? '');
    after[index] = res.text;
    changes.push({ index: r, before, after });
  }
  const label = `${a.action === 'set' ? 'Set' : a.action === 'merge' ? 'Merge' : 'Remove'} ${scope} metadata on ${plural(changes.length, 'row')}`;
  const ops: Op[] = [...(addColumn ? [addColumn] : []), ...(changes.length ? [{ kind: 'rows', label, changes } as Op] : [])];
  return { op: ops.length === 0 ? null : { kind: 'batch', label, ops }, skipped };
}

export const isObjectValue = isPlainObject;
