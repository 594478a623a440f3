/** .xlsx via read-excel-file (maintained, no known advisories; SheetJS on npm is stale). */
import readXlsxFile from 'read-excel-file/universal';
import { ImportError, squareUp, type ImportedTable } from './table.ts';

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().replace('T00:00:00.000Z', '');
  return String(v);
}

export async function parseXlsx(data: ArrayBuffer, fileName: string, sheetName?: string): Promise<ImportedTable> {
  let sheets;
  try {
    sheets = await readXlsxFile(data);
  } catch (e) {
    throw new ImportError(fileName, `Not a readable .xlsx workbook (${(e as Error).message})`);
  }
  if (sheets.length === 0) throw new ImportError(fileName, 'The workbook has no sheets');
  const chosen = sheetName === undefined ? sheets[0]! : sheets.find((s) => s.sheet === sheetName);
  if (!chosen) throw new ImportError(fileName, `No sheet named “${sheetName}”`);
  const rows: string[][] = [];
  const sourceRows: number[] = [];
  chosen.data.forEach((r, i) => {
    const cells = r.map(cellText);
    if (cells.some((c) => c.trim() !== '')) {
      rows.push(cells);
      sourceRows.push(i + 1);
    }
  });
  if (rows.length === 0) throw new ImportError(fileName, `Sheet “${chosen.sheet}” is empty`);
  return { fileName, format: 'xlsx', rows: squareUp(rows), sourceRows, sheetNames: sheets.map((s) => s.sheet), sheetName: chosen.sheet };
}
