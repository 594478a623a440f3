/**
 * A team's reminder rules and claims in the team database (migration 6): every member's app lists the same rules and
 * counts each person's reminders once for the team. A claim is one guarded upsert a person: two apps claiming at the
 * same moment, the second finds the first's count and time and claims nobody twice.
 */
import type { Row } from '../db/decode.ts';
import { claimParams, REMINDER_SQL, ruleParams, type ReminderStore } from '../inventory/reminderStore.ts';
import { claimRow, logRow, ruleRow, sentRow } from '../inventory/reminderTable.ts';
import { pgTransaction, type PgPool } from './pgTypes.ts';

const Q = REMINDER_SQL;
/** A statement written with `?` placeholders (the stores share them), numbered `$1, $2, …` for PostgreSQL. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export function pgRemindersPort(pool: PgPool): ReminderStore {
  const rows = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as Row[];
  return {
    shared: true,
    rules: async (profileId) =>
      (profileId === undefined
        ? await rows(`${Q.rules} ${Q.order}`, [])
        : await rows(`${Q.rules} WHERE x.profile_id = $1 ${Q.order}`, [profileId])
      ).map(ruleRow),
    async save(r) {
      await pool.query(numbered(Q.saveRule), ruleParams(r));
    },
    async remove(profileId, id) {
      await pool.query(numbered(Q.removeRule), [id, profileId]);
    },
    log: async (ruleId) =>
      new Map((await rows(numbered(Q.log), [ruleId])).map(logRow).map((l) => [l.emailKey, { count: l.count, lastAt: l.lastAt }])),
    async sent(ruleId) {
      const [r] = await rows('SELECT coalesce(sum(count), 0)::int AS n FROM reminder_log WHERE rule_id = $1', [ruleId]);
      return r ? sentRow(r) : 0;
    },
    claim: (ruleId, people, c) =>
      pgTransaction(pool, async (q) => {
        const claimed: string[] = [];
        for (const p of people) {
          const r = await q.query(numbered(Q.upsert), claimParams(ruleId, p, c));
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
        await q.query(numbered(Q.forget), [ruleId, runId]);
        await q.query(numbered(Q.release), [ruleId, runId]);
      }),
  };
}
