import { describe, expect, it } from 'vitest';
import { applyPatches, patchedCount, type RowPatch } from '../../../src/shared/domain/sheet/patch.ts';

const rows = () => [['a'], ['b'], ['c']];

describe('row patches', () => {
  it('apply set, insert and delete in order, each against the rows the previous one left', () => {
    const patches: RowPatch[] = [
      { t: 'set', index: 1, row: ['B'] },
      { t: 'insert', index: 0, rows: [['z']] },
      { t: 'delete', indexes: [3] },
    ];
    expect(applyPatches(rows(), patches)).toEqual([['z'], ['a'], ['B']]);
    expect(patchedCount(3, patches)).toEqual({ count: 3 });
  });

  it('insert 100,000 rows at once without overflowing the stack', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => [`r${i}`]);
    const out = applyPatches(rows(), [{ t: 'insert', index: 1, rows: many }]);
    expect(out).toHaveLength(100_003);
    expect(out[1]).toEqual(['r0']);
    expect(out.at(-1)).toEqual(['c']);
  });

  it('name the first patch that does not fit the sheet', () => {
    expect(patchedCount(3, [{ t: 'set', index: 3, row: [] }])).toEqual({ error: 'Patch 1 sets row 4 of a sheet of 3 rows.' });
    expect(
      patchedCount(3, [
        { t: 'delete', indexes: [0] },
        { t: 'insert', index: 3, rows: [] },
      ]),
    ).toMatchObject({
      error: expect.stringContaining('Patch 2 inserts at row 4'),
    });
    expect(patchedCount(3, [{ t: 'delete', indexes: [1, 1] }])).toMatchObject({ error: expect.stringContaining('twice') });
  });
});
