/**
 * Where sheets and remembered column mappings live: this computer's SQLite (below) or the team's PostgreSQL
 * (team/pgSheets.ts). What sheetsService needs and nothing more, all async. A save names the version it was made
 * over: when someone saved since, it is refused with who and when, and nothing of either side is lost.
 */
import type { RowPatch } from '../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import type { SheetsRepo } from './sheetsRepo.ts';

export type SheetChange = { name?: string; settings?: SheetSettings; columns?: SheetColumn[]; rows?: string[][]; patches?: RowPatch[] };

/** A save: written (its new version), or refused because the sheet moved on since `baseVersion` (who, when). */
export type SheetWrite =
  { saved: true; rowCount: number; version: number; updatedAt: number } | { saved: false; changedBy: string | null; changedAt: number };

export interface SheetsStore {
  /** The live sheets, last changed first. */
  list(): Promise<SheetSummary[]>;
  /** A live sheet with its cells (the saved row patches folded in), or null. */
  get(id: string): Promise<SheetDoc | null>;
  /** A sheet's summary, deleted or not. */
  summary(id: string): Promise<SheetSummary | null>;
  insert(doc: SheetDoc): Promise<void>;
  /** null when the sheet is gone or deleted; without `baseVersion` the save is not checked (today's callers). */
  update(id: string, change: SheetChange, at: { now: number; baseVersion?: number }): Promise<SheetWrite | null>;
  /** Deletes (at a time) or restores (null); only a live sheet is deleted and only a deleted one restored. */
  setDeleted(id: string, at: number | null): Promise<boolean>;
  getMapping(headerKey: string): Promise<SheetColumn[] | null>;
  saveMapping(headerKey: string, columns: SheetColumn[], now: number): Promise<void>;
}

/** This computer's sheets: today's synchronous repo behind the port. */
export function sqliteSheetsStore(repo: SheetsRepo): SheetsStore {
  return {
    list: async () => repo.list(),
    get: async (id) => repo.get(id),
    summary: async (id) => repo.summary(id),
    insert: async (doc) => repo.insert(doc),
    update: async (id, change, at) => repo.update(id, change, at.now, at.baseVersion),
    setDeleted: async (id, at) => repo.setDeleted(id, at),
    getMapping: async (key) => repo.getMapping(key),
    saveMapping: async (key, columns, now) => repo.saveMapping(key, columns, now),
  };
}
