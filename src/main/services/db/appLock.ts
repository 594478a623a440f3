/**
 * One app process per database. A second Invite Desk (another user-data folder, or INVITE_DESK_DB pointing at
 * the same file) would resume and send the same runs: it is refused with a clear message. The lock is a row
 * with its holder's id, pid, host and a heartbeat; a holder that is gone (its pid is dead on this host, or its
 * heartbeat is stale) is taken over, and its run leases are freed at once.
 */
import { Failure } from '../failure.ts';
import { transaction, type Db } from './types.ts';

export type AppLockOptions = {
  owner: string;
  pid: number;
  host: string;
  now: () => number;
  /** A heartbeat older than this means the holder is gone (asleep for that long counts as gone). */
  staleMs?: number;
  /** Whether a process with this pid runs on this host. */
  isAlive?: (pid: number) => boolean;
};

export const defaultIsAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function acquireAppLock(db: Db, o: AppLockOptions): { previousOwner: string | null; heartbeat: () => boolean; release: () => void } {
  const staleMs = o.staleMs ?? 60_000;
  const isAlive = o.isAlive ?? defaultIsAlive;
  const previousOwner = transaction(db, () => {
    const t = o.now();
    const held = db.prepare('SELECT owner, pid, host, heartbeat_at FROM app_lock WHERE id = 1').get();
    if (held && String(held['owner']) !== o.owner) {
      const sameHost = String(held['host']) === o.host;
      const pid = Number(held['pid']);
      const fresh = Number(held['heartbeat_at']) > t - staleMs;
      const alive = fresh && (!sameHost || isAlive(pid));
      if (alive)
        throw new Failure(
          'database_in_use',
          `Another Invite Desk is using this database (process ${pid} on ${String(held['host'])}, last seen ${Math.max(0, Math.round((t - Number(held['heartbeat_at'])) / 1000))} s ago). ` +
            'Close that window first: two copies sending from one history could invite people twice.',
        );
    }
    db.prepare(
      `INSERT INTO app_lock (id, owner, pid, host, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
         acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
    ).run(o.owner, o.pid, o.host, t, t);
    const prev = held ? String(held['owner']) : null;
    // The previous holder is gone: nobody renews its run leases; free them so its runs resume now.
    if (prev && prev !== o.owner) db.prepare('UPDATE runs SET lease_owner = NULL, lease_at = NULL WHERE lease_owner = ?').run(prev);
    return prev;
  });
  return {
    previousOwner,
    /** False when another process took the lock over (this one was thought gone): stop sending. */
    heartbeat: () =>
      Number(db.prepare('UPDATE app_lock SET heartbeat_at = ? WHERE id = 1 AND owner = ?').run(o.now(), o.owner).changes) > 0,
    release: () => void db.prepare('DELETE FROM app_lock WHERE id = 1 AND owner = ?').run(o.owner),
  };
}
