import { csvFileName, sheetCsv } from '../../../../shared/domain/export/sheetCsv.ts';
import type { SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import { downloadText } from '../../lib/download.ts';

/** The sheet as CSV (headers + cells as edited, formulas neutralised), downloaded through the browser's save flow. */
export function exportSheetCsv(doc: SheetDoc): string {
  const csv = sheetCsv(doc);
  downloadText(csvFileName(doc.name), csv);
  return csv;
}
