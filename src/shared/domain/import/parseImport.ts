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
  const size = bytes.byteLength;
  checkFileSize(fileName, size);
  if (size === 0) throw new ImportError(fileName, 'The file is empty');
  const kind = sniffFile(new Uint8Array(bytes), fileName); // a view: nothing copied, nothing kept
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
  // A text file's bytes are handed over: once decoded nothing holds them (the caller's ArrayBuffer is detached by
  // transfer(), where the runtime has it), so they can be freed while the rows are read.
  const transfer = (bytes as { transfer?: () => ArrayBuffer }).transfer;
  let held: ArrayBuffer | null = typeof transfer === 'function' ? transfer.call(bytes) : bytes;
  const take = () => {
    const b = new Uint8Array(held!);
    held = null;
    return b;
  };
  const table = leaveOutTotals(parseDelimitedBytes({ take }, fileName));
  return /\.xlsx$/i.test(fileName) ? { ...table, warnings: ['Named .xlsx but holds text: read as CSV', ...(table.warnings ?? [])] } : table;
}
