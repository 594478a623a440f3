/** Edits as reversible operations: every edit, paste, fill and bulk apply can be undone and redone. */
import type { RowPatch } from '../../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings } from '../../../../shared/domain/sheet/types.ts';

export type Op =
  | { kind: 'rows'; label: string; changes: { index: number; before: string[]; after: string[] }[] }
  | { kind: 'insert'; label: string; index: number; rows: string[][] }
  | { kind: 'delete'; label: string; entries: { index: number; row: string[] }[] }
  | { kind: 'columns'; label: string; before: SheetColumn[]; after: SheetColumn[] }
  | { kind: 'settings'; label: string; before: SheetSettings; after: SheetSettings }
  | { kind: 'name'; label: string; before: string; after: string }
  | { kind: 'batch'; label: string; ops: Op[] };

/** What autosave owes main: the row patches in the order they were applied, and which whole fields changed. */
export type Dirty = { patches?: RowPatch[]; columns?: true; settings?: true; name?: true };
const record = (dirty: Dirty, p: RowPatch) => (dirty.patches ??= []).push(p);

export function applyOp(doc: SheetDoc, op: Op, dirty: Dirty): SheetDoc {
  switch (op.kind) {
    case 'rows': {
      const rows = doc.rows.slice();
      for (const c of op.changes) {
        rows[c.index] = c.after;
        record(dirty, { t: 'set', index: c.index, row: c.after });
      }
      return { ...doc, rows };
    }
    case 'insert': {
      const rows = doc.rows.slice();
      rows.splice(op.index, 0, ...op.rows);
      record(dirty, { t: 'insert', index: op.index, rows: op.rows });
      return { ...doc, rows };
    }
    case 'delete': {
      const drop = new Set(op.entries.map((e) => e.index));
      record(dirty, { t: 'delete', indexes: [...drop] });
      return { ...doc, rows: doc.rows.filter((_, i) => !drop.has(i)) };
    }
    case 'columns':
      dirty.columns = true;
      return { ...doc, columns: op.after };
    case 'settings':
      dirty.settings = true;
      return { ...doc, settings: op.after };
    case 'name':
      dirty.name = true;
      return { ...doc, name: op.after };
    case 'batch':
      return op.ops.reduce((d, o) => applyOp(d, o, dirty), doc);
  }
}

export function invert(op: Op): Op {
  switch (op.kind) {
    case 'rows':
      return { ...op, changes: op.changes.map((c) => ({ index: c.index, before: c.after, after: c.before })) };
    case 'insert':
      return { kind: 'delete', label: op.label, entries: op.rows.map((row, i) => ({ index: op.index + i, row })) };
    case 'delete': {
      // Re-inserting in ascending order restores every row to its old index.
      const sorted = [...op.entries].sort((a, b) => a.index - b.index);
      return {
        kind: 'batch',
        label: op.label,
        ops: sorted.map((e) => ({ kind: 'insert', label: op.label, index: e.index, rows: [e.row] }) as Op),
      };
    }
    case 'columns':
    case 'settings':
    case 'name':
      return { ...op, before: op.after, after: op.before } as Op;
    case 'batch':
      return { ...op, ops: op.ops.map(invert).reverse() };
  }
}

/** Sets cells (row, col → text); rows past the end are appended. Returns null when nothing changes. */
export function setCellsOp(doc: SheetDoc, cells: { row: number; col: number; value: string }[], label: string): Op | null {
  const width = doc.columns.length;
  const byRow = new Map<number, string[]>();
  const appended: string[][] = [];
  for (const { row, col, value } of cells) {
    if (col < 0 || col >= width) continue;
    let target = byRow.get(row);
    if (!target) {
      const base = doc.rows[row] ?? Array<string>(width).fill('');
      target = Array.from({ length: width }, (_, i) => base[i] ?? '');
      byRow.set(row, target);
    }
    target[col] = value;
  }
  const changes: { index: number; before: string[]; after: string[] }[] = [];
  for (const [index, after] of [...byRow.entries()].sort((a, b) => a[0] - b[0])) {
    if (index >= doc.rows.length) appended[index - doc.rows.length] = after;
    else {
      const before = doc.rows[index]!;
      if (after.some((v, i) => v !== (before[i] ?? ''))) changes.push({ index, before, after });
    }
  }
  const ops: Op[] = [];
  if (changes.length) ops.push({ kind: 'rows', label, changes });
  const toAppend = Array.from({ length: appended.length }, (_, i) => appended[i] ?? Array<string>(width).fill(''));
  if (toAppend.length) ops.push({ kind: 'insert', label, index: doc.rows.length, rows: toAppend });
  if (ops.length === 0) return null;
  return ops.length === 1 ? ops[0]! : { kind: 'batch', label, ops };
}
