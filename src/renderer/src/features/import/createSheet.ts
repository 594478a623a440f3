/**
 * What the mapping step's actions do, apart from its rendering: the mapping remembered for these headers, and
 * Create (the worker's rows stored by main while this window unpacks and checks its own copy, both cores busy).
 */
import { unpackRows } from '../../../../shared/domain/sheet/packed.ts';
import { suggestColumns } from '../../../../shared/domain/sheet/mapping.ts';
import type { SheetColumn, SheetDoc } from '../../../../shared/domain/sheet/types.ts';
import { getApi } from '../../lib/api.ts';
import { prevalidate, type Prevalidated } from '../../store/sheet.ts';
import { sheetHead, type MappingChoice } from './buildSheet.ts';
import { checkFromTheEnd } from './checkTogether.ts';
import type { ImportPreview } from './importCore.ts';
import type { ImportSession } from './parseFile.ts';

/** The columns as last mapped for these headers (matched by name), over the suggestion; null when none was saved. */
export async function rememberedColumns(headers: string[], table: ImportPreview, headerRow: number): Promise<SheetColumn[] | null> {
  const r = await getApi().mappingsGet({ headers });
  if (!r.ok || !r.value) return null;
  const byHeader = new Map(r.value.map((c) => [c.header.trim().toLowerCase(), c.target]));
  return suggestColumns(headers, undefined, table.rows.slice(headerRow + 1)).map((c) => ({
    ...c,
    target: byHeader.get(c.header.trim().toLowerCase()) ?? c.target,
  }));
}

export type Created = { ok: true; doc: SheetDoc; checked: Prevalidated } | { ok: false; message: string };

/** Creates the sheet from the file as mapped; its validation is ready when it opens. Marks where the time goes. */
export async function createSheet(
  session: ImportSession,
  headers: string[],
  choice: MappingChoice & { unwrapEmails: boolean },
): Promise<Created> {
  // Marks for the bench (and DevTools' Performance panel): where Create's time goes.
  const span = (name: string, start: number) => performance.measure(`import:${name}`, { start, end: performance.now() });
  const head = sheetHead(session.preview.fileName, choice);
  let t = performance.now();
  let from;
  try {
    // The worker checks rows from the first one while this window unpacks and checks from the last (two cores).
    from = await session.build(choice.headerRow, choice.columns, { settings: head.settings, unwrapEmails: choice.unwrapEmails });
    span('rows from the worker', t);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const built = from.built;
  const created = getApi().sheetsCreate(
    'packed' in built ? { ...head, packed: { ...built.packed, lengths: Array.from(built.packed.lengths) } } : { ...head, rows: built.rows },
  );
  // The window's own copy of the rows is unpacked and checked while main stores them (another process).
  t = performance.now();
  const rows = 'packed' in built ? unpackRows(built.packed) : built.rows;
  span('unpack', t);
  t = performance.now();
  const sheet = { ...head, rows };
  const parts = await checkFromTheEnd(sheet, from.feed);
  const byWorker = (from.feed?.parts ?? []).reduce((n, p) => n + p.to - p.from, 0);
  span(`check (${Math.round((100 * byWorker) / Math.max(1, rows.length))}% of rows by the worker)`, t);
  t = performance.now();
  const checked = prevalidate(sheet, parts);
  span('add up', t);
  t = performance.now();
  const r = await created;
  span('wait for main', t);
  if (!r.ok) return { ok: false, message: r.error.message };
  void getApi().mappingsSave({ headers, columns: choice.columns });
  const { id, createdAt, updatedAt, version } = r.value;
  return { ok: true, doc: { ...head, rows, id, createdAt, updatedAt, ...(version !== undefined ? { version } : {}) }, checked };
}
