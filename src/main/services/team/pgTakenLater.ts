/**
 * What follow-ups no longer offer, in the team database: the same rules as this computer's takenLater.ts (a row whose
 * email another create run of the instance and organization sent later, is sending, or may have sent; for revokes, an
 * invitation another revoke run revoked or is revoking), whoever's computer ran that other run.
 */
import type { TakenBy } from '../runs/takenLater.ts';
import { OUTCOME_UNKNOWN } from '../runs/journalTypes.ts';
import type { PgQuery } from './pgTypes.ts';

/** Later runs count by creation; a follow-up of this run is later whatever the clock said when it was made. */
const LATER = `(orun.created_at >= r.created_at OR orun.parent_run_id = r.id)`;

/** `FROM … WHERE …` of the rows `o` (of runs `orun`) that hold row `rr`'s email (of run `r`) for a create follow-up. */
const CREATE_HOLDERS = `FROM run_rows o JOIN runs orun ON orun.id = o.run_id
    WHERE o.email_key = rr.email_key AND orun.id <> r.id
      AND orun.instance_id = r.instance_id AND orun.organization_id IS NOT DISTINCT FROM r.organization_id
      AND orun.op = 'create'
      AND (o.state IN ('queued', 'inflight')
        OR (${LATER} AND (o.state = 'sent' OR (o.state = 'failed' AND o.error_code = '${OUTCOME_UNKNOWN}'))))`;

/** The same for a revoke follow-up: another revoke run revoked, or is revoking, row `rr`'s invitation. */
const REVOKE_HOLDERS = `FROM run_rows o JOIN runs orun ON orun.id = o.run_id
    WHERE o.email_key = rr.email_key AND orun.id <> r.id AND orun.instance_id = r.instance_id
      AND orun.op = 'revoke'
      AND (o.request::jsonb ->> 'revokeInvitationId') = rr.invitation_id
      AND o.state IN ('sent', 'queued', 'inflight')`;

/** True when a create follow-up of row `rr` (of run `r`) could invite someone twice. */
export const PG_TAKEN_LATER = `EXISTS (SELECT 1 ${CREATE_HOLDERS})`;
/** True when row `rr`'s invitation is revoked, or being revoked, by another revoke run. */
export const PG_REVOKED_ELSEWHERE = `EXISTS (SELECT 1 ${REVOKE_HOLDERS})`;

/** Rows of a run that a follow-up of this kind must not offer, each with a run that holds it (a sending one first). */
export async function pgTakenLater(q: PgQuery, runId: string, op: 'create' | 'revoke'): Promise<Map<number, TakenBy>> {
  const rows = (
    await q.query(
      `SELECT rr.idx, h.id, h.sheet_name, h.sending FROM run_rows rr JOIN runs r ON r.id = rr.run_id
       CROSS JOIN LATERAL (SELECT orun.id, orun.sheet_name, o.state IN ('queued', 'inflight') AS sending
                           ${op === 'create' ? CREATE_HOLDERS : REVOKE_HOLDERS}
                           ORDER BY sending DESC, orun.created_at DESC, orun.id LIMIT 1) h
       WHERE rr.run_id = $1 ORDER BY rr.idx`,
      [runId],
    )
  ).rows;
  return new Map(
    rows.map((x) => [Number(x['idx']), { runId: String(x['id']), sheetName: String(x['sheet_name']), sending: x['sending'] === true }]),
  );
}
