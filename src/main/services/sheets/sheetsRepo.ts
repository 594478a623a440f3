/**
 * Sheets as rows of the `sheets` table. The cells are one JSON text per sheet plus the row patches appended
 * since (`sheet_patches`), so an edit writes what it changed; opening a sheet folds the patches in. A sheet's version
 * is its `updated_at`, moved forward by at least 1 ms on every save so that no two saves share one.
 */
import { applyPatches, patchedCount, type RowPatch } from '../../../shared/domain/sheet/patch.ts';
import type { SheetColumn, SheetDoc, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import { transaction, type Db, type SqlValue } from '../db/types.ts';
import { Failure } from '../failure.ts';
import type { SheetWrite } from './sheetsStore.ts';
import { mappingRow, sheetCells, sheetPatch, sheetRow, sheetStampRow, sheetSummaryRow } from './sheetsTable.ts';

export function createSheetsRepo(db: Db) {
  return {
    list: (): SheetSummary[] =>
      db
        .prepare('SELECT id, name, kind, row_count, created_at, updated_at FROM sheets WHERE deleted_at IS NULL ORDER BY updated_at DESC')
        .all()
        .map(sheetSummaryRow),
    get: (id: string, includeDeleted = false): SheetDoc | null =>
      transaction(db, () => {
        const r = db.prepare(`SELECT * FROM sheets WHERE id = ?${includeDeleted ? '' : ' AND deleted_at IS NULL'}`).get(id);
        if (!r) return null;
        const cells = db.prepare('SELECT rows FROM sheet_rows WHERE sheet_id = ?').get(id);
        let rows = cells ? sheetCells(cells) : [];
        const stored = db.prepare('SELECT patch FROM sheet_patches WHERE sheet_id = ? ORDER BY seq').all(id);
        if (stored.length) {
          for (const p of stored) rows = applyPatches(rows, sheetPatch(p));
          // Compact: the next open reads one text again.
          db.prepare('UPDATE sheet_rows SET rows = ? WHERE sheet_id = ?').run(JSON.stringify(rows), id);
          db.prepare('UPDATE sheets SET row_count = ? WHERE id = ?').run(rows.length, id);
          db.prepare('DELETE FROM sheet_patches WHERE sheet_id = ?').run(id);
        }
        const sheet = sheetRow(r);
        return {
          id: sheet.id,
          name: sheet.name,
          settings: sheet.settings,
          columns: sheet.columns,
          rows,
          createdAt: sheet.createdAt,
          updatedAt: sheet.updatedAt,
          version: sheet.version,
        };
      }),
    summary: (id: string): SheetSummary | null => {
      const r = db.prepare('SELECT id, name, kind, row_count, created_at, updated_at FROM sheets WHERE id = ?').get(id);
      return r ? sheetSummaryRow(r) : null;
    },
    insert: (doc: SheetDoc): void =>
      transaction(db, () => {
        db.prepare(
          'INSERT INTO sheets (id, name, kind, settings, columns, row_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          doc.id,
          doc.name,
          doc.settings.kind,
          JSON.stringify(doc.settings),
          JSON.stringify(doc.columns),
          doc.rows.length,
          doc.createdAt,
          doc.updatedAt,
        );
        db.prepare('INSERT INTO sheet_rows (sheet_id, rows) VALUES (?, ?)').run(doc.id, JSON.stringify(doc.rows));
      }),
    update: (
      id: string,
      patch: { name?: string; settings?: SheetSettings; columns?: SheetColumn[]; rows?: string[][]; patches?: RowPatch[] },
      now: number,
      baseVersion?: number,
    ): SheetWrite | null =>
      transaction(db, () => {
        const current = db.prepare('SELECT row_count, updated_at FROM sheets WHERE id = ? AND deleted_at IS NULL').get(id);
        if (!current) return null;
        const stamp = sheetStampRow(current);
        if (baseVersion !== undefined && baseVersion !== stamp.version)
          return { saved: false, changedBy: stamp.updatedBy, changedAt: stamp.updatedAt };
        const at = Math.max(now, stamp.updatedAt + 1);
        let rowCount = patch.rows ? patch.rows.length : stamp.rowCount;
        const sets: string[] = ['updated_at = ?'];
        const params: SqlValue[] = [at];
        const add = (sql: string, value: SqlValue) => {
          sets.push(sql);
          params.push(value);
        };
        if (patch.name !== undefined) add('name = ?', patch.name);
        if (patch.settings !== undefined) {
          add('settings = ?', JSON.stringify(patch.settings));
          add('kind = ?', patch.settings.kind);
        }
        if (patch.columns !== undefined) add('columns = ?', JSON.stringify(patch.columns));
        if (patch.rows !== undefined) {
          db.prepare('UPDATE sheet_rows SET rows = ? WHERE sheet_id = ?').run(JSON.stringify(patch.rows), id);
          db.prepare('DELETE FROM sheet_patches WHERE sheet_id = ?').run(id);
        }
        if (patch.patches?.length) {
          const after = patchedCount(rowCount, patch.patches);
          if ('error' in after)
            throw new Failure('sheet_conflict', `This edit does not fit the saved sheet (${after.error}). Reopen the sheet to continue.`);
          rowCount = after.count;
          db.prepare('INSERT INTO sheet_patches (sheet_id, patch) VALUES (?, ?)').run(id, JSON.stringify(patch.patches));
        }
        add('row_count = ?', rowCount);
        db.prepare(`UPDATE sheets SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
        return { saved: true, rowCount, version: at, updatedAt: at };
      }),
    /** Deletes (at a time) or restores (null) a sheet; only a live sheet is deleted and only a deleted one restored. */
    setDeleted: (id: string, at: number | null): boolean =>
      Number(
        db.prepare(`UPDATE sheets SET deleted_at = ? WHERE id = ? AND deleted_at IS ${at === null ? 'NOT NULL' : 'NULL'}`).run(at, id)
          .changes,
      ) > 0,
    getMapping: (key: string): SheetColumn[] | null => {
      const r = db.prepare('SELECT columns FROM column_mappings WHERE header_key = ?').get(key);
      return r ? mappingRow(r) : null;
    },
    saveMapping: (key: string, columns: SheetColumn[], now: number): void => {
      db.prepare(
        'INSERT INTO column_mappings (header_key, columns, updated_at) VALUES (?, ?, ?) ON CONFLICT(header_key) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at',
      ).run(key, JSON.stringify(columns), now);
    },
  };
}
export type SheetsRepo = ReturnType<typeof createSheetsRepo>;
