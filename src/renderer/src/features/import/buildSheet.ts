/** From a parsed table and the user's mapping choices to the sheet to create. */
import type { ImportedTable } from '../../../../shared/domain/import/table.ts';
import type { SheetInput } from '../../../../shared/ipc/contract.ts';
import { defaultSettings, type SheetColumn, type SheetKind, type SheetSettings } from '../../../../shared/domain/sheet/types.ts';

export type MappingChoice = {
  /** Index in table.rows of the header row, or -1 when the file has none. */
  headerRow: number;
  columns: SheetColumn[];
  kind: SheetKind;
  blankCells: SheetSettings['blankCells'];
  name: string;
};

export function headersOf(table: Pick<ImportedTable, 'rows'>, headerRow: number): string[] {
  const width = table.rows[0]?.length ?? 0;
  if (headerRow < 0) return Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
  const h = table.rows[headerRow] ?? [];
  return Array.from({ length: width }, (_, i) => (h[i] ?? '').trim() || `Column ${i + 1}`);
}

/** The new sheet without its rows (those come from the import's worker). */
export function sheetHead(fileName: string, choice: Omit<MappingChoice, 'headerRow'>): Omit<SheetInput, 'rows'> {
  return {
    name: choice.name.trim() || fileName,
    settings: { ...defaultSettings(choice.kind), blankCells: choice.blankCells },
    columns: choice.columns,
  };
}
