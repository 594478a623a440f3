/**
 * The waitlist of each instance as last synced from Clerk (migration 12): replaced whole by a sync, updated by the
 * waitlist runs' outcomes, searched by email or domain, filtered by status and request date, counted per status.
 */
import { emailKey } from '../../../shared/domain/email.ts';
import type { WaitlistCounts, WaitlistEntryView, WaitlistFilter, WaitlistStatus } from '../../../shared/domain/waitlist/types.ts';
import { WAITLIST_STATUSES } from '../../../shared/domain/waitlist/types.ts';
import { transaction, type Db, type SqlValue } from '../db/types.ts';
import { entryCount, entryRow, keyedEntryRow, statusCount, syncRow } from './waitlistTable.ts';

/** An entry as kept in the local copy: what the window shows of it. */
export type StoredEntry = WaitlistEntryView;

const domainOf = (key: string) => key.slice(key.lastIndexOf('@') + 1);
/** The WHERE of a filter: search by email (a part of it) or by domain (`@acme.com`), status, requested before/after. */
function where(instanceId: string, f: WaitlistFilter): { sql: string; params: SqlValue[] } {
  const parts = ['instance_id = ?'];
  const params: SqlValue[] = [instanceId];
  const q = (f.search ?? '').trim();
  if (q.startsWith('@')) {
    parts.push('domain = ?');
    params.push(emailKey(q.slice(1)));
  } else if (q !== '') {
    // instr on the key (the validator's normalisation): no LIKE wildcards to escape, any script folded alike.
    parts.push('instr(email_key, ?) > 0');
    params.push(emailKey(q));
  }
  if (f.status) {
    parts.push('status = ?');
    params.push(f.status);
  }
  if (f.after !== undefined) {
    parts.push('created_at >= ?');
    params.push(f.after);
  }
  if (f.before !== undefined) {
    parts.push('created_at < ?');
    params.push(f.before);
  }
  return { sql: parts.join(' AND '), params };
}

export function createWaitlistRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO waitlist_entries (instance_id, id, email, email_key, domain, status, is_locked, invitation_id, created_at, updated_at, synced_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key, domain = excluded.domain,
       status = excluded.status, is_locked = excluded.is_locked, invitation_id = COALESCE(excluded.invitation_id, invitation_id),
       updated_at = excluded.updated_at, synced_at = excluded.synced_at`,
  );
  const put = (instanceId: string, e: StoredEntry, t: number) => {
    const key = emailKey(e.email);
    upsert.run(instanceId, e.id, e.email, key, domainOf(key), e.status, e.isLocked ? 1 : 0, e.invitationId, e.createdAt, e.updatedAt, t);
  };
  return {
    /** A whole sync: every entry Clerk listed, and those it no longer lists removed (deleted in Clerk). */
    replaceAll(instanceId: string, entries: StoredEntry[], t: number): void {
      transaction(db, () => {
        for (const e of entries) put(instanceId, e, t);
        db.prepare('DELETE FROM waitlist_entries WHERE instance_id = ? AND synced_at < ?').run(instanceId, t);
        db.prepare(
          'INSERT INTO waitlist_syncs (instance_id, synced_at, total) VALUES (?, ?, ?) ON CONFLICT (instance_id) DO UPDATE SET synced_at = excluded.synced_at, total = excluded.total',
        ).run(instanceId, t, entries.length);
      });
    },
    /** What a waitlist run learnt of some entries (their new status), kept until the next sync. */
    setStatus(instanceId: string, changes: { id: string; status: WaitlistStatus; invitationId?: string | null }[], t: number): void {
      transaction(db, () => {
        const upd = db.prepare(
          'UPDATE waitlist_entries SET status = ?, invitation_id = COALESCE(?, invitation_id), updated_at = ? WHERE instance_id = ? AND id = ?',
        );
        for (const c of changes) upd.run(c.status, c.invitationId ?? null, t, instanceId, c.id);
      });
    },
    add(instanceId: string, entries: StoredEntry[], t: number): void {
      transaction(db, () => entries.forEach((e) => put(instanceId, e, t)));
    },
    lastSync(instanceId: string): { at: number; total: number } | null {
      const r = db.prepare('SELECT synced_at, total FROM waitlist_syncs WHERE instance_id = ?').get(instanceId);
      return r ? syncRow(r) : null;
    },
    counts(instanceId: string, f: WaitlistFilter = {}): WaitlistCounts {
      const { status: _all, ...unfiltered } = f;
      const w = where(instanceId, unfiltered);
      const c = Object.fromEntries(WAITLIST_STATUSES.map((s) => [s, 0])) as WaitlistCounts;
      c.total = 0;
      for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM waitlist_entries WHERE ${w.sql} GROUP BY status`).all(...w.params)) {
        const { status, n } = statusCount(r);
        c[status] = n;
        c.total += n;
      }
      return c;
    },
    page(instanceId: string, f: WaitlistFilter, offset: number, limit: number): { rows: WaitlistEntryView[]; total: number } {
      const w = where(instanceId, f);
      const n = db.prepare(`SELECT COUNT(*) AS n FROM waitlist_entries WHERE ${w.sql}`).get(...w.params);
      const total = n ? entryCount(n) : 0;
      const rows = db
        .prepare(`SELECT * FROM waitlist_entries WHERE ${w.sql} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
        .all(...w.params, limit, offset)
        .map(entryRow);
      return { rows, total };
    },
    /** Every entry a filter selects (a run's selection), oldest request first: who waited longest goes first. */
    select(instanceId: string, f: WaitlistFilter): WaitlistEntryView[] {
      const w = where(instanceId, f);
      return db
        .prepare(`SELECT * FROM waitlist_entries WHERE ${w.sql} ORDER BY created_at, id`)
        .all(...w.params)
        .map(entryRow);
    },
    byIds(instanceId: string, ids: string[]): WaitlistEntryView[] {
      const out: WaitlistEntryView[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        out.push(
          ...db
            .prepare(`SELECT * FROM waitlist_entries WHERE instance_id = ? AND id IN (${chunk.map(() => '?').join(',')})`)
            .all(instanceId, ...chunk)
            .map(entryRow),
        );
      }
      return out;
    },
    /** Entries by email key (emailKey): a pasted list or a sheet's emails. */
    byEmailKeys(instanceId: string, keys: string[]): Map<string, WaitlistEntryView> {
      const out = new Map<string, WaitlistEntryView>();
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        for (const r of db
          .prepare(`SELECT * FROM waitlist_entries WHERE instance_id = ? AND email_key IN (${chunk.map(() => '?').join(',')})`)
          .all(instanceId, ...chunk))
          out.set(keyedEntryRow(r), entryRow(r));
      }
      return out;
    },
  };
}
export type WaitlistRepo = ReturnType<typeof createWaitlistRepo>;
