/** What importing one corpus file gives a user: refused (and why), or the table, its mapping and its counts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImportFile } from '../../../src/shared/domain/import/parseImport.ts';
import { namedAddresses } from '../../../src/shared/domain/sheet/emailColumn.ts';
import { emailCol, mappingNotes, normalizeRows, suggestColumns } from '../../../src/shared/domain/sheet/mapping.ts';
import { defaultSettings, targetLabel } from '../../../src/shared/domain/sheet/types.ts';
import { validateSheet } from '../../../src/shared/domain/sheet/validate.ts';

export const CORPUS = join(import.meta.dirname, '../../fixtures/corpus');

export type Outcome =
  | { refused: string }
  | {
      format: string;
      encoding?: string;
      delimiter?: string;
      sheetName?: string;
      headerRow: number;
      dataRows: number;
      mapping: string[];
      warnings: string[];
      notes: string[];
      /** The mapping offers to keep only the address of `"Name" <address>` cells (taken by default). */
      offer?: string;
      ready: number;
      problems: string[];
      duplicates: number;
    };

export async function importOutcome(file: string): Promise<Outcome> {
  const bytes = readFileSync(join(CORPUS, file));
  let table;
  try {
    table = await parseImportFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, file);
  } catch (e) {
    return { refused: (e as Error).message };
  }
  const headerRow = table.headerRow ?? 0;
  const headers = headerRow < 0 ? table.rows[0]!.map((_, i) => `Column ${i + 1}`) : table.rows[headerRow]!;
  const body = table.rows.slice(headerRow + 1);
  const columns = suggestColumns(headers, undefined, body);
  const named = namedAddresses(body, emailCol(columns));
  const v = validateSheet({ columns, rows: normalizeRows(columns, body, named.count > 0), settings: defaultSettings('app') });
  return {
    format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}),
    ...(table.delimiter ? { delimiter: table.delimiter } : {}),
    ...(table.sheetName ? { sheetName: table.sheetName } : {}),
    headerRow,
    dataRows: body.length,
    mapping: columns.map((c) => `${c.header} → ${targetLabel(c.target)}`),
    warnings: table.warnings ?? [],
    notes: mappingNotes(columns, body, 'app').map((n) => n.message),
    ...(named.count > 0 ? { offer: `${named.count} like ${named.example}: keep only the address` } : {}),
    ready: v.validCount,
    problems: v.problems.map((p) => `row ${p.row + 1}: ${p.message}`),
    duplicates: v.duplicateCount,
  };
}
