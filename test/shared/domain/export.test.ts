import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/shared/domain/export/csv.ts';
import { sheetCsv } from '../../../src/shared/domain/export/sheetCsv.ts';

const DANGEROUS = /^[=+\-@\t\r]/;
const cellsOf = (csv: string) => Papa.parse<string[]>(csv.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data.flat();

describe('CSV exports (OWASP CSV injection)', () => {
  it('writes every cell that starts with = + - @ tab or CR as text, and leaves the rest as they are', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvCell('ana@example.com')).toBe('ana@example.com');
    expect(csvCell('a "quote", here')).toBe('"a ""quote"", here"');
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 'b']])).toBe('\ufeffa,b\r\n');
  });

  it('neutralises all 11 dangerous cells of a hostile sheet, headers included', () => {
    const hostile = [
      ['=HYPERLINK("http://evil.test","x")', '+1', '-1', '@x'],
      ['\t=1', '\r=2', '=cmd|" /C calc"!A0', 'fine'],
      ['+tag@example.com', '-dash@example.com', '=2+3', '{"a":"=1"}'],
    ];
    const doc = {
      columns: ['Email', '=Header', 'notes', 'meta'].map((h, i) => ({ id: `c${i}`, header: h, target: { kind: 'ignore' } as const })),
      rows: hostile,
    };
    const before = [...doc.columns.map((c) => c.header), ...hostile.flat()].filter((c) => DANGEROUS.test(c));
    expect(before).toHaveLength(11);
    const cells = cellsOf(sheetCsv(doc));
    expect(cells.filter((c) => DANGEROUS.test(c))).toEqual([]);
    expect(cells.filter((c) => c.startsWith("'")).map((c) => c.slice(1))).toEqual(before);
    expect(cells).toContain('{"a":"=1"}');
  });
});
