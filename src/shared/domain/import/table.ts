/** What an import produces before mapping: a grid of text with the file's facts. */
export type ImportedTable = {
  fileName: string;
  format: 'csv' | 'tsv' | 'xlsx' | 'paste';
  /** Every non-blank row of the file, as text. */
  rows: string[][];
  /** 1-based line/row number in the file of each entry of `rows` (blank lines skipped). */
  sourceRows: number[];
  delimiter?: string;
  encoding?: string;
  sheetNames?: string[];
  sheetName?: string;
  /** Index in `rows` of the row that looks like the header (under a preamble, it is not the first). */
  headerRow?: number;
  /** What the user should know before mapping: nothing is lost or changed without one of these. */
  warnings?: string[];
};

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly fileName: string;
  readonly row: number | null;
  readonly column: number | null;
  constructor(fileName: string, message: string, where: { row?: number | null; column?: number | null } = {}) {
    const at = [where.row ? `row ${where.row}` : '', where.column ? `column ${where.column}` : ''].filter(Boolean).join(', ');
    super(`${fileName}${at ? ` (${at})` : ''}: ${message}`);
    this.fileName = fileName;
    this.row = where.row ?? null;
    this.column = where.column ?? null;
  }
}

/** Pads rows to the widest, trims trailing all-empty columns. */
export function squareUp(rows: string[][]): string[][] {
  let width = 0;
  for (const r of rows) {
    for (let i = r.length - 1; i >= 0; i--) {
      if (r[i]!.trim() !== '') {
        width = Math.max(width, i + 1);
        break;
      }
    }
  }
  return rows.map((r) =>
    r.length === width ? r : r.length > width ? r.slice(0, width) : [...r, ...Array<string>(width - r.length).fill('')],
  );
}
