/**
 * Four-eyes approvals in the team database (migration 4). A decision is one UPDATE guarded by `state = 'pending'` and
 * `prepared_by <> $by`: PostgreSQL lets one of two simultaneous approvers through; the other finds it decided.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalKind, ApprovalState } from '../../../shared/domain/approvals.ts';
import type { Row } from '../db/decode.ts';
import { ApprovalRefusedError, refusal, type ApprovalsPort, type NewApproval, type NewRunApproval } from '../approvals/approvalsPort.ts';
import { approvalRow, approvalStateRow, approvalSummaryRow } from './approvalsTable.ts';
import type { PgPool } from './pgTypes.ts';

const LIST = `id, kind, state, instance_id, profile_id, profile_name, environment, organization_name, sheet_name, summary, to_send,
  skipped, prepared_by, prepared_at, decided_by, decided_at, reason, run_id`;

/** What every new approval stores, whatever its snapshot: who prepared what, for which instance, and its count line. */
const PREPARED = `id, kind, state, instance_id, profile_id, profile_name, environment, organization_name, sheet_name, summary,
  to_send, skipped, prepared_by, prepared_at`;
const places = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
const prepared = (id: string, kind: ApprovalKind, a: NewApproval | NewRunApproval) => [
  id,
  kind,
  'pending',
  a.instanceId,
  a.profileId,
  a.profileName,
  a.environment,
  a.organizationName,
  a.sheetName,
  a.summary,
  a.toSend,
  a.skipped,
  a.preparedBy,
  a.preparedAt,
];

export function pgApprovalsPort(pool: PgPool): ApprovalsPort {
  const one = async (id: string) => {
    const r = (await pool.query(`SELECT ${LIST} FROM approvals WHERE id = $1`, [id])).rows[0];
    return r ? approvalSummaryRow(r as Row) : null;
  };
  /** After a guarded UPDATE changed nothing: why (read again, so the message names who decided). */
  const why = async (id: string, by: string, verdict: 'approve' | 'reject', reason: string | null) =>
    refusal(await one(id), by, verdict, reason) ??
    new ApprovalRefusedError('approval_decided', 'Another member decided it at the same moment.');
  const move = async (id: string, from: ApprovalState, set: string, params: unknown[]) => {
    const r = await pool.query(`UPDATE approvals SET ${set} WHERE id = $1 AND state = '${from}'`, [id, ...params]);
    if (r.rowCount === 1) return;
    const now = await one(id);
    throw new ApprovalRefusedError(
      now ? 'approval_decided' : 'approval_not_found',
      now ? `Approval ${id} is ${now.state}, not ${from}.` : 'That approval no longer exists.',
    );
  };
  return {
    async request(a) {
      const id = randomUUID();
      await pool.query(`INSERT INTO approvals (${PREPARED}, doc, choices) VALUES (${places(14)}, $15, $16)`, [
        ...prepared(id, 'sheet', a),
        JSON.stringify(a.doc),
        JSON.stringify(a.choices),
      ]);
      return id;
    },
    async requestRun(a) {
      // One approval per prepared run: the unique index on the plan's id makes a second ask find the first.
      const r = await pool.query(
        `INSERT INTO approvals (${PREPARED}, plan) VALUES (${places(14)}, $15)
         ON CONFLICT ((plan->>'id')) WHERE kind = 'run' DO NOTHING RETURNING id, state`,
        [...prepared(randomUUID(), 'run', a), JSON.stringify(a.plan)],
      );
      const row =
        r.rows[0] ?? (await pool.query(`SELECT id, state FROM approvals WHERE kind = 'run' AND plan->>'id' = $1`, [a.plan.id])).rows[0];
      return approvalStateRow(row as Row);
    },
    async pending(instanceId) {
      const r = await pool.query(
        `SELECT ${LIST} FROM approvals WHERE state = 'pending' AND ($1::text IS NULL OR instance_id = $1) ORDER BY prepared_at, id`,
        [instanceId ?? null],
      );
      return r.rows.map((x) => approvalSummaryRow(x as Row));
    },
    async recent(limit) {
      const r = await pool.query(`SELECT ${LIST} FROM approvals ORDER BY prepared_at DESC, id LIMIT $1`, [limit]);
      return r.rows.map((x) => approvalSummaryRow(x as Row));
    },
    async get(id) {
      const r = (await pool.query(`SELECT ${LIST}, doc, choices, plan FROM approvals WHERE id = $1`, [id])).rows[0];
      return r ? approvalRow(r as Row) : null;
    },
    async decide(id, by, verdict, reason, now) {
      const early =
        verdict === 'reject' && !reason?.trim()
          ? refusal({ state: 'pending', decidedBy: null, reason, preparedBy: '' }, by, verdict, reason)
          : null;
      if (early) throw early;
      const r = await pool.query(
        `UPDATE approvals SET state = $3, decided_by = $2, decided_at = $4, reason = $5
         WHERE id = $1 AND state = 'pending' AND prepared_by <> $2 RETURNING ${LIST}`,
        [id, by, verdict === 'approve' ? 'approved' : 'rejected', now, verdict === 'reject' ? reason!.trim() : null],
      );
      const row = r.rows[0];
      if (!row) throw await why(id, by, verdict, reason);
      return approvalSummaryRow(row as Row);
    },
    async withdraw(id, by) {
      const r = await pool.query(`UPDATE approvals SET state = 'withdrawn' WHERE id = $1 AND state = 'pending' AND prepared_by = $2`, [
        id,
        by,
      ]);
      if (r.rowCount === 1) return;
      const now = await one(id);
      if (now && now.preparedBy !== by)
        throw new ApprovalRefusedError('approval_not_yours', `Only ${now.preparedBy}, who prepared it, can withdraw it.`);
      throw await why(id, '', 'approve', null);
    },
    started: (id, runId) => move(id, 'approved', `state = 'started', run_id = $2`, [runId]),
    failed: (id, message) => move(id, 'approved', `state = 'failed', reason = $2`, [message]),
  };
}
