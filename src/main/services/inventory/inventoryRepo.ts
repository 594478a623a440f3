/**
 * The local copy of every invitation of a profile's instance (migration 14): written a Clerk page at a time by the
 * sync, read a window at a time by the Invitations page, joined to our runs by invitation id.
 */
import { emailKey } from '../../../shared/domain/email.ts';
import type { InventoryRow, InventoryStatus } from '../../../shared/domain/inventory/types.ts';
import type { SentBy } from '../runs/engine/ports.ts';
import { transaction, type Db } from '../db/types.ts';
import {
  countRow,
  idRow,
  inventoryRow,
  organizationRow,
  privateMetadataRow,
  syncInstanceRow,
  syncStateRow,
  timeRow,
} from './inventoryTable.ts';
import { whereOf, type Where } from './inventoryWhere.ts';

/** One invitation as Clerk listed it, whichever list it came from. */
export type InventoryItem = {
  id: string;
  kind: 'app' | 'org';
  email: string;
  status: InventoryStatus;
  organizationId: string | null;
  organizationName: string | null;
  role: string | null;
  publicMetadata: Record<string, unknown>;
  privateMetadata: Record<string, unknown>;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
};

const domainOf = (key: string) => key.slice(key.lastIndexOf('@') + 1);

export function createInventoryRepo(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO inventory (profile_id, id, kind, email, email_key, domain, status, organization_id, organization_name, role,
                           public_metadata, private_metadata, expires_at, created_at, updated_at, seen_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (profile_id, id) DO UPDATE SET
      status = excluded.status, organization_name = coalesce(excluded.organization_name, organization_name),
      role = excluded.role, public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
      expires_at = excluded.expires_at, updated_at = excluded.updated_at, seen_at = excluded.seen_at
    WHERE status IS NOT excluded.status OR updated_at IS NOT excluded.updated_at OR expires_at IS NOT excluded.expires_at
       OR public_metadata IS NOT excluded.public_metadata`);
  const touch = db.prepare('UPDATE inventory SET seen_at = ? WHERE profile_id = ? AND id = ?');

  return {
    /** Writes one page; returns how many invitations were new or changed. */
    putPage(profileId: string, items: InventoryItem[], now: number): number {
      return transaction(db, () => {
        let changed = 0;
        for (const x of items) {
          const key = emailKey(x.email);
          const n = Number(
            upsert.run(
              profileId,
              x.id,
              x.kind,
              x.email,
              key,
              domainOf(key),
              x.status,
              x.organizationId,
              x.organizationName,
              x.role,
              JSON.stringify(x.publicMetadata),
              JSON.stringify(x.privateMetadata),
              x.expiresAt,
              x.createdAt,
              x.updatedAt,
              now,
            ).changes,
          );
          if (n > 0) changed++;
          else touch.run(now, profileId, x.id);
        }
        return changed;
      });
    },

    count(profileId: string, kind: 'app' | 'org', status: InventoryStatus): number {
      const r = db
        .prepare('SELECT count(*) AS n FROM inventory WHERE profile_id = ? AND kind = ? AND status = ?')
        .get(profileId, kind, status);
      return r ? countRow(r) : 0;
    },

    /** A mark after every `seen_at` of the profile's copy (the time, unless the clock is behind the copy). */
    nextMark(profileId: string, now: number): number {
      const r = db.prepare('SELECT max(seen_at) AS t FROM inventory WHERE profile_id = ?').get(profileId);
      return Math.max(now, ((r ? timeRow(r) : null) ?? 0) + 1);
    },

    /** The oldest invitation of this kind and status the copy holds that the list marked `mark` did not show. */
    oldestUnseen(profileId: string, kind: 'app' | 'org', status: InventoryStatus, mark: number): number | null {
      const r = db
        .prepare('SELECT min(created_at) AS t FROM inventory WHERE profile_id = ? AND kind = ? AND status = ? AND seen_at < ?')
        .get(profileId, kind, status, mark);
      return r ? timeRow(r) : null;
    },

    newest(profileId: string, kind: 'app' | 'org'): number {
      const r = db.prepare('SELECT max(created_at) AS t FROM inventory WHERE profile_id = ? AND kind = ?').get(profileId, kind);
      return (r ? timeRow(r) : null) ?? 0;
    },

    /** After a whole list was read (marked `since`): what the copy still holds under its status that it did not show. */
    dropUnseen(profileId: string, kind: 'app' | 'org', status: InventoryStatus, since: number): number {
      return Number(
        db
          .prepare('DELETE FROM inventory WHERE profile_id = ? AND kind = ? AND status = ? AND seen_at < ?')
          .run(profileId, kind, status, since).changes,
      );
    },

    syncState(profileId: string): { instanceId: string; syncedAt: number | null; complete: boolean } | null {
      const r = db.prepare('SELECT instance_id, synced_at, complete FROM inventory_sync WHERE profile_id = ?').get(profileId);
      return r ? syncStateRow(r) : null;
    },

    /** A sync begins: a profile now pointing at another instance starts its copy afresh. */
    begin(profileId: string, instanceId: string): void {
      transaction(db, () => {
        const was = db.prepare('SELECT instance_id FROM inventory_sync WHERE profile_id = ?').get(profileId);
        if (was && syncInstanceRow(was) !== instanceId) db.prepare('DELETE FROM inventory WHERE profile_id = ?').run(profileId);
        db.prepare(
          `INSERT INTO inventory_sync (profile_id, instance_id, complete) VALUES (?, ?, 0)
           ON CONFLICT (profile_id) DO UPDATE SET instance_id = excluded.instance_id,
             complete = CASE WHEN inventory_sync.instance_id = excluded.instance_id THEN inventory_sync.complete ELSE 0 END`,
        ).run(profileId, instanceId);
      });
    },

    finish(profileId: string, at: number): void {
      db.prepare('UPDATE inventory_sync SET synced_at = ?, complete = 1 WHERE profile_id = ?').run(at, profileId);
    },

    /** A window of the filtered rows, newest first, each with the run that sent it. */
    page(where: Where, offset: number, limit: number): InventoryRow[] {
      const { sql, params } = whereOf(where);
      const window = `SELECT i.* FROM inventory i WHERE ${sql} ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`;
      return db
        .prepare(window)
        .all(...params, limit, offset)
        .map(inventoryRow);
    },

    total(where: Where): number {
      const { sql, params } = whereOf(where);
      const r = db.prepare(`SELECT count(*) AS n FROM inventory i WHERE ${sql}`).get(...params);
      return r ? countRow(r) : 0;
    },

    /** The filter's invitation ids (a selection of “every row shown”), newest first. */
    ids(where: Where): string[] {
      const { sql, params } = whereOf(where);
      return db
        .prepare(`SELECT i.id FROM inventory i WHERE ${sql} ORDER BY i.created_at DESC, i.id`)
        .all(...params)
        .map(idRow);
    },

    /** Rows by id (a selection), with their private metadata for a resend. */
    byIds(profileId: string, ids: string[]): (InventoryRow & { privateMetadata: string })[] {
      const out: (InventoryRow & { privateMetadata: string })[] = [];
      const one = db.prepare('SELECT i.* FROM inventory i WHERE i.profile_id = ? AND i.id = ?');
      for (const id of ids) {
        const r = one.get(profileId, id);
        if (r) out.push({ ...inventoryRow(r), privateMetadata: privateMetadataRow(r) });
      }
      return out;
    },

    organizations(profileId: string): { id: string; name: string }[] {
      return db
        .prepare(
          `SELECT organization_id AS id, max(coalesce(organization_name, organization_id)) AS name FROM inventory
           WHERE profile_id = ? AND organization_id IS NOT NULL GROUP BY organization_id ORDER BY name`,
        )
        .all(profileId)
        .map(organizationRow);
    },

    /**
     * Links invitations to the create run that made them, as the workspace's storage says (this computer's journal or
     * the team's): rows not linked yet. Returns how many were linked.
     */
    linkRuns(profileId: string, sent: SentBy[]): number {
      const link = db.prepare('UPDATE inventory SET run_id = ?, run_name = ? WHERE profile_id = ? AND id = ? AND run_id IS NULL');
      return transaction(db, () => sent.reduce((n, s) => n + Number(link.run(s.runId, s.sheetName, profileId, s.invitationId).changes), 0));
    },

    /** A profile deleted: its copy goes with it. */
    forget(profileId: string): void {
      transaction(db, () => {
        db.prepare('DELETE FROM inventory WHERE profile_id = ?').run(profileId);
        db.prepare('DELETE FROM inventory_sync WHERE profile_id = ?').run(profileId);
      });
    },

    all(profileId: string): number {
      const r = db.prepare('SELECT count(*) AS n FROM inventory WHERE profile_id = ?').get(profileId);
      return r ? countRow(r) : 0;
    },
  };
}
export type InventoryRepo = ReturnType<typeof createInventoryRepo>;
