/**
 * The decoders of the sheet tables' rows (`sheets`, `sheet_rows`, `sheet_patches`, `column_mappings`), for this
 * computer's SQLite and the team's PostgreSQL alike. SQLite has no `version` column: there a sheet's version is its
 * `updated_at`, which every save moves forward (sheetsRepo.ts); PostgreSQL counts saves and says who made the last.
 */
import { z } from 'zod';
import type { RowPatch } from '../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { col, column, decoder } from '../db/decode.ts';

// Settings and columns are written by this app from checked values and read back by older and newer versions alike:
// their shape is kept as stored (an older sheet's settings lack newer keys; the editor fills them in).
const settings = z.custom<SheetSettings>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'is not a settings object');
const columns = z.custom<SheetColumn[]>((v) => Array.isArray(v), 'is not a list of columns');
// A sheet's cells: one array per row. Checked as a list here; its 100,000 rows are not walked one by one on open.
const cells = z.custom<string[][]>((v) => Array.isArray(v), 'is not a list of rows');

export const sheetSummaryRow = decoder(
  'sheets',
  z
    .object({
      id: col.text,
      name: col.text,
      kind: z.enum(['app', 'org']),
      row_count: col.int,
      created_at: col.int,
      updated_at: col.int,
      version: col.intOrNull,
    })
    .transform((r): SheetSummary => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      rowCount: r.row_count,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version ?? r.updated_at,
    })),
);

/** A sheet's own fields (its cells come from `sheet_rows`). */
export const sheetRow = decoder(
  'sheets',
  z
    .object({
      id: col.text,
      name: col.text,
      settings: col.json(settings),
      columns: col.json(columns),
      created_at: col.int,
      updated_at: col.int,
      version: col.intOrNull,
    })
    .transform((r) => ({
      id: r.id,
      name: r.name,
      settings: r.settings,
      columns: r.columns,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version ?? r.updated_at,
    })),
);

export const sheetCells = column('sheet_rows', 'rows', col.json(cells));

export const sheetPatch = column(
  'sheet_patches',
  'patch',
  col.json(z.custom<RowPatch[]>((v) => Array.isArray(v), 'is not a list of patches')),
);

/** What a save checks and builds on: the row count, the version it was made over, and who made that version. */
export const sheetStampRow = decoder(
  'sheets',
  z
    .object({ row_count: col.int, updated_at: col.int, version: col.intOrNull, updated_by: col.textOrNull })
    .transform((r) => ({ rowCount: r.row_count, updatedAt: r.updated_at, version: r.version ?? r.updated_at, updatedBy: r.updated_by })),
);

export const mappingRow = column('column_mappings', 'columns', col.json(columns));
