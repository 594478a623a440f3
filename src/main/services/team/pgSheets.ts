/**
 * The team's sheets in PostgreSQL (migration 3), behind the same port as this computer's (sheets/sheetsStore.ts):
 * the cells as one JSON text plus the row patches appended since, folded in when a sheet is opened. Every save counts
 * up the sheet's version and says which member made it; a save over an older version is refused with who and when.
 * Saves and the fold of patches lock the sheet's row, so two members' writes never interleave.
 */
import { applyPatches, patchedCount } from '../../../shared/domain/sheet/patch.ts';
import type { Row } from '../db/decode.ts';
import { Failure } from '../failure.ts';
import { mappingRow, sheetCells, sheetPatch, sheetRow, sheetStampRow, sheetSummaryRow } from '../sheets/sheetsTable.ts';
import type { SheetsStore } from '../sheets/sheetsStore.ts';
import { pgTransaction, type PgPool } from './pgTypes.ts';

const SUMMARY = 'SELECT id, name, kind, row_count, created_at, updated_at, version FROM sheets';
const row = (r: Record<string, unknown>) => r as Row;

export function pgSheetsStore(pool: PgPool, member: string): SheetsStore {
  return {
    list: async () =>
      (await pool.query(`${SUMMARY} WHERE deleted_at IS NULL ORDER BY updated_at DESC`)).rows.map((r) => sheetSummaryRow(row(r))),
    get: (id) =>
      pgTransaction(pool, async (q) => {
        const r = (await q.query('SELECT * FROM sheets WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [id])).rows[0];
        if (!r) return null;
        const cells = (await q.query('SELECT rows FROM sheet_rows WHERE sheet_id = $1', [id])).rows[0];
        let rows = cells ? sheetCells(row(cells)) : [];
        const stored = (await q.query('SELECT patch FROM sheet_patches WHERE sheet_id = $1 ORDER BY seq', [id])).rows;
        if (stored.length) {
          for (const p of stored) rows = applyPatches(rows, sheetPatch(row(p)));
          // Compact: the next open reads one text again (the row lock keeps a teammate's save out meanwhile).
          await q.query('UPDATE sheet_rows SET rows = $2 WHERE sheet_id = $1', [id, JSON.stringify(rows)]);
          await q.query('UPDATE sheets SET row_count = $2 WHERE id = $1', [id, rows.length]);
          await q.query('DELETE FROM sheet_patches WHERE sheet_id = $1', [id]);
        }
        const s = sheetRow(row(r));
        return { ...s, rows };
      }),
    async summary(id) {
      const r = (await pool.query(`${SUMMARY} WHERE id = $1`, [id])).rows[0];
      return r ? sheetSummaryRow(row(r)) : null;
    },
    insert: (doc) =>
      pgTransaction(pool, async (q) => {
        await q.query(
          `INSERT INTO sheets (id, name, kind, settings, columns, row_count, version, updated_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9)`,
          [
            doc.id,
            doc.name,
            doc.settings.kind,
            JSON.stringify(doc.settings),
            JSON.stringify(doc.columns),
            doc.rows.length,
            member,
            doc.createdAt,
            doc.updatedAt,
          ],
        );
        await q.query('INSERT INTO sheet_rows (sheet_id, rows) VALUES ($1, $2)', [doc.id, JSON.stringify(doc.rows)]);
      }),
    update: (id, change, at) =>
      pgTransaction(pool, async (q) => {
        const current = (
          await q.query('SELECT row_count, updated_at, version, updated_by FROM sheets WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [
            id,
          ])
        ).rows[0];
        if (!current) return null;
        const stamp = sheetStampRow(row(current));
        if (at.baseVersion !== undefined && at.baseVersion !== stamp.version)
          return { saved: false as const, changedBy: stamp.updatedBy, changedAt: stamp.updatedAt };
        let rowCount = change.rows ? change.rows.length : stamp.rowCount;
        const sets = ['updated_at = $2', 'version = version + 1', 'updated_by = $3'];
        const params: unknown[] = [id, at.now, member];
        const add = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (change.name !== undefined) add('name', change.name);
        if (change.settings !== undefined) {
          add('settings', JSON.stringify(change.settings));
          add('kind', change.settings.kind);
        }
        if (change.columns !== undefined) add('columns', JSON.stringify(change.columns));
        if (change.rows !== undefined) {
          await q.query('UPDATE sheet_rows SET rows = $2 WHERE sheet_id = $1', [id, JSON.stringify(change.rows)]);
          await q.query('DELETE FROM sheet_patches WHERE sheet_id = $1', [id]);
        }
        if (change.patches?.length) {
          const after = patchedCount(rowCount, change.patches);
          if ('error' in after)
            throw new Failure('sheet_conflict', `This edit does not fit the saved sheet (${after.error}). Reopen the sheet to continue.`);
          rowCount = after.count;
          await q.query('INSERT INTO sheet_patches (sheet_id, patch) VALUES ($1, $2)', [id, JSON.stringify(change.patches)]);
        }
        add('row_count', rowCount);
        await q.query(`UPDATE sheets SET ${sets.join(', ')} WHERE id = $1`, params);
        return { saved: true as const, rowCount, version: stamp.version + 1, updatedAt: at.now };
      }),
    async setDeleted(id, at) {
      const r = await pool.query(`UPDATE sheets SET deleted_at = $2 WHERE id = $1 AND deleted_at IS ${at === null ? 'NOT NULL' : 'NULL'}`, [
        id,
        at,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
    async getMapping(key) {
      const r = (await pool.query('SELECT columns FROM column_mappings WHERE header_set = $1', [key])).rows[0];
      return r ? mappingRow(row(r)) : null;
    },
    async saveMapping(key, columns, now) {
      await pool.query(
        `INSERT INTO column_mappings (header_set, columns, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (header_set) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at`,
        [key, JSON.stringify(columns), now],
      );
    },
  };
}
