/** .xlsx via read-excel-file (maintained, no known advisories; SheetJS on npm is stale). */
import readXlsxFile from 'read-excel-file/universal';
import { emailScore, detectHeaderRow } from './header.ts';
import { IMPORT_LIMITS, mib, type ImportLimits } from './limits.ts';
import { ImportError, squareUp, type ImportedTable } from './table.ts';
import { zipEntries } from './zip.ts';
import { inflateBounded } from './zipInflate.ts';

/** A number cell as the file wrote it: read-excel-file hands us the digits, so big integers are not rounded. */
class RawNumber {
  readonly digits: string;
  constructor(digits: string) {
    this.digits = digits;
  }
}

function cellText(v: unknown, bigInts: { count: number }): string {
  if (v === null || v === undefined) return '';
  if (v instanceof RawNumber) {
    const n = Number(v.digits);
    if (/^-?\d+$/.test(v.digits) && !Number.isSafeInteger(n)) {
      bigInts.count++;
      return v.digits.replace(/^(-?)0+(?=\d)/, '$1');
    }
    return String(n);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().replace('T00:00:00.000Z', '');
  return String(v);
}

const ROW_TAG = [0x72, 0x6f, 0x77]; // "row", counted after "<" or a namespace prefix's ":"

/**
 * Refuses a workbook that is too big before read-excel-file unpacks it: by its size, by the sizes its zip
 * declares, then by inflating each worksheet in small pieces (never held) to count its rows and real size,
 * since a zip can declare less than it holds.
 */
function guard(b: Uint8Array, fileName: string, L: ImportLimits): void {
  if (b.length > L.xlsxBytes)
    throw new ImportError(
      fileName,
      `The workbook is ${mib(b.length)}; an import reads at most ${mib(L.xlsxBytes)}: save the sheet you need as CSV`,
    );
  const entries = zipEntries(b);
  if (!entries) throw new ImportError(fileName, 'Not a readable .xlsx workbook (its zip directory is damaged): save it again from Excel');
  const xml = entries.filter((e) => /\.(xml|rels)$/i.test(e.name));
  const declared = xml.reduce((n, e) => n + e.size, 0);
  if (declared > L.xlsxUnzippedBytes)
    throw new ImportError(
      fileName,
      `The workbook unpacks to ${mib(declared)}; an import reads at most ${mib(L.xlsxUnzippedBytes)} (a small file that unpacks to this much is a zip bomb, or holds far more than a sheet can)`,
    );
  let total = 0;
  for (const e of xml) {
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name);
    let rows = 0;
    let prev = 0;
    // No entry may hold more than it declares: a lying bomb is caught after its declared size, not 256 MB.
    const out = inflateBounded(b, e, Math.min(L.xlsxUnzippedBytes - total, e.size), (chunk) => {
      if (!isSheet) return true;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] === ROW_TAG[0] && chunk[i + 1] === ROW_TAG[1] && chunk[i + 2] === ROW_TAG[2] && (prev === 0x3c || prev === 0x3a)) {
          const next = chunk[i + 3];
          if (next === 0x20 || next === 0x3e || next === 0x2f) rows++;
        }
        prev = chunk[i]!;
      }
      return rows <= L.rows + 1;
    });
    if (out === null)
      throw new ImportError(fileName, `Not a readable .xlsx workbook (${e.name} cannot be unpacked): save it again from Excel`);
    total += out;
    if (out > e.size)
      throw new ImportError(
        fileName,
        `${e.name} unpacks to more than the ${e.size.toLocaleString('en-US')} bytes it declares: the workbook is damaged or a zip bomb`,
      );
    if (total > L.xlsxUnzippedBytes)
      throw new ImportError(fileName, `The workbook unpacks to more than ${mib(L.xlsxUnzippedBytes)}, the most an import reads`);
    if (rows > L.rows + 1)
      throw new ImportError(
        fileName,
        `A sheet has more than ${L.rows.toLocaleString('en-US')} rows (the most a sheet holds): split it and import it in parts`,
      );
  }
}

function checkShape(rows: string[][], fileName: string, sheet: string, sourceRows: number[]): void {
  rows.forEach((r, i) => {
    if (r.length > IMPORT_LIMITS.columns)
      throw new ImportError(fileName, `Sheet “${sheet}” has more than ${IMPORT_LIMITS.columns} columns (the most a sheet holds)`, {
        row: sourceRows[i] ?? null,
      });
    const c = r.findIndex((x) => x.length > IMPORT_LIMITS.cell);
    if (c >= 0)
      throw new ImportError(
        fileName,
        `A cell of sheet “${sheet}” is longer than ${IMPORT_LIMITS.cell.toLocaleString('en-US')} characters`,
        {
          row: sourceRows[i] ?? null,
          column: c + 1,
        },
      );
  });
}

export async function parseXlsx(
  data: ArrayBuffer,
  fileName: string,
  sheetName?: string,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<ImportedTable> {
  guard(new Uint8Array(data), fileName, limits);
  let sheets;
  try {
    sheets = await readXlsxFile(data, { parseNumber: (digits: string) => new RawNumber(digits) });
  } catch (e) {
    throw new ImportError(fileName, `Not a readable .xlsx workbook (${String((e as Error).message).slice(0, 200)})`);
  }
  if (sheets.length === 0) throw new ImportError(fileName, 'The workbook has no sheets');
  const read = sheets.map((s) => {
    const bigInts = { count: 0 };
    const rows: string[][] = [];
    const sourceRows: number[] = [];
    s.data.forEach((r, i) => {
      const cells = r.map((v) => cellText(v, bigInts));
      if (cells.some((c) => c.trim() !== '')) {
        rows.push(cells);
        sourceRows.push(i + 1);
      }
    });
    return { name: s.sheet, rows, sourceRows, bigInts: bigInts.count };
  });
  // Unless asked for one: the sheet that holds the email addresses, not blindly the first (a cover or notes sheet).
  let chosen = read[0]!;
  if (sheetName !== undefined) {
    const named = read.find((s) => s.name === sheetName);
    if (!named) throw new ImportError(fileName, `No sheet named “${sheetName}”`);
    chosen = named;
  } else {
    for (const s of read) if (emailScore(s.rows) > emailScore(chosen.rows)) chosen = s;
  }
  if (chosen.rows.length === 0) throw new ImportError(fileName, `Sheet “${chosen.name}” is empty`);
  checkShape(chosen.rows, fileName, chosen.name, chosen.sourceRows);
  const rows = squareUp(chosen.rows);
  const warnings: string[] = [];
  if (sheetName === undefined && chosen !== read[0]) warnings.push(`Opened sheet “${chosen.name}”: it has the email addresses`);
  const big = chosen.bigInts;
  if (big > 0)
    warnings.push(
      `${big.toLocaleString('en-US')} number${big === 1 ? ' is' : 's are'} beyond 2^53 and kept exactly as text (as a number it would lose digits)`,
    );
  return {
    fileName,
    format: 'xlsx',
    rows,
    sourceRows: chosen.sourceRows,
    sheetNames: read.map((s) => s.name),
    sheetName: chosen.name,
    headerRow: detectHeaderRow(rows),
    ...(warnings.length ? { warnings } : {}),
  };
}
