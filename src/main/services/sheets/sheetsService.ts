/**
 * Sheet drafts: created from an import, autosaved on every edit, soft-deleted so a delete can be undone. A save made
 * over an older version than the stored one (a teammate saved the shared sheet since) is refused, never merged blind.
 */
import { headerSetKey } from '../../../shared/domain/sheet/mapping.ts';
import type { RowPatch } from '../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { Failure } from '../failure.ts';
import type { SheetCreateInput } from '../../../shared/ipc/contract.ts';
import { unpackRows } from '../../../shared/domain/sheet/packed.ts';
import type { SheetsStore } from './sheetsStore.ts';

export type SheetsDeps = { store: SheetsStore; now: () => number; newId: () => string; onChange: (list: SheetSummary[]) => void };

/** When a teammate saved, as the person at this computer reads clocks (main runs in the user's locale). */
const clockTime = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function createSheetsService({ store, now, newId, onChange }: SheetsDeps) {
  const changed = async () => onChange(await store.list());
  const mustExist = async (id: string) => {
    const s = await store.summary(id);
    if (!s) throw new Failure('sheet_not_found', 'That sheet no longer exists.');
    return s;
  };
  const created = async (id: string) => (await store.summary(id))!;
  return {
    list: () => store.list(),
    async get(id: string): Promise<SheetDoc> {
      const doc = await store.get(id);
      if (!doc) throw new Failure('sheet_not_found', 'That sheet no longer exists (it may have been deleted).');
      return doc;
    },
    async create(input: SheetCreateInput): Promise<SheetSummary> {
      const t = now();
      const { packed, rows, ...rest } = input;
      const doc: SheetDoc = { id: newId(), ...rest, rows: packed ? unpackRows(packed) : rows, createdAt: t, updatedAt: t };
      await store.insert(doc);
      await changed();
      return created(doc.id);
    },
    /** `baseVersion`: the version the editor's copy was loaded or last saved at; without it the save is not checked. */
    async save(input: {
      id: string;
      baseVersion?: number;
      name?: string;
      settings?: SheetSettings;
      columns?: SheetColumn[];
      rows?: string[][];
      patches?: RowPatch[];
    }): Promise<{ updatedAt: number; rowCount: number; version: number }> {
      const { id, baseVersion, ...patch } = input;
      const before = patch.patches ? (await store.summary(id))?.rowCount : undefined;
      const r = await store.update(id, patch, { now: now(), ...(baseVersion !== undefined ? { baseVersion } : {}) });
      if (!r)
        throw new Failure('sheet_not_found', 'That sheet was deleted; your last edit was not saved. Undo the delete to keep editing.');
      if (!r.saved) {
        const who = r.changedBy ?? 'Another window on this computer';
        throw new Failure('sheet_changed', `${who} changed this sheet at ${clockTime(r.changedAt)}; reload it or save yours as a copy.`, {
          detail: { changedBy: r.changedBy, changedAt: r.changedAt },
        });
      }
      // A cell edit changes nothing the sheet list shows but the time: no list event for it (keeps an edit small).
      const countChanged = before !== undefined && before !== r.rowCount;
      if (patch.name !== undefined || patch.rows !== undefined || patch.settings !== undefined || countChanged) await changed();
      return { updatedAt: r.updatedAt, rowCount: r.rowCount, version: r.version };
    },
    async duplicate(id: string): Promise<SheetSummary> {
      const doc = await store.get(id);
      if (!doc) throw new Failure('sheet_not_found', 'That sheet no longer exists.');
      const t = now();
      const { version: _, ...rest } = doc;
      const copy: SheetDoc = { ...rest, id: newId(), name: `${doc.name} (copy)`, createdAt: t, updatedAt: t };
      await store.insert(copy);
      await changed();
      return created(copy.id);
    },
    async remove(id: string): Promise<{ id: string }> {
      await mustExist(id);
      // Deleting again would rewrite when it was deleted (and what undo restores): refuse.
      if (!(await store.setDeleted(id, now())))
        throw new Failure('sheet_deleted', 'That sheet is deleted already: undo the delete to get it back.');
      await changed();
      return { id };
    },
    async restore(id: string): Promise<SheetSummary> {
      const s = await mustExist(id);
      if (!(await store.setDeleted(id, null)))
        throw new Failure('sheet_not_deleted', 'That sheet is not deleted: there is nothing to undo.');
      await changed();
      return s;
    },
    getMapping: (headers: string[]) => store.getMapping(headerSetKey(headers)),
    saveMapping: (headers: string[], columns: SheetColumn[]) => store.saveMapping(headerSetKey(headers), columns, now()),
  };
}
export type SheetsService = ReturnType<typeof createSheetsService>;
