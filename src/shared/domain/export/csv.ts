/**
 * CSV for people to open in Excel, Numbers or Google Sheets: RFC 4180 quoting, CRLF, and formula injection
 * neutralised (OWASP "CSV Injection"): a cell that starts with =, +, -, @, tab or CR (or LF) would be run as a
 * formula (`=HYPERLINK(…)`, `=cmd|…`), so it is written with a leading apostrophe, which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
/**
 * Where `;` is the list separator (Excel in much of Europe), a line is split on every `;`, quotes or not, so
 * `x;=1+1` in any column becomes a cell `=1+1`: an apostrophe goes after each `;` that such a cell would start at.
 */
const AFTER_SEMICOLON = /;(?=[ \u00a0"]*[=+\-@\t\r\n])/g;

/** The text a cell is written with: dangerous starts (of the cell, or after a `;`) prefixed with an apostrophe. */
export function neutralize(text: string): string {
  return (FORMULA_START.test(text) ? `'${text}` : text).replace(AFTER_SEMICOLON, ";'");
}

export function csvCell(value: unknown): string {
  const t = neutralize(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(t) || t.startsWith("'") ? `"${t.replace(/"/g, '""')}"` : t;
}

/** One line of CSV with its CRLF: what toCsv writes for a row (a long export is written line by line). */
export function csvLine(row: readonly unknown[]): string {
  return `${row.map(csvCell).join(',')}\r\n`;
}

/** Rows to CSV text with CRLF line ends and a UTF-8 BOM (so Excel reads accents right). */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return `\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
