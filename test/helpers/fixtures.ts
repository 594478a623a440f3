/** Files an ops person really gets: Excel's CSV quirks, European delimiters, BOMs, Windows-1252, workbooks. */
import writeExcelFile from 'write-excel-file/node';

/** Semicolons, UTF-8 BOM, CRLF, a quoted newline, a duplicate, a bad email, a JSON metadata column, blank lines, trailing newline. */
export function messyCsv(): Uint8Array {
  const text = [
    'E-mail;Full name;public.team.name;public_metadata;Expires',
    'ada@Example.COM;Ada Lovelace;Engines;{"tier":"gold"};7',
    '',
    'grace@example.com;"Grace\nHopper";Compilers;;14',
    'not-an-email;Bad Row;Ops;;7',
    'ADA@example.com;Ada again;Engines;;7',
    'linus@example.com;Linus;Kernels;{"tier":"silver","tags":["a"]};',
    '',
  ].join('\r\n');
  return new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
}

/** Windows-1252 bytes (é = 0xE9), as Excel on Windows saves "CSV". */
export function windows1252Csv(): Uint8Array {
  const lines = 'email,city\r\nrene@example.com,Orl\xe9ans\r\n';
  return Uint8Array.from(lines, (c) => c.charCodeAt(0));
}

export async function makeXlsx(sheets: { name: string; rows: (string | number | boolean | null)[][] }[]): Promise<Buffer> {
  return writeExcelFile(
    sheets.map((s) => ({ sheet: s.name, data: s.rows.map((r) => r.map((v) => (v === null ? null : { value: v }))) })) as never,
  ).toBuffer();
}
