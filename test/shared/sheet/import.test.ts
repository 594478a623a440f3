import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/shared/domain/import/decode.ts';
import { parseDelimitedBytes, parseDelimitedText } from '../../../src/shared/domain/import/delimited.ts';
import { ImportError } from '../../../src/shared/domain/import/table.ts';
import { parseXlsx } from '../../../src/shared/domain/import/xlsx.ts';
import { makeXlsx, messyCsv, windows1252Csv } from '../../helpers/fixtures.ts';

describe('delimited import', () => {
  it('reads a messy European CSV: BOM, semicolons, CRLF, quoted newline, blank lines, trailing newline', () => {
    const t = parseDelimitedBytes(messyCsv(), 'people.csv');
    expect(t.encoding).toBe('utf-8-bom');
    expect(t.delimiter).toBe(';');
    expect(t.rows[0]).toEqual(['E-mail', 'Full name', 'public.team.name', 'public_metadata', 'Expires']);
    expect(t.rows).toHaveLength(6);
    expect(t.rows[2]).toEqual(['grace@example.com', 'Grace\nHopper', 'Compilers', '', '14']);
    // File line numbers survive blank lines and the quoted newline.
    expect(t.sourceRows).toEqual([1, 2, 4, 6, 7, 8]);
  });

  it.each([
    ['a,b\n1,2\n', ','],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['a;b\n1;2\n', ';'],
  ])('detects the delimiter of %j', (text, delimiter) => {
    const t = parseDelimitedText(text, 'x.csv');
    expect(t.delimiter).toBe(delimiter);
    expect(t.rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    expect(decodeText(windows1252Csv())).toMatchObject({ encoding: 'windows-1252' });
    expect(parseDelimitedBytes(windows1252Csv(), 'w.csv').rows[1]).toEqual(['rene@example.com', 'Orléans']);
  });

  it('names the file and row of an unclosed quote', () => {
    const e = (() => {
      try {
        parseDelimitedText('email,name\nok@x.io,fine\nbad@x.io,"never closed\nmore@x.io,x\n', 'broken.csv');
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toMatch(/^broken\.csv \(row 3\): .*never closed/);
  });

  it('refuses an empty file with its name', () => {
    expect(() => parseDelimitedText('\r\n\r\n', 'empty.csv')).toThrow(/empty\.csv: The file has no rows/);
  });
});

describe('xlsx import', () => {
  it('opens the sheet that has the emails by default, another on request, and lists the sheet names', async () => {
    const buf = await makeXlsx([
      { name: 'Summary', rows: [['nothing here']] },
      {
        name: 'People',
        rows: [
          ['email', 'seats', 'admin'],
          ['a@x.io', 3, true],
          [null, null, null],
          ['b@x.io', 5, false],
        ],
      },
    ]);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    const first = await parseXlsx(ab, 'book.xlsx');
    expect(first).toMatchObject({
      sheetNames: ['Summary', 'People'],
      sheetName: 'People',
      warnings: ['Opened sheet “People”: it has the email addresses'],
    });
    expect((await parseXlsx(ab, 'book.xlsx', 'Summary')).rows).toEqual([['nothing here']]);
    const people = await parseXlsx(ab, 'book.xlsx', 'People');
    expect(people.rows).toEqual([
      ['email', 'seats', 'admin'],
      ['a@x.io', '3', 'true'],
      ['b@x.io', '5', 'false'],
    ]);
    expect(people.sourceRows).toEqual([1, 2, 4]);
  });

  it('says which file is not a workbook', async () => {
    await expect(parseXlsx(new TextEncoder().encode('hello').buffer as ArrayBuffer, 'fake.xlsx')).rejects.toThrow(
      /fake\.xlsx: Not a readable \.xlsx/,
    );
  });
});
