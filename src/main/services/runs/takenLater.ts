/**
 * What follow-ups no longer offer, so that starting one again never invites anyone twice: a row whose email another
 * run of the same instance (whatever its profile) and organization sent later, is sending (queued or in flight, in
 * a paused or interrupted run too) or may have sent later (outcome unknown). Emails compare by their key (emailKey).
 * Revokes: an invitation another revoke run revoked or is revoking.
 */
import type { Db } from '../db/types.ts';
import { Failure } from '../failure.ts';

/** Later runs count by creation; a follow-up of this run is later whatever the clock said when it was made. */
const LATER = `(orun.created_at >= r.created_at OR orun.parent_run_id = r.id)`;

/** `FROM … WHERE …` of the rows `o` (of runs `orun`) that hold row `rr`'s email (of run `r`) for a create follow-up. */
const CREATE_HOLDERS = `FROM run_rows o JOIN runs orun ON orun.id = o.run_id
    WHERE o.email_key = rr.email_key AND orun.id != r.id
      AND orun.instance_id = r.instance_id AND orun.organization_id IS r.organization_id
      AND orun.op = 'create'
      AND (o.state IN ('queued', 'inflight')
        OR (${LATER} AND (o.state = 'sent' OR (o.state = 'failed' AND o.error_code = 'outcome_unknown'))))`;

/** The same for a revoke follow-up: another revoke run revoked, or is revoking, row `rr`'s invitation. */
const REVOKE_HOLDERS = `FROM run_rows o JOIN runs orun ON orun.id = o.run_id
    WHERE o.email_key = rr.email_key AND orun.id != r.id AND orun.instance_id = r.instance_id
      AND orun.op = 'revoke'
      AND json_extract(o.request, '$.revokeInvitationId') = rr.invitation_id
      AND o.state IN ('sent', 'queued', 'inflight')`;

/** 1 when a create follow-up of row `rr` (of run `r`) could invite someone twice. */
export const TAKEN_LATER = `EXISTS (SELECT 1 ${CREATE_HOLDERS})`;
/** 1 when row `rr`'s invitation is revoked, or being revoked, by another revoke run. */
export const REVOKED_ELSEWHERE = `EXISTS (SELECT 1 ${REVOKE_HOLDERS})`;

export type TakenBy = { runId: string; sheetName: string; sending: boolean };

/** Rows of a run that a follow-up of this kind must not offer, each with a run that holds it (a sending one first). */
export function takenLater(db: Db, runId: string, op: 'create' | 'revoke'): Map<number, TakenBy> {
  const holders = op === 'create' ? CREATE_HOLDERS : REVOKE_HOLDERS;
  const rows = db
    .prepare(
      `SELECT idx, json_extract(h, '$[0]') AS by_id, json_extract(h, '$[1]') AS by_name, json_extract(h, '$[2]') AS sending FROM (
         SELECT rr.idx, (SELECT json_array(orun.id, orun.sheet_name, o.state IN ('queued', 'inflight')) ${holders}
                         ORDER BY o.state IN ('queued', 'inflight') DESC, orun.created_at DESC, orun.id LIMIT 1) AS h
         FROM run_rows rr JOIN runs r ON r.id = rr.run_id WHERE rr.run_id = ?)
       WHERE h IS NOT NULL`,
    )
    .all(runId);
  return new Map(
    rows.map((x) => [
      Number(x['idx']),
      { runId: String(x['by_id']), sheetName: String(x['by_name']), sending: Number(x['sending']) === 1 },
    ]),
  );
}

/**
 * In the transaction that creates a follow-up: none of its rows may be queued or in flight in another run of the
 * instance (two starts at once from two profiles of one instance: the second finds the first here).
 */
export function refuseIfBeingSent(db: Db, runId: string): void {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, MIN(orun.sheet_name) AS name FROM run_rows rr JOIN runs r ON r.id = rr.run_id
       JOIN run_rows o ON o.email_key = rr.email_key AND o.state IN ('queued', 'inflight')
       JOIN runs orun ON orun.id = o.run_id AND orun.id != r.id AND orun.instance_id = r.instance_id
         AND orun.organization_id IS r.organization_id AND orun.op = 'create'
       WHERE rr.run_id = ? AND rr.state = 'queued'`,
    )
    .get(runId);
  const n = Number(r?.['n'] ?? 0);
  if (n > 0)
    throw new Failure(
      'nothing_to_send',
      `${n === 1 ? '1 row is' : `${n} rows are`} being sent by another run (“${String(r?.['name'])}”: queued or in flight, paused or going): nothing is sent twice. Let that run finish, or cancel it, first.`,
    );
}
