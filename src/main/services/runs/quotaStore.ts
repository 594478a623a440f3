/** What each instance spent per endpoint in the current window, persisted so a restart does not forget it. */
import type { Endpoint, Ledger } from '../../../shared/domain/send/limits.ts';
import { col, column } from '../db/decode.ts';
import { transaction, type Db } from '../db/types.ts';

const eventAt = column('quota_events', 'at', col.int);
const blockUntil = column('quota_blocks', 'until', col.int);

export function createQuotaStore(db: Db) {
  return {
    ledger(instanceId: string, endpoint: Endpoint, windowMs: number, now: number): Ledger {
      const sent = db
        .prepare('SELECT at FROM quota_events WHERE instance_id = ? AND endpoint = ? AND at > ? ORDER BY at')
        .all(instanceId, endpoint, now - windowMs)
        .map(eventAt);
      const until = db.prepare('SELECT until FROM quota_blocks WHERE instance_id = ? AND endpoint = ?').get(instanceId, endpoint);
      // Never past one window: blocks stored before Retry-After was bounded (up to 31.7 years) must not stall the instance.
      return { sent, blockedUntil: until ? Math.min(blockUntil(until), now + windowMs) : 0 };
    },
    /** A request made outside a run (a metadata check's lookups), counted in the instance's window like a run's. */
    spend(instanceId: string, endpoint: Endpoint, at: number): void {
      db.prepare('INSERT INTO quota_events (instance_id, endpoint, at) VALUES (?, ?, ?)').run(instanceId, endpoint, at);
    },
    /** A 429's Retry-After: nothing goes to that endpoint before `until`. */
    block(instanceId: string, endpoint: Endpoint, until: number): void {
      db.prepare(
        'INSERT INTO quota_blocks (instance_id, endpoint, until) VALUES (?, ?, ?) ON CONFLICT(instance_id, endpoint) DO UPDATE SET until = MAX(until, excluded.until)',
      ).run(instanceId, endpoint, until);
    },
    /** The computer's clock was changed: what was spent, and until when Clerk asked to wait, keep their moments. */
    shift(deltaMs: number): void {
      transaction(db, () => {
        db.prepare('UPDATE quota_events SET at = at + ?').run(deltaMs);
        db.prepare('UPDATE quota_blocks SET until = until + ?').run(deltaMs);
      });
    },
    prune(olderThan: number): void {
      db.prepare('DELETE FROM quota_events WHERE at < ?').run(olderThan);
    },
  };
}
export type QuotaStore = ReturnType<typeof createQuotaStore>;
