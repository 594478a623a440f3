/** Sheets as rows of the `sheets` table; cells are stored as one JSON text per sheet. */
import type { SheetColumn, SheetDoc, SheetKind, SheetSettings, SheetSummary } from '../../../shared/domain/sheet/types.ts';
import type { Db, SqlValue } from '../db/types.ts';

const summary = (r: Record<string, SqlValue>): SheetSummary => ({
  id: String(r['id']),
  name: String(r['name']),
  kind: String(r['kind']) as SheetKind,
  rowCount: Number(r['row_count']),
  createdAt: Number(r['created_at']),
  updatedAt: Number(r['updated_at']),
});

export function createSheetsRepo(db: Db) {
  return {
    list: (): SheetSummary[] =>
      db
        .prepare('SELECT id, name, kind, row_count, created_at, updated_at FROM sheets WHERE deleted_at IS NULL ORDER BY updated_at DESC')
        .all()
        .map(summary),
    get: (id: string, includeDeleted = false): SheetDoc | null => {
      const r = db.prepare(`SELECT * FROM sheets WHERE id = ?${includeDeleted ? '' : ' AND deleted_at IS NULL'}`).get(id);
      if (!r) return null;
      return {
        id: String(r['id']),
        name: String(r['name']),
        settings: JSON.parse(String(r['settings'])) as SheetSettings,
        columns: JSON.parse(String(r['columns'])) as SheetColumn[],
        rows: JSON.parse(String(r['rows'])) as string[][],
        createdAt: Number(r['created_at']),
        updatedAt: Number(r['updated_at']),
      };
    },
    summary: (id: string): SheetSummary | null => {
      const r = db.prepare('SELECT id, name, kind, row_count, created_at, updated_at FROM sheets WHERE id = ?').get(id);
      return r ? summary(r) : null;
    },
    insert: (doc: SheetDoc): void => {
      db.prepare(
        'INSERT INTO sheets (id, name, kind, settings, columns, rows, row_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        doc.id,
        doc.name,
        doc.settings.kind,
        JSON.stringify(doc.settings),
        JSON.stringify(doc.columns),
        JSON.stringify(doc.rows),
        doc.rows.length,
        doc.createdAt,
        doc.updatedAt,
      );
    },
    update: (
      id: string,
      patch: { name?: string; settings?: SheetSettings; columns?: SheetColumn[]; rows?: string[][] },
      now: number,
    ): boolean => {
      const sets: string[] = ['updated_at = ?'];
      const params: SqlValue[] = [now];
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
        add('rows = ?', JSON.stringify(patch.rows));
        add('row_count = ?', patch.rows.length);
      }
      const r = db.prepare(`UPDATE sheets SET ${sets.join(', ')} WHERE id = ? AND deleted_at IS NULL`).run(...params, id);
      return Number(r.changes) > 0;
    },
    setDeleted: (id: string, at: number | null): boolean =>
      Number(db.prepare('UPDATE sheets SET deleted_at = ? WHERE id = ?').run(at, id).changes) > 0,
    getMapping: (key: string): SheetColumn[] | null => {
      const r = db.prepare('SELECT columns FROM column_mappings WHERE header_key = ?').get(key);
      return r ? (JSON.parse(String(r['columns'])) as SheetColumn[]) : null;
    },
    saveMapping: (key: string, columns: SheetColumn[], now: number): void => {
      db.prepare(
        'INSERT INTO column_mappings (header_key, columns, updated_at) VALUES (?, ?, ?) ON CONFLICT(header_key) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at',
      ).run(key, JSON.stringify(columns), now);
    },
  };
}
export type SheetsRepo = ReturnType<typeof createSheetsRepo>;
