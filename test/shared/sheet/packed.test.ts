import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { LIMITS } from '../../../src/shared/ipc/parse.ts';
import { columnStats, mappingNotes, statsAfter, suggestColumns } from '../../../src/shared/domain/sheet/mapping.ts';
import { packedProblem, packRows, unpackRows } from '../../../src/shared/domain/sheet/packed.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { buildRows, defaultChoice, previewOf, PREVIEW_ROWS } from '../../../src/renderer/src/features/import/importCore.ts';
import { parseDelimitedText } from '../../../src/shared/domain/import/delimited.ts';
import { makeServices } from '../../helpers/mainServices.ts';

const wire = (p: NonNullable<ReturnType<typeof packRows>>) => ({ ...p, lengths: Array.from(p.lengths) });

describe('packed rows (issue 14: an import crosses to the window and to main as one text and the cell lengths)', () => {
  it('round-trips any text: empty cells, line breaks, quotes, emoji, lone surrogates', () => {
    const rows = [
      ['a@x.io', '', 'line\nbreak', '"quoted", comma'],
      ['😀@x.io', '\ud800', '', '{"seat":1}'],
    ];
    const packed = packRows(rows, 4)!;
    expect(packed.rows).toBe(2);
    expect(unpackRows(packed)).toEqual(rows);
    expect(unpackRows(wire(packed))).toEqual(rows);
    expect(packedProblem(wire(packed), LIMITS)).toBeNull();
  });

  it('does not pack ragged rows (they go as rows, nothing padded or cut)', () => {
    expect(packRows([['a'], ['b', 'c']], 2)).toBeNull();
  });

  it('refuses counts and lengths that do not add up, saying which', () => {
    const good = wire(packRows([['ab', 'c']], 2)!);
    expect(packedProblem({ ...good, lengths: [2] }, LIMITS)).toMatch(/2 cell lengths expected, not 1/);
    expect(packedProblem({ ...good, lengths: [2, 2] }, LIMITS)).toMatch(/add up to 4, the cells hold 3/);
    expect(packedProblem({ ...good, lengths: [-1, 4] }, LIMITS)).toMatch(/cell 1 must be 0 to/);
    expect(packedProblem({ ...good, width: 0 }, LIMITS)).toMatch(/1 to 200 columns/);
    expect(packedProblem({ ...good, extra: 1 }, LIMITS)).toMatch(/exactly rows, width, cells and lengths/);
    expect(packedProblem({ ...good, rows: LIMITS.rows + 1 }, LIMITS)).toMatch(/at most 200000 rows/);
  });

  it('main creates the same sheet from packed rows as from rows, and refuses a malformed pack with the reason', async () => {
    const s = makeServices(createMemorySecretStore());
    try {
      const columns = suggestColumns(['Email', 'Name']);
      const rows = [
        ['a@x.io', 'Ana'],
        ['b@x.io', 'Bo\nBo'],
      ];
      const created = await dispatch(s.handlers, 'sheets:create', {
        name: 'Packed',
        settings: defaultSettings(),
        columns,
        packed: wire(packRows(rows, 2)!),
      });
      expect(created).toMatchObject({ ok: true, value: { rowCount: 2 } });
      const id = (created as { value: { id: string } }).value.id;
      expect(await dispatch(s.handlers, 'sheets:get', { id })).toMatchObject({ ok: true, value: { rows } });
      const bad = await dispatch(s.handlers, 'sheets:create', {
        name: 'Bad',
        settings: defaultSettings(),
        columns,
        packed: { ...wire(packRows(rows, 2)!), lengths: [1, 1, 1, 1] },
      });
      expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/lengths add up to 4/) } });
      const both = await dispatch(s.handlers, 'sheets:create', {
        name: 'Both',
        settings: defaultSettings(),
        columns,
        rows,
        packed: wire(packRows(rows, 2)!),
      });
      expect(both).toMatchObject({ ok: false, error: { message: expect.stringMatching(/rows or packed rows/) } });
    } finally {
      await s.close();
    }
  });
});

describe('the import worker hands the mapping step a preview and counts over the whole file', () => {
  const csv = ['Email,Name,Phone', ...Array.from({ length: 250 }, (_, i) => `U${i}@Example.COM,Person ${i},${i % 2 ? '555' : ''}`)].join(
    '\n',
  );
  const table = parseDelimitedText(csv, 'people.csv');

  it('keeps the first rows only, counts every row, and notes say "of 250 rows" as with the whole table', () => {
    const preview = previewOf(table);
    expect(preview.rows).toHaveLength(PREVIEW_ROWS);
    expect(preview.stats).toEqual({ rows: 251, filled: [251, 251, 126] });
    const columns = suggestColumns(table.rows[0]!, undefined, table.rows.slice(1));
    const body = statsAfter(preview.stats, preview.rows.slice(0, 1));
    expect(body).toEqual(columnStats(table.rows.slice(1), 3));
    expect(mappingNotes(columns, body, 'app')).toEqual(mappingNotes(columns, table.rows.slice(1), 'app'));
    expect(mappingNotes(columns, body, 'app').map((n) => n.message)).toContain(
      '“Phone” is not sent (125 of 250 rows have a value): map it to a field or a metadata key to keep it',
    );
  });

  it('starts the worker on the very choice the mapping step starts from (its preview suggests the same columns)', () => {
    const withJson = parseDelimitedText(
      ['Title', 'Email,meta,Name', ...Array.from({ length: 150 }, (_, i) => `u${i}@x.io,"{""a"":${i}}",N${i}`)].join('\n'),
      'p.csv',
    );
    const full = defaultChoice(withJson);
    expect(defaultChoice(previewOf(withJson))).toEqual(full);
    expect(full.headerRow).toBe(1);
    expect(full.columns.map((c) => c.target.kind === 'field' && c.target.field)).toEqual(['email', 'public_metadata', false]);
  });

  it('builds every row under the header, emails normalized, packed', () => {
    const columns = suggestColumns(table.rows[0]!);
    const built = buildRows(table, 0, columns);
    expect('packed' in built).toBe(true);
    const rows = unpackRows((built as { packed: Parameters<typeof unpackRows>[0] }).packed);
    expect(rows).toHaveLength(250);
    expect(rows[0]).toEqual(['U0@example.com', 'Person 0', '']);
    expect(rows[249]).toEqual(['U249@example.com', 'Person 249', '555']);
  });
});
