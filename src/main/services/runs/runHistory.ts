/** What the journal keeps of past runs: retention, statuses synced from Clerk, and what it says of some emails. */
import { emailHistoryRow, idRow, invitationIdRow } from './runsTable.ts';
import type { Db, SqlValue } from '../db/types.ts';
import { transaction } from '../db/types.ts';
import { OUTCOME_UNKNOWN } from './journalTypes.ts';

export function createRunHistory(db: Db) {
  return {
    /** Deletes finished or cancelled runs created before `before` (or all runs of a profile); rows go with them. */
    purge(opts: { before?: number; profileId?: string }): number {
      // Never a run with a row in flight or of unknown outcome (its rows are the only trace of what Clerk may hold),
      // nor one with rows still to send (an interrupted run to resume).
      const where: string[] = [
        "state IN ('finished', 'cancelled', 'interrupted')",
        `NOT EXISTS (SELECT 1 FROM run_rows u WHERE u.run_id = runs.id AND (u.state IN ('inflight', 'queued') OR (u.state = 'failed' AND u.error_code = '${OUTCOME_UNKNOWN}')))`,
      ];
      const params: SqlValue[] = [];
      if (opts.before !== undefined) {
        where.push('created_at < ?');
        params.push(opts.before);
      }
      if (opts.profileId !== undefined) {
        where.push('profile_id = ?');
        params.push(opts.profileId);
      }
      return transaction(db, () => {
        const ids = db
          .prepare(`SELECT id FROM runs WHERE ${where.join(' AND ')}`)
          .all(...params)
          .map(idRow);
        const delRows = db.prepare('DELETE FROM run_rows WHERE run_id = ?');
        const delReq = db.prepare('DELETE FROM run_requests WHERE run_id = ?');
        const delRun = db.prepare('DELETE FROM runs WHERE id = ?');
        for (const id of ids) {
          delRows.run(id);
          delReq.run(id);
          delRun.run(id);
        }
        return ids.length;
      });
    },
    /**
     * Statuses from Clerk for the rows' invitations; the run remembers when it was synced. List answers carry no
     * accept link, so a stored link is never overwritten with null.
     */
    applyStatuses(
      runId: string,
      statuses: Map<string, { status: string; url: string | null; expiresAt?: number | null }>,
      now: number,
    ): number {
      return transaction(db, () => {
        let changed = 0;
        const upd = db.prepare(
          `UPDATE run_rows SET invitation_status = ?, url = COALESCE(?, url), expires_at = COALESCE(?, expires_at), updated_at = ?
           WHERE run_id = ? AND invitation_id = ? AND (invitation_status IS NOT ? OR (? IS NOT NULL AND url IS NOT ?))`,
        );
        const exp = db.prepare('UPDATE run_rows SET expires_at = ? WHERE run_id = ? AND invitation_id = ? AND expires_at IS NOT ?');
        for (const r of db.prepare('SELECT invitation_id FROM run_rows WHERE run_id = ? AND invitation_id IS NOT NULL').all(runId)) {
          const id = invitationIdRow(r);
          const s = statuses.get(id);
          if (!s) continue;
          changed += Number(upd.run(s.status, s.url, s.expiresAt ?? null, now, runId, id, s.status, s.url, s.url).changes);
          if (s.expiresAt != null) exp.run(s.expiresAt, runId, id, s.expiresAt);
        }
        db.prepare('UPDATE runs SET synced_at = ? WHERE id = ?').run(now, runId);
        return changed;
      });
    },
    /**
     * What this instance's history says of these email keys (emailKey): the latest create-run row that was sent, or
     * whose outcome stayed unknown, with the invitation's last known status. Revoke runs that revoked it win.
     */
    historyOf(
      instanceId: string,
      organizationId: string | null,
      emails: string[],
    ): Map<string, { status: 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown'; at: number }> {
      const out = new Map<string, { status: 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown'; at: number }>();
      for (let i = 0; i < emails.length; i += 500) {
        const chunk = emails.slice(i, i + 500);
        const rows = db
          .prepare(
            `SELECT rr.email_key AS e, rr.state, rr.invitation_status AS st, rr.error_code AS code, r.created_at AS at, r.op
             FROM run_rows rr JOIN runs r ON r.id = rr.run_id
             WHERE rr.email_key IN (${chunk.map(() => '?').join(',')})
               AND r.instance_id = ? AND r.organization_id IS ? AND (r.waitlist IS NULL OR r.waitlist = 'invite')
               AND (rr.state = 'sent' OR (rr.state = 'failed' AND rr.error_code = '${OUTCOME_UNKNOWN}'))
             ORDER BY r.created_at, rr.updated_at`,
          )
          .all(...chunk, instanceId, organizationId);
        for (const { e, at, op, state, st: status } of rows.map(emailHistoryRow)) {
          if (op === 'repair') continue; // a metadata repair invites nobody (issue 24)
          if (op === 'revoke') {
            if (state === 'sent') out.set(e, { status: 'revoked', at: out.get(e)?.at ?? at });
            continue;
          }
          if (state !== 'sent') {
            out.set(e, { status: 'unknown', at });
            continue;
          }
          const st = status ?? 'pending';
          // Added as a member, no invitation: the review's existing-account check finds them instead.
          if (st === 'member') continue;
          out.set(e, { status: st === 'accepted' || st === 'expired' || st === 'revoked' ? st : 'pending', at });
        }
      }
      return out;
    },
  };
}
