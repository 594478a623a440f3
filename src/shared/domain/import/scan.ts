/**
 * One quote-aware pass over delimited text before it is parsed: it enforces the import limits while reading
 * (a 50 MB one-line file is refused at its 20,001st character, not after papaparse has built it), counts the
 * records the file holds (to check the parser produced as many rows), and notes which line endings it uses.
 */
import { IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import { ImportError } from './table.ts';

export type Scan = {
  /** Records in the file, blank ones included: line ends outside quotes + 1. */
  records: number;
  crlf: number;
  lf: number;
  cr: number;
};

const QUOTE = 34;
const LF = 10;
const CR = 13;

export function scanDelimited(text: string, delimiter: string, fileName: string, limits: ImportLimits = IMPORT_LIMITS): Scan {
  const d = delimiter.charCodeAt(0);
  const scan: Scan = { records: 1, crlf: 0, lf: 0, cr: 0 };
  let fields = 1;
  let cellStart = 0;
  let quoted = false;
  let atFieldStart = true;
  let nonBlank = 0;
  let recordHasText = false;
  const n = text.length;
  const tooLong = () => {
    throw new ImportError(
      fileName,
      `A cell is longer than ${limits.cell.toLocaleString('en-US')} characters (the most a sheet cell holds); is this the right file, with the right delimiter?`,
      { row: scan.records, column: fields },
    );
  };
  const countRecord = () => {
    // The header row comes on top of the sheet's rows.
    if (recordHasText && ++nonBlank > limits.rows + 1)
      throw new ImportError(
        fileName,
        `More than ${limits.rows.toLocaleString('en-US')} rows (the most a sheet holds): split the file and import it in parts`,
      );
  };
  const endRecord = () => {
    countRecord();
    scan.records++;
    fields = 1;
    recordHasText = false;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else quoted = false;
      }
      if (i - cellStart > limits.cell) tooLong();
      continue;
    }
    if (c === d) {
      if (i - cellStart > limits.cell) tooLong();
      if (++fields > limits.columns)
        throw new ImportError(fileName, `More than ${limits.columns} columns (the most a sheet holds); is the delimiter right?`, {
          row: scan.records,
        });
      cellStart = i + 1;
      atFieldStart = true;
      continue;
    }
    if (c === LF || c === CR) {
      if (i - cellStart > limits.cell) tooLong();
      if (c === CR && text.charCodeAt(i + 1) === LF) {
        scan.crlf++;
        i++;
      } else if (c === CR) scan.cr++;
      else scan.lf++;
      endRecord();
      cellStart = i + 1;
      atFieldStart = true;
      continue;
    }
    if (atFieldStart && c === QUOTE) quoted = true;
    if (quoted || (c !== 32 && c !== 9)) recordHasText = true;
    atFieldStart = false;
    if (i - cellStart > limits.cell) tooLong();
  }
  countRecord();
  return scan;
}

/** More than one kind of line end (`\r\n`, `\n`, `\r`) in one file: parsers pick one and merge rows at the others. */
export const mixedLineEnds = (s: Scan): boolean => [s.crlf, s.lf, s.cr].filter((x) => x > 0).length > 1;
