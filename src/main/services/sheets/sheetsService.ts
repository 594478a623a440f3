/** Sheet drafts: created from an import, autosaved on every edit, soft-deleted so a delete can be undone. */
import { headerSetKey } from '../../../shared/domain/sheet/mapping.ts';
import type { RowPatch } from '../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { Failure } from '../failure.ts';
import type { SheetCreateInput } from '../../../shared/ipc/contract.ts';
import { unpackRows } from '../../../shared/domain/sheet/packed.ts';
import type { SheetsRepo } from './sheetsRepo.ts';

export type SheetsDeps = { repo: SheetsRepo; now: () => number; newId: () => string; onChange: (list: SheetSummary[]) => void };

export function createSheetsService({ repo, now, newId, onChange }: SheetsDeps) {
  const changed = () => onChange(repo.list());
  const mustExist = (id: string) => {
    const s = repo.summary(id);
    if (!s) throw new Failure('sheet_not_found', 'That sheet no longer exists.');
    return s;
  };
  return {
    list: () => repo.list(),
    get: (id: string): SheetDoc => {
      const doc = repo.get(id);
      if (!doc) throw new Failure('sheet_not_found', 'That sheet no longer exists (it may have been deleted).');
      return doc;
    },
    create: (input: SheetCreateInput): SheetSummary => {
      const t = now();
      const { packed, rows, ...rest } = input;
      const doc: SheetDoc = { id: newId(), ...rest, rows: packed ? unpackRows(packed) : rows, createdAt: t, updatedAt: t };
      repo.insert(doc);
      changed();
      return repo.summary(doc.id)!;
    },
    save: (input: {
      id: string;
      name?: string;
      settings?: SheetSettings;
      columns?: SheetColumn[];
      rows?: string[][];
      patches?: RowPatch[];
    }): { updatedAt: number; rowCount: number } => {
      const { id, ...patch } = input;
      const t = now();
      const before = patch.patches ? repo.summary(id)?.rowCount : undefined;
      const r = repo.update(id, patch, t);
      if (!r)
        throw new Failure('sheet_not_found', 'That sheet was deleted; your last edit was not saved. Undo the delete to keep editing.');
      // A cell edit changes nothing the sheet list shows but the time: no list event for it (keeps an edit small).
      const countChanged = before !== undefined && before !== r.rowCount;
      if (patch.name !== undefined || patch.rows !== undefined || patch.settings !== undefined || countChanged) changed();
      return { updatedAt: t, rowCount: r.rowCount };
    },
    duplicate: (id: string): SheetSummary => {
      const doc = repo.get(id);
      if (!doc) throw new Failure('sheet_not_found', 'That sheet no longer exists.');
      const t = now();
      const copy: SheetDoc = { ...doc, id: newId(), name: `${doc.name} (copy)`, createdAt: t, updatedAt: t };
      repo.insert(copy);
      changed();
      return repo.summary(copy.id)!;
    },
    remove: (id: string): { id: string } => {
      mustExist(id);
      // Deleting again would rewrite when it was deleted (and what undo restores): refuse.
      if (!repo.setDeleted(id, now())) throw new Failure('sheet_deleted', 'That sheet is deleted already: undo the delete to get it back.');
      changed();
      return { id };
    },
    restore: (id: string): SheetSummary => {
      const s = mustExist(id);
      if (!repo.setDeleted(id, null)) throw new Failure('sheet_not_deleted', 'That sheet is not deleted: there is nothing to undo.');
      changed();
      return s;
    },
    getMapping: (headers: string[]) => repo.getMapping(headerSetKey(headers)),
    saveMapping: (headers: string[], columns: SheetColumn[]) => repo.saveMapping(headerSetKey(headers), columns, now()),
  };
}
export type SheetsService = ReturnType<typeof createSheetsService>;
