/**
 * What a file really is, from its first bytes rather than its name: a spreadsheet we read (text, .xlsx), or a
 * file we refuse with a message that names it and says what it looks like and what to do instead.
 */
import { ImportError } from './table.ts';
import { isZip, zipEntries } from './zip.ts';

export type Sniffed = { kind: 'text' } | { kind: 'xlsx' };

const starts = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

const MAGIC: { sig: number[]; at?: number; what: string }[] = [
  {
    sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'a legacy Excel .xls file (or another pre-2007 Office document): save it as .xlsx or CSV and import that',
  },
  { sig: ascii('%PDF-'), what: 'a PDF document, not a spreadsheet: export the table as CSV or .xlsx where it came from' },
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image, not a spreadsheet' },
  { sig: [0xff, 0xd8, 0xff], what: 'a JPEG image, not a spreadsheet' },
  { sig: ascii('GIF8'), what: 'a GIF image, not a spreadsheet' },
  { sig: ascii('RIFF'), what: 'a RIFF file (a WebP image, WAV or AVI), not a spreadsheet' },
  { sig: ascii('ftyp'), at: 4, what: 'an image or video (HEIC/MP4), not a spreadsheet' },
  { sig: [0x1f, 0x8b], what: 'a gzip archive: unpack it and import the CSV or .xlsx inside' },
  { sig: ascii('7z'), what: 'a 7-Zip archive: unpack it and import the CSV or .xlsx inside' },
  { sig: ascii('Rar!'), what: 'a RAR archive: unpack it and import the CSV or .xlsx inside' },
  { sig: ascii('SQLite format 3'), what: 'an SQLite database, not a spreadsheet' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF), not a spreadsheet' },
];

function zipKind(b: Uint8Array): Sniffed | string {
  const names = zipEntries(b)?.map((e) => e.name);
  if (!names) return 'a damaged or incomplete zip archive (an .xlsx is a zip too): save or download it again';
  const has = (p: string) => names.some((n) => n === p || n.startsWith(p));
  if (has('xl/workbook.xml') || has('xl/')) return { kind: 'xlsx' };
  if (has('word/')) return 'a Word document (.docx), not a spreadsheet: copy the table into a spreadsheet and save it as CSV or .xlsx';
  if (has('ppt/')) return 'a PowerPoint presentation, not a spreadsheet';
  if (has('Index/') || has('Index.zip'))
    return 'an Apple Numbers file: in Numbers choose File › Export To › CSV (or Excel) and import that';
  if (has('content.xml') && has('mimetype'))
    return 'an OpenDocument file (.ods, LibreOffice): choose File › Save As and pick Excel (.xlsx) or CSV';
  return 'a zip archive: unzip it and import the CSV or .xlsx inside';
}

/** True when the bytes look like UTF-16 without a BOM: every other byte is NUL in ASCII-range text. */
export function utf16Guess(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Decides how to read a file, or throws an ImportError naming the file and what it looks like. */
export function sniffFile(b: Uint8Array, fileName: string): Sniffed {
  const refuse = (what: string): never => {
    throw new ImportError(fileName, `This is ${what}.`);
  };
  if (isZip(b)) {
    const k = zipKind(b);
    return typeof k === 'string' ? refuse(k) : k;
  }
  for (const m of MAGIC) if (starts(b, m.sig, m.at ?? 0)) refuse(m.what);
  if (starts(b, [0xef, 0xbb, 0xbf]) || starts(b, [0xff, 0xfe]) || starts(b, [0xfe, 0xff]) || utf16Guess(b)) return { kind: 'text' };
  // Text has no NULs and few control characters; a binary file has both.
  const n = Math.min(b.length, 8192);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) nul++;
    else if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (nul > 0 || control > n * 0.02) refuse('a binary file, not text (it contains NUL or control bytes): choose a CSV, TSV or .xlsx file');
  const head = new TextDecoder('utf-8').decode(b.subarray(0, 2048)).trimStart().toLowerCase();
  if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet'))
    refuse('an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx or CSV');
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<table'))
    refuse('a web page (some systems export “.xls” files that are HTML): open it in Excel and save it as .xlsx or CSV');
  return { kind: 'text' };
}
