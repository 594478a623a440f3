import Papa from 'papaparse';
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';

/** The sheet as CSV (headers + cells, exactly as edited), downloaded through the browser's save flow. */
export function exportSheetCsv(doc: SheetDoc): string {
  const csv = Papa.unparse(
    { fields: doc.columns.map((c) => c.header), data: doc.rows.map((r) => doc.columns.map((_, i) => r[i] ?? '')) },
    { newline: '\r\n' },
  );
  const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${doc.name.replace(/[\\/:*?"<>|]+/g, '_')}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return csv;
}
