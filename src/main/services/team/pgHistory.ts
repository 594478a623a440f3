/**
 * What the team's history says of some emails (the history-aware review): the latest create-run row of the instance
 * that was sent, or whose outcome stayed unknown, whoever's computer sent it; a revoke run that revoked it wins.
 * The same answer as this computer's journal (runHistory.ts `historyOf`), from the team database.
 */
import { OUTCOME_UNKNOWN } from '../runs/journalTypes.ts';
import { num, type PgPool } from './pgTypes.ts';

export type HistoryStatus = 'pending' | 'accepted' | 'expired' | 'revoked' | 'unknown';
export type HistoryOf = (
  instanceId: string,
  organizationId: string | null,
  emailKeys: string[],
) => Promise<Map<string, { status: HistoryStatus; at: number }>>;

export function pgHistoryOf(pool: PgPool): HistoryOf {
  return async (instanceId, organizationId, emailKeys) => {
    const out = new Map<string, { status: HistoryStatus; at: number }>();
    for (let i = 0; i < emailKeys.length; i += 5000) {
      const rows = (
        await pool.query(
          `SELECT rr.email_key AS e, rr.state, rr.invitation_status AS st, r.created_at AS at, r.op
           FROM run_rows rr JOIN runs r ON r.id = rr.run_id
           WHERE rr.email_key = ANY($1::text[]) AND r.instance_id = $2 AND r.organization_id IS NOT DISTINCT FROM $3
             AND (rr.state = 'sent' OR (rr.state = 'failed' AND rr.error_code = $4))
           ORDER BY r.created_at, rr.updated_at`,
          [emailKeys.slice(i, i + 5000), instanceId, organizationId, OUTCOME_UNKNOWN],
        )
      ).rows;
      for (const r of rows) {
        const e = String(r['e']);
        const at = num(r['at']);
        if (String(r['op']) === 'revoke') {
          if (r['state'] === 'sent') out.set(e, { status: 'revoked', at: out.get(e)?.at ?? at });
          continue;
        }
        if (r['state'] !== 'sent') {
          out.set(e, { status: 'unknown', at });
          continue;
        }
        const st = String(r['st'] ?? 'pending');
        if (st === 'member') continue; // added as a member: the review's existing-account check finds them
        out.set(e, { status: st === 'accepted' || st === 'expired' || st === 'revoked' ? st : 'pending', at });
      }
    }
    return out;
  };
}
