/**
 * Which create run made an invitation, and with which request, on this computer's journal: the Invitations page's
 * “sent by” link and a resend's or reminder's redirect, expiry and template (the team's: team/pgHistoryPort.ts).
 */
import { z } from 'zod';
import type { RowRequest } from '../../../shared/domain/sheet/validate.ts';
import { col, decoder } from '../db/decode.ts';
import type { Db } from '../db/types.ts';
import type { SentBy } from './engine/ports.ts';
import { rowRequest } from './runsTable.ts';

/**
 * The invitations of an instance's create runs still going or ended since $since, each with its first run: a page of
 * $limit by invitation id after $after (the invitation-id index walked in order).
 */
export const SENT_SINCE = `SELECT x.invitation_id, x.run_id, r.sheet_name
  FROM (SELECT rr.invitation_id, min(rr.run_id) AS run_id FROM run_rows rr JOIN runs r ON r.id = rr.run_id
        WHERE rr.invitation_id IS NOT NULL AND rr.invitation_id > $after AND r.instance_id = $instance AND r.op = 'create'
          AND (r.finished_at IS NULL OR r.finished_at >= $since)
        GROUP BY rr.invitation_id ORDER BY rr.invitation_id LIMIT $limit) x
  JOIN runs r ON r.id = x.run_id ORDER BY x.invitation_id`;

/** Invitations a page of sentSince holds unless asked otherwise. */
export const SENT_PAGE = 5000;

/** A create run's row that holds the invitation (its request), the first such. */
export const SENT_REQUEST = `SELECT rr.idx, rr.request FROM run_rows rr JOIN runs r ON r.id = rr.run_id
  WHERE rr.invitation_id = $id AND r.op = 'create' AND rr.request IS NOT NULL ORDER BY r.created_at, r.id LIMIT 1`;

export const sentByRow = decoder(
  'run_rows',
  z
    .object({ invitation_id: col.text, run_id: col.text, sheet_name: col.text })
    .transform((r): SentBy => ({ invitationId: r.invitation_id, runId: r.run_id, sheetName: r.sheet_name })),
);

export function createSentBy(db: Db) {
  const since = db.prepare(SENT_SINCE.replace('$after', '?').replace('$instance', '?').replace('$since', '?').replace('$limit', '?'));
  const request = db.prepare(SENT_REQUEST.replace('$id', '?'));
  return {
    sentSince: (instanceId: string, t: number, after = '', limit = SENT_PAGE): SentBy[] =>
      since.all(after, instanceId, t, limit).map(sentByRow),
    sentRequest(invitationId: string): RowRequest | null {
      const r = request.get(invitationId);
      return r ? rowRequest(r)[1] : null;
    },
  };
}
