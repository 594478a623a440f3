/**
 * What the team's history says of some emails (the history-aware review): the latest create-run row of the instance
 * that was sent, or whose outcome stayed unknown, whoever's computer sent it; a revoke run that revoked it wins.
 * The same rules as this computer's journal (runHistory.ts `historyOf`): metadata repairs invite nobody, and of the
 * waitlist runs only invites are invitations. Part of pgHistoryPort (engine/pgStore.ts `pgStorage`).
 */
import type { HistoryStatus } from '../runs/engine/ports.ts';
import { OUTCOME_UNKNOWN } from '../runs/journalTypes.ts';
import { emailHistoryRow } from '../runs/runsTable.ts';
import type { Row } from '../db/decode.ts';
import type { PgPool } from './pgTypes.ts';

export type { HistoryStatus } from '../runs/engine/ports.ts';
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
          // The emails' rows first (on the email key index), then their runs: planned the other way round (the
          // organization test is estimated to keep one run), every row of every run was read: 535 ms for 5,000 emails.
          `WITH rr AS MATERIALIZED (
             SELECT run_id, email_key, state, invitation_status, updated_at FROM run_rows
             WHERE email_key = ANY($1::text[]) AND (state = 'sent' OR (state = 'failed' AND error_code = $4)))
           SELECT rr.email_key AS e, rr.state, rr.invitation_status AS st, r.created_at AS at, r.op
           FROM rr JOIN runs r ON r.id = rr.run_id
           WHERE r.instance_id = $2 AND r.organization_id IS NOT DISTINCT FROM $3 AND (r.waitlist IS NULL OR r.waitlist = 'invite')
           ORDER BY r.created_at, rr.updated_at`,
          [emailKeys.slice(i, i + 5000), instanceId, organizationId, OUTCOME_UNKNOWN],
        )
      ).rows;
      for (const { e, at, op, state, st } of rows.map((r) => emailHistoryRow(r as Row))) {
        if (op === 'repair') continue; // a metadata repair invites nobody (issue 24)
        if (op === 'revoke') {
          if (state === 'sent') out.set(e, { status: 'revoked', at: out.get(e)?.at ?? at });
          continue;
        }
        if (state !== 'sent') {
          out.set(e, { status: 'unknown', at });
          continue;
        }
        const status = st ?? 'pending';
        if (status === 'member') continue; // added as a member: the review's existing-account check finds them
        out.set(e, { status: status === 'accepted' || status === 'expired' || status === 'revoked' ? status : 'pending', at });
      }
    }
    return out;
  };
}
