/** A sheet as CSV: its headers and cells exactly as edited, formulas neutralised (see csv.ts). */
import type { SheetDoc } from '../sheet/types.ts';
import { toCsv } from './csv.ts';

export function sheetCsv(doc: Pick<SheetDoc, 'columns' | 'rows'>): string {
  return toCsv([doc.columns.map((c) => c.header), ...doc.rows.map((r) => doc.columns.map((_, i) => r[i] ?? ''))]);
}

export const csvFileName = (name: string): string => `${name.replace(/[\\/:*?"<>|]+/g, '_')}.csv`;
