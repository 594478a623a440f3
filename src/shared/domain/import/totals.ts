/**
 * A "Total" line under a spreadsheet's rows (Excel's total row, a SUM someone typed) is not a person: it is left out
 * of the import, and the mapping says which row it was and what it held.
 */
import { addressInside, looksLikeAddress } from '../sheet/emailColumn.ts';
import type { ImportedTable } from './table.ts';

const TOTAL = /^(grand\s+)?(total|totals|sum|subtotal|count)\s*:?$/i;

function isTotalLine(row: readonly string[]): boolean {
  const filled = row.map((c) => c.trim()).filter(Boolean);
  if (filled.length === 0 || !TOTAL.test(filled[0]!)) return false;
  return !row.some((c) => looksLikeAddress(c) || addressInside(c) !== null);
}

export function leaveOutTotals(table: ImportedTable): ImportedTable {
  const last = table.rows.length - 1;
  const header = table.headerRow ?? 0;
  if (last <= header || !isTotalLine(table.rows[last]!)) return table;
  const shown = table.rows[last]!.filter((c) => c.trim() !== '').join(' · ');
  return {
    ...table,
    rows: table.rows.slice(0, last),
    sourceRows: table.sourceRows.slice(0, last),
    warnings: [
      ...(table.warnings ?? []),
      `Row ${table.sourceRows[last]} (“${shown.slice(0, 60)}”) looks like a total line, not a person: it is left out`,
    ],
  };
}
