/**
 * The import's work on the whole file, done where the file was parsed (the worker, or this thread as a fallback):
 * the mapping step gets the first rows and per-column counts, and Create gets every row, normalized and packed,
 * so 100,000 rows never cross to the window as 100,000 arrays (see shared/domain/sheet/packed.ts).
 */
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import { columnStats, emailCol, normalizeRows, type ColumnStats } from '../../../../shared/domain/sheet/mapping.ts';
import { namedAddresses } from '../../../../shared/domain/sheet/emailColumn.ts';
import { packRows, type PackedRows } from '../../../../shared/domain/sheet/packed.ts';
import { defaultSettings, type SheetColumn, type SheetSettings } from '../../../../shared/domain/sheet/types.ts';
import { suggestColumns } from '../../../../shared/domain/sheet/mapping.ts';
import { headersOf } from './buildSheet.ts';

/** The header is found in the first 30 rows and columns are suggested from 50 rows under it: 100 cover both. */
export const PREVIEW_ROWS = 100;

/** The table as the mapping step sees it: the file's facts, its first rows, and counts over all of them. */
export type ImportPreview = Omit<ImportedTable, 'rows' | 'sourceRows'> & {
  /** The first PREVIEW_ROWS rows (all of them when fewer). */
  rows: string[][];
  sourceRows: number[];
  /** Rows in the whole file, and how many of them fill each column. */
  stats: ColumnStats;
};

export function previewOf(table: ImportedTable): ImportPreview {
  const { rows, sourceRows, ...facts } = table;
  return {
    ...facts,
    rows: rows.slice(0, PREVIEW_ROWS),
    sourceRows: sourceRows.slice(0, PREVIEW_ROWS),
    stats: columnStats(rows, rows[0]?.length ?? 0),
  };
}

/** The sheet's rows under the chosen header row, emails normalized: packed when square (always, from an import). */
export type BuiltRows = { packed: PackedRows & { lengths: Uint32Array } } | { rows: string[][] };

export function buildRows(table: ImportedTable, headerRow: number, columns: readonly SheetColumn[], unwrapEmails = false): BuiltRows {
  return packBuilt(normalizedRows(table, headerRow, columns, unwrapEmails), table);
}

export const normalizedRows = (
  table: ImportedTable,
  headerRow: number,
  columns: readonly SheetColumn[],
  unwrapEmails = false,
): string[][] => normalizeRows(columns, table.rows.slice(headerRow + 1), unwrapEmails);

export function packBuilt(rows: string[][], table: ImportedTable): BuiltRows {
  const width = table.rows[0]?.length ?? 0;
  const packed = width > 0 ? packRows(rows, width) : null;
  return packed ? { packed } : { rows };
}

/**
 * What the mapping step starts from: the header row the import found, the suggested columns (from the first
 * rows under it, which the preview holds), an application sheet leaving blank metadata out. The worker begins
 * preparing rows for it as soon as the file is parsed, before the window has even shown the mapping.
 */
export function defaultChoice(table: Pick<ImportedTable, 'rows' | 'headerRow'>): {
  headerRow: number;
  columns: SheetColumn[];
  settings: SheetSettings;
  unwrapEmails: boolean;
} {
  const headerRow = table.headerRow ?? 0;
  const body = table.rows.slice(headerRow + 1);
  const columns = suggestColumns(headersOf(table, headerRow), undefined, body);
  return {
    headerRow,
    columns,
    // A Role column: organization invitations (the mapping step starts there too).
    settings: {
      ...defaultSettings(columns.some((c) => c.target.kind === 'field' && c.target.field === 'role') ? 'org' : 'app'),
      blankCells: 'omit',
    },
    // "Ana Lima" <ana@acme.test> cells: the address inside is offered, and taken unless the user says no.
    unwrapEmails: namedAddresses(body, emailCol(columns)).count > 0,
  };
}
