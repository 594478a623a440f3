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

/**
 * How Excel splits a line where `;` is the list separator (much of Europe): on every `;`, a field quoted only when
 * its first character is a quote. What a cell then starts with is what Excel may run as a formula.
 */
function excelFields(line: string, sep: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let v = '';
    if (line[i] === '"') {
      // Quoted: up to the closing quote ("" is one quote), then whatever follows up to the separator.
      for (i++; i < line.length; i++) {
        if (line[i] !== '"') v += line[i];
        else if (line[i + 1] === '"') v += line[i++];
        else {
          i++;
          break;
        }
      }
    }
    const next = line.indexOf(sep, i);
    out.push(v + line.slice(i, next === -1 ? line.length : next));
    if (next === -1) return out;
    i = next + 1;
  }
}

describe('CSV exports opened where ; is the list separator (issue 20, item 10)', () => {
  const hostile = ['x;=1+1', 'a;+1', 'b;-2', 'c;@SUM(A1)', 'd; =1+1', 'e;"=HYPERLINK(""http://x"")"', 'f;;=1', '=g;=h', 'i;\t=1'];
  it('no cell of any row becomes a formula, first column or not; every cell still reads as written (with its apostrophes)', () => {
    const csv = toCsv([['row', 'email', 'note'], ...hostile.map((h, i) => [String(i), `${i}@x.test`, h]), ...hostile.map((h) => [h])]);
    const lines = csv
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter(Boolean);
    const formulas = lines.flatMap((l) => excelFields(l, ';')).filter((f) => /^[ \u00a0]*[=+\-@\t\r]/.test(f));
    expect(formulas).toEqual([]);
    // Opened where `,` separates: the same cells, neutralised but whole.
    const cells = cellsOf(csv);
    for (const h of hostile) expect(cells.some((c) => c.replace(/'/g, '') === h.replace(/'/g, ''))).toBe(true);
  });
});
