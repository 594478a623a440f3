/** A chosen or dropped file → table: read by what its bytes are, whatever its name says. */
import { parseDelimitedBytes } from './delimited.ts';
import { IMPORT_LIMITS, mib, type ImportLimits } from './limits.ts';
import { sniffFile } from './sniff.ts';
import { ImportError, type ImportedTable } from './table.ts';
import { leaveOutTotals } from './totals.ts';

/** Checked before a file is even read into memory (the renderer knows a File's size up front). */
export function checkFileSize(fileName: string, size: number): void {
  const max = /\.xlsx$/i.test(fileName) ? IMPORT_LIMITS.xlsxBytes : IMPORT_LIMITS.textBytes;
  if (size > max)
    throw new ImportError(
      fileName,
      `The file is ${mib(size)}; an import reads at most ${mib(max)}: split it or save only the sheet you need`,
    );
}

export async function parseImportFile(
  bytes: ArrayBuffer,
  fileName: string,
  sheetName?: string,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<ImportedTable> {
  const b = new Uint8Array(bytes);
  checkFileSize(fileName, b.length);
  if (b.length === 0) throw new ImportError(fileName, 'The file is empty');
  const kind = sniffFile(b, fileName);
  if (kind.kind === 'xlsx') {
    // The xlsx reader (a zip inflater and an XML parser) loads only for workbooks.
    const { parseXlsx } = await import('./xlsx.ts');
    const table = leaveOutTotals(await parseXlsx(bytes, fileName, sheetName, limits));
    return /\.xlsx$/i.test(fileName)
      ? table
      : {
          ...table,
          warnings: [`Read as an Excel workbook: that is what the file holds, whatever its name says`, ...(table.warnings ?? [])],
        };
  }
  const table = leaveOutTotals(parseDelimitedBytes(b, fileName));
  return /\.xlsx$/i.test(fileName) ? { ...table, warnings: ['Named .xlsx but holds text: read as CSV', ...(table.warnings ?? [])] } : table;
}
