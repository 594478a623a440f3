import Papa from 'papaparse';
import { downloadText } from '../../lib/download.ts';
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';

/** The sheet as CSV (headers + cells, exactly as edited), downloaded through the browser's save flow. */
export function exportSheetCsv(doc: SheetDoc): string {
  const csv = Papa.unparse(
    { fields: doc.columns.map((c) => c.header), data: doc.rows.map((r) => doc.columns.map((_, i) => r[i] ?? '')) },
    { newline: '\r\n' },
  );
  downloadText(`${doc.name.replace(/[\\/:*?"<>|]+/g, '_')}.csv`, `\ufeff${csv}`);
  return csv;
}
