/** CSV / TSV / semicolon / pipe text via papaparse: quoted newlines, any line ends, blank lines, Excel's trailing newline. */
import Papa from 'papaparse';
import { decodeText } from './decode.ts';
import { IMPORT_LIMITS, mib } from './limits.ts';
import { mixedLineEnds, scanDelimited } from './scan.ts';
import { detectHeaderRow } from './header.ts';
import { ImportError, squareUp, type ImportedTable } from './table.ts';

const DELIMITERS = [',', ';', '\t', '|'];
/** The delimiter is guessed on the start of the file: enough lines to tell, bounded whatever the file. */
const GUESS_CHARS = 64 * 1024;

function guessDelimiter(text: string): string {
  let head = text.slice(0, GUESS_CHARS);
  const lastBreak = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('\r'));
  if (text.length > GUESS_CHARS && lastBreak > 0) head = head.slice(0, lastBreak);
  // Without blank lines (they skew papaparse's field-count test).
  return Papa.parse<string[]>(head, { delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy', preview: 200 }).meta.delimiter;
}

/** Records the file holds against rows the parser produced: any difference is data lost or merged. */
export function recordMismatch(records: number, produced: number): string | null {
  return records === produced
    ? null
    : `The file holds ${records.toLocaleString('en-US')} records but ${produced.toLocaleString('en-US')} rows were read: check the rows near the end against the file`;
}

export function parseDelimitedText(
  text: string,
  fileName: string,
  format: ImportedTable['format'] = 'csv',
  encoding?: string,
): ImportedTable {
  if (text.length > IMPORT_LIMITS.textBytes)
    throw new ImportError(
      fileName,
      `The text is over ${mib(IMPORT_LIMITS.textBytes)} (the most an import reads): split it and import it in parts`,
    );
  // Spreadsheets copy cells as tab-separated text, whatever else is in them (a quote can throw a guess off).
  const delimiter = format === 'paste' && text.includes('\t') ? '\t' : guessDelimiter(text);
  const scan = scanDelimited(text, delimiter, fileName);
  const warnings: string[] = [];
  if (mixedLineEnds(scan)) {
    // papaparse uses one line end for the whole file: at the others, rows would merge without a word.
    text = text.replace(/\r\n?/g, '\n');
    warnings.push(
      `Mixed line ends (${[scan.crlf && `${scan.crlf} CRLF`, scan.lf && `${scan.lf} LF`, scan.cr && `${scan.cr} CR`].filter(Boolean).join(', ')}): every one was read as a row break`,
    );
  }
  let result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, header: false });
  let fatal = result.errors.find((e) => e.type === 'Quotes');
  const quotesAsText = !!fatal && format === 'paste';
  if (quotesAsText) {
    // Spreadsheets copy a cell that starts with a quote as it is (`"Ana Lima" <ana@acme.test>`): in pasted cells a
    // quote that does not make a quoted cell is text (a file must be well-formed: there it is refused, below).
    result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, header: false, quoteChar: '\u0000' });
    fatal = undefined;
  }
  if (fatal) {
    // papaparse counts data rows from 0; a row that starts in a quote runs to the end, so name where it starts.
    throw new ImportError(fileName, `${fatal.message}. A quoted cell starts here and is never closed.`, { row: (fatal.row ?? 0) + 1 });
  }
  const mismatch = quotesAsText ? null : recordMismatch(scan.records, result.data.length);
  if (mismatch) warnings.push(mismatch);
  const rows: string[][] = [];
  const sourceRows: number[] = [];
  // papaparse row index → physical line: count newlines inside quoted cells as we go.
  let line = 1;
  for (const r of result.data) {
    let blank = true;
    for (const c of r)
      if (c.trim() !== '') {
        blank = false;
        break;
      }
    if (!blank) {
      rows.push(r);
      sourceRows.push(line);
    }
    // Only a cell with a line break in it moves the line count (a native search first, then the walk).
    for (const c of r)
      if (c.includes('\n') || c.includes('\r'))
        for (let i = 0; i < c.length; i++) {
          const ch = c.charCodeAt(i);
          if (ch === 10 || (ch === 13 && c.charCodeAt(i + 1) !== 10)) line++;
        }
    line++;
  }
  if (rows.length === 0) throw new ImportError(fileName, 'The file has no rows');
  const squared = squareUp(rows);
  return {
    fileName,
    format: format === 'csv' && delimiter === '\t' ? 'tsv' : format,
    rows: squared,
    sourceRows,
    delimiter,
    headerRow: detectHeaderRow(squared),
    ...(warnings.length ? { warnings } : {}),
    ...(encoding ? { encoding } : {}),
  };
}

/**
 * Before decoding: a stretch with no line break longer than any allowed row (columns × cell, 4 bytes a
 * character) cannot be a sheet, and is refused without decoding megabytes of it.
 */
function longLineGuard(bytes: Uint8Array, fileName: string): void {
  const max = IMPORT_LIMITS.columns * (IMPORT_LIMITS.cell + 3) * 4;
  if (bytes.length <= max) return;
  // Each kind of line end is searched for once past the last one found: linear whatever the file.
  let nextLf = -2;
  let nextCr = -2;
  for (let start = 0; start < bytes.length;) {
    if (nextLf !== -1 && nextLf < start) nextLf = bytes.indexOf(10, start);
    if (nextCr !== -1 && nextCr < start) nextCr = bytes.indexOf(13, start);
    const end = Math.min(nextLf < 0 ? bytes.length : nextLf, nextCr < 0 ? bytes.length : nextCr);
    if (end - start > max)
      throw new ImportError(
        fileName,
        `A line is over ${mib(max)} long (no line break): this is not a sheet of at most ${IMPORT_LIMITS.columns} columns of ${IMPORT_LIMITS.cell.toLocaleString('en-US')} characters`,
      );
    start = end + 1;
  }
}

export function parseDelimitedBytes(bytes: Uint8Array | { take(): Uint8Array }, fileName: string): ImportedTable {
  const { text, encoding } = decodeFile(bytes, fileName);
  return parseDelimitedText(text, fileName, fileName.toLowerCase().endsWith('.tsv') ? 'tsv' : 'csv', encoding);
}

/**
 * The bytes checked and decoded. Handed over (`take`), they are no longer held by anything once decoded, so a 64 MB
 * file's bytes can be freed while its rows are read (the largest import's peak memory falls by the file's size).
 */
function decodeFile(source: Uint8Array | { take(): Uint8Array }, fileName: string) {
  const bytes = source instanceof Uint8Array ? source : source.take();
  if (bytes.length > IMPORT_LIMITS.textBytes)
    throw new ImportError(fileName, `The file is ${mib(bytes.length)}; an import reads at most ${mib(IMPORT_LIMITS.textBytes)}: split it`);
  longLineGuard(bytes, fileName);
  return decodeText(bytes);
}
