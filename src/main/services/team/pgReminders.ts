/**
 * A team's reminder rules and claims in the team database (migration 6): every member's app lists the same rules and
 * counts each person's reminders once for the team. A claim is one guarded upsert a person: two apps claiming at the
 * same moment, the second finds the first's count and time and claims nobody twice.
 */
import type { Row } from '../db/decode.ts';
import { FORGET, RELEASE, type ReminderStore } from '../inventory/reminderStore.ts';
import { claimRow, logRow, ruleRow, sentRow } from '../inventory/reminderTable.ts';
import { pgTransaction, type PgPool } from './pgTypes.ts';

const RULES = `SELECT x.*, r.sheet_name AS run_name FROM reminder_rules x LEFT JOIN runs r ON r.id = x.run_id`;

export function pgRemindersPort(pool: PgPool): ReminderStore {
  const rows = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as Row[];
  return {
    shared: true,
    rules: async (profileId) =>
      (profileId === undefined
        ? await rows(`${RULES} ORDER BY x.created_at, x.id`, [])
        : await rows(`${RULES} WHERE x.profile_id = $1 ORDER BY x.created_at, x.id`, [profileId])
      ).map(ruleRow),
    async save(r) {
      await pool.query(
        `INSERT INTO reminder_rules (id, profile_id, run_id, after_days, max_reminders, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET after_days = excluded.after_days, max_reminders = excluded.max_reminders, enabled = excluded.enabled`,
        [r.id, r.profileId, r.runId, r.afterDays, r.maxReminders, r.enabled ? 1 : 0, r.createdAt],
      );
    },
    async remove(profileId, id) {
      await pool.query('DELETE FROM reminder_rules WHERE id = $1 AND profile_id = $2', [id, profileId]);
    },
    log: async (ruleId) =>
      new Map(
        (await rows('SELECT email_key, count, last_at FROM reminder_log WHERE rule_id = $1', [ruleId]))
          .map(logRow)
          .map((l) => [l.emailKey, { count: l.count, lastAt: l.lastAt }]),
      ),
    async sent(ruleId) {
      const [r] = await rows('SELECT coalesce(sum(count), 0)::int AS n FROM reminder_log WHERE rule_id = $1', [ruleId]);
      return r ? sentRow(r) : 0;
    },
    claim: (ruleId, people, c) =>
      pgTransaction(pool, async (q) => {
        const claimed: string[] = [];
        for (const p of people) {
          const r = await q.query(
            `INSERT INTO reminder_log (rule_id, email_key, count, last_at, invitation_id, run_id) VALUES ($1, $2, 1, $3, $4, $5)
             ON CONFLICT (rule_id, email_key) DO UPDATE SET count = reminder_log.count + 1, last_at = excluded.last_at,
               invitation_id = excluded.invitation_id, run_id = excluded.run_id
             WHERE reminder_log.count < $6 AND reminder_log.last_at <= $7`,
            [ruleId, p.emailKey, c.now, p.invitationId, c.runId, c.max, c.lastBefore],
          );
          if ((r.rowCount ?? 0) > 0) claimed.push(p.invitationId);
        }
        return claimed;
      }),
    claims: async (ruleId) =>
      (
        await rows(
          `SELECT run_id, string_agg(invitation_id, ',') AS ids, max(last_at) AS at FROM reminder_log WHERE rule_id = $1 AND run_id <> '' GROUP BY run_id`,
          [ruleId],
        )
      ).map(claimRow),
    release: (ruleId, runId) =>
      pgTransaction(pool, async (q) => {
        await q.query(FORGET.replace('?', '$1').replace('?', '$2'), [ruleId, runId]);
        await q.query(RELEASE.replace('?', '$1').replace('?', '$2'), [ruleId, runId]);
      }),
  };
}
