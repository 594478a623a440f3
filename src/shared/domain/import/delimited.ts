/** CSV / TSV / semicolon / pipe text via papaparse: quoted newlines, CRLF, blank lines and Excel's trailing newline. */
import Papa from 'papaparse';
import { decodeText } from './decode.ts';
import { ImportError, squareUp, type ImportedTable } from './table.ts';

const DELIMITERS = [',', ';', '\t', '|'];

export function parseDelimitedText(
  text: string,
  fileName: string,
  format: ImportedTable['format'] = 'csv',
  encoding?: string,
): ImportedTable {
  // Guess on a preview without blank lines (they skew papaparse's field-count test), then parse keeping
  // them so that every row keeps its line number in the file.
  const guess = Papa.parse<string[]>(text, { delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy', preview: 200 });
  const result = Papa.parse<string[]>(text, { delimiter: guess.meta.delimiter, skipEmptyLines: false, header: false });
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    // papaparse counts data rows from 0; a row that starts in a quote runs to the end, so name where it starts.
    throw new ImportError(fileName, `${fatal.message}. A quoted cell starts here and is never closed.`, { row: (fatal.row ?? 0) + 1 });
  }
  const rows: string[][] = [];
  const sourceRows: number[] = [];
  // papaparse row index → physical line: count newlines inside quoted cells as we go.
  let line = 1;
  for (const r of result.data) {
    const blank = r.every((c) => c.trim() === '');
    if (!blank) {
      rows.push(r);
      sourceRows.push(line);
    }
    for (const c of r) for (let i = 0; i < c.length; i++) if (c.charCodeAt(i) === 10) line++;
    line++;
  }
  if (rows.length === 0) throw new ImportError(fileName, 'The file has no rows');
  const delimiter = result.meta.delimiter;
  return {
    fileName,
    format: format === 'csv' && delimiter === '\t' ? 'tsv' : format,
    rows: squareUp(rows),
    sourceRows,
    delimiter,
    ...(encoding ? { encoding } : {}),
  };
}

export function parseDelimitedBytes(bytes: Uint8Array, fileName: string): ImportedTable {
  const { text, encoding } = decodeText(bytes);
  return parseDelimitedText(text, fileName, fileName.toLowerCase().endsWith('.tsv') ? 'tsv' : 'csv', encoding);
}
