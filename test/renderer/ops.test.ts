import { describe, expect, it } from 'vitest';
import { applyOp, invert, setCellsOp, type Dirty } from '../../src/renderer/src/features/sheets/ops.ts';
import { applyPatches } from '../../src/shared/domain/sheet/patch.ts';
import { defaultSettings, type SheetDoc } from '../../src/shared/domain/sheet/types.ts';

const doc = (n: number): SheetDoc => ({
  id: 's',
  name: 'n',
  settings: defaultSettings(),
  columns: [
    { id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } },
    { id: 'c1', header: 'Name', target: { kind: 'ignore' } },
  ],
  rows: Array.from({ length: n }, (_, i) => [`u${i}@x.io`, `P${i}`]),
  createdAt: 0,
  updatedAt: 0,
});

describe('edits record what autosave sends', () => {
  it('one cell edit in 100,000 rows records one row, not the sheet', () => {
    const d = doc(100_000);
    const dirty: Dirty = {};
    const after = applyOp(d, setCellsOp(d, [{ row: 500, col: 1, value: 'Ada' }], 'Edit')!, dirty);
    expect(dirty.patches).toEqual([{ t: 'set', index: 500, row: ['u500@x.io', 'Ada'] }]);
    expect(JSON.stringify(dirty).length).toBeLessThan(200);
    expect(after.rows[500]).toEqual(['u500@x.io', 'Ada']);
  });

  it('replaying the recorded patches of edits, a paste past the end, a delete and their undo gives the same rows', () => {
    const d0 = doc(5);
    const dirty: Dirty = {};
    const paste = setCellsOp(
      d0,
      [
        { row: 4, col: 0, value: 'p@x.io' },
        { row: 6, col: 1, value: 'New' },
      ],
      'Paste',
    )!;
    const d1 = applyOp(d0, paste, dirty);
    const del = {
      kind: 'delete' as const,
      label: 'Delete',
      entries: [
        { index: 1, row: d1.rows[1]! },
        { index: 3, row: d1.rows[3]! },
      ],
    };
    const d2 = applyOp(d1, del, dirty);
    const d3 = applyOp(d2, invert(del), dirty);
    const d4 = applyOp(d3, invert(paste), dirty);
    expect(d3.rows).toEqual(d1.rows);
    expect(d4.rows).toEqual(d0.rows);
    expect(applyPatches(structuredClone(d0.rows), dirty.patches!)).toEqual(d4.rows);
  });
});
