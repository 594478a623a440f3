/** Hostile and odd inputs, built in memory (the big ones streamed, so building them stays cheap). */
import { zipSync, strToU8 } from 'fflate';
import { makeZip } from './zip.ts';

export const utf16 = (text: string, order: 'le' | 'be'): Uint8Array => {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2 + (order === 'le' ? 0 : 1)] = c & 0xff;
    out[i * 2 + (order === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
};

/** One line of `mb` megabytes: no delimiter, no line end. */
export const oneLineCsv = (mb: number): Uint8Array => new Uint8Array(mb * 1024 * 1024).fill(0x61);

const WORKBOOK_PARTS = {
  '[Content_Types].xml':
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
};
const SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/** A zip written by hand with Node's zlib (fast enough to build a gigabyte bomb in seconds). */
export function zipFiles(files: { name: string; data: Buffer; declaredSize?: number }[], level = 1): Uint8Array {
  return new Uint8Array(makeZip(files.map((f) => ({ ...f, deflate: level }))));
}

/** A one-sheet workbook with this sheet XML body (between <sheetData> and </sheetData>). */
export function sheetXlsx(body: Buffer | string, declaredSize?: number, level = 1): Uint8Array {
  const sheet = Buffer.concat([Buffer.from(SHEET_HEAD), typeof body === 'string' ? Buffer.from(body) : body, Buffer.from(SHEET_TAIL)]);
  return zipFiles(
    [
      ...Object.entries(WORKBOOK_PARTS).map(([name, text]) => ({ name, data: Buffer.from(text) })),
      { name: 'xl/worksheets/sheet1.xml', data: sheet, ...(declaredSize === undefined ? {} : { declaredSize }) },
    ],
    level,
  );
}

/** `rows` rows of one inline-string email cell each. */
export function tallXlsx(rows: number): Uint8Array {
  const parts: string[] = [];
  for (let r = 1; r <= rows; r++) parts.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>user${r}@x.io</t></is></c></row>`);
  return sheetXlsx(parts.join(''));
}

/** A zip bomb: a small workbook whose sheet unpacks to `mib` MiB (a comment of spaces). */
export const bombXlsx = (mib: number, level = 1): Uint8Array =>
  sheetXlsx(Buffer.concat([Buffer.from('<!--'), Buffer.alloc(mib * 1024 * 1024, 0x20), Buffer.from('-->')]), undefined, level);

/** Like bombXlsx, but its zip directory declares a tiny size: only inflating it shows what it holds. */
export const lyingBombXlsx = (mib: number, level = 1): Uint8Array =>
  sheetXlsx(Buffer.concat([Buffer.from('<!--'), Buffer.alloc(mib * 1024 * 1024, 0x20), Buffer.from('-->')]), 1000, level);

/** A zip that is not a workbook (a Word document, an OpenDocument file, a Numbers file, any zip). */
export const zipOf = (names: string[]): Uint8Array => zipSync(Object.fromEntries(names.map((n) => [n, strToU8('x')])));
