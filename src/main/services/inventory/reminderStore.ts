/**
 * Where reminder rules and their claims live: this computer's database, or the team's (a rule is the team's, and so is
 * each person's count of reminders: two members' apps applying one rule claim each person once between them). A claim
 * is taken in one statement a person, guarded by the count and the last reminder's time, so two apps claiming at the
 * same moment never both remind one person.
 */
import { transaction, type Db } from '../db/types.ts';
import { claimRow, logRow, ruleRow, sentRow, type RuleRow } from './reminderTable.ts';

export type { RuleRow };
export type NewRule = Omit<RuleRow, 'runName'>;
/** Per person (email key) of a rule: reminders claimed so far and when the last one was. */
export type RuleLog = Map<string, { count: number; lastAt: number }>;
export type Claim = { runId: string; ids: string[]; at: number };
/** A claim's time and run, and what it is guarded by: fewer than `max` so far, the last one at or before `lastBefore`. */
export type ClaimTerms = { now: number; runId: string; max: number; lastBefore: number };

export interface ReminderStore {
  /** True on a team workspace: another member's app may be claiming and launching too. */
  readonly shared: boolean;
  /** The rules (of one profile), oldest first, each with the name of the run it is on. */
  rules(profileId?: string): Promise<RuleRow[]>;
  /** Adds a rule, or changes its days, count and whether it is on. */
  save(rule: NewRule): Promise<void>;
  remove(profileId: string, id: string): Promise<void>;
  log(ruleId: string): Promise<RuleLog>;
  /** Reminders claimed under a rule so far. */
  sent(ruleId: string): Promise<number>;
  /**
   * Claims a reminder for each of `people` still due by the log (fewer than `max` so far, the last one at or before
   * `lastBefore`): count + 1, `now`, the invitation it replaces, the run's id. The invitation ids claimed.
   */
  claim(ruleId: string, people: { emailKey: string; invitationId: string }[], c: ClaimTerms): Promise<string[]>;
  /** Each run's claims under a rule: the invitations it replaces, and when they were claimed. */
  claims(ruleId: string): Promise<Claim[]>;
  /**
   * Gives back the claims of a run that will never start (its approval rejected or withdrawn): each person's count
   * one less, due again, as if that reminder had not been claimed.
   */
  release(ruleId: string, runId: string): Promise<void>;
}

/**
 * The statements both stores run, written once with `?` placeholders (the team's store numbers them for PostgreSQL).
 * `forget` and `release` give back a run's claims: a person at their first reminder is forgotten; one further along has
 * one reminder fewer, is due again at once, and names no run (so it is not launched as a claim again).
 */
export const REMINDER_SQL = {
  rules: `SELECT x.*, r.sheet_name AS run_name FROM reminder_rules x LEFT JOIN runs r ON r.id = x.run_id`,
  order: `ORDER BY x.created_at, x.id`,
  saveRule: `INSERT INTO reminder_rules (id, profile_id, run_id, after_days, max_reminders, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET after_days = excluded.after_days, max_reminders = excluded.max_reminders, enabled = excluded.enabled`,
  removeRule: `DELETE FROM reminder_rules WHERE id = ? AND profile_id = ?`,
  log: `SELECT email_key, count, last_at FROM reminder_log WHERE rule_id = ?`,
  upsert: `INSERT INTO reminder_log (rule_id, email_key, count, last_at, invitation_id, run_id) VALUES (?, ?, 1, ?, ?, ?)
    ON CONFLICT (rule_id, email_key) DO UPDATE SET count = reminder_log.count + 1, last_at = excluded.last_at,
      invitation_id = excluded.invitation_id, run_id = excluded.run_id
    WHERE reminder_log.count < ? AND reminder_log.last_at <= ?`,
  forget: `DELETE FROM reminder_log WHERE rule_id = ? AND run_id = ? AND count <= 1`,
  release: `UPDATE reminder_log SET count = count - 1, last_at = 0, run_id = '' WHERE rule_id = ? AND run_id = ?`,
};
const Q = REMINDER_SQL;
/** A rule's row as saved (its enabled flag as 0/1 in both databases). */
export const ruleParams = (r: NewRule) => [r.id, r.profileId, r.runId, r.afterDays, r.maxReminders, r.enabled ? 1 : 0, r.createdAt];
/** A person's claim, in `upsert`'s order. */
export const claimParams = (ruleId: string, p: { emailKey: string; invitationId: string }, c: ClaimTerms) => [
  ruleId,
  p.emailKey,
  c.now,
  p.invitationId,
  c.runId,
  c.max,
  c.lastBefore,
];

/** This computer's rules and claims (SQLite, migration 11's tables). */
export function sqliteReminders(db: Db): ReminderStore {
  return {
    shared: false,
    rules: async (profileId) =>
      (profileId === undefined
        ? db.prepare(`${Q.rules} ${Q.order}`).all()
        : db.prepare(`${Q.rules} WHERE x.profile_id = ? ${Q.order}`).all(profileId)
      ).map(ruleRow),
    async save(r) {
      db.prepare(Q.saveRule).run(...ruleParams(r));
    },
    async remove(profileId, id) {
      db.prepare(Q.removeRule).run(id, profileId);
    },
    log: async (ruleId) =>
      new Map(
        db
          .prepare(Q.log)
          .all(ruleId)
          .map(logRow)
          .map((l) => [l.emailKey, { count: l.count, lastAt: l.lastAt }]),
      ),
    async sent(ruleId) {
      const r = db.prepare('SELECT coalesce(sum(count), 0) AS n FROM reminder_log WHERE rule_id = ?').get(ruleId);
      return r ? sentRow(r) : 0;
    },
    async claim(ruleId, people, c) {
      return transaction(db, () => {
        const put = db.prepare(Q.upsert);
        return people.filter((p) => put.run(...claimParams(ruleId, p, c)).changes > 0).map((p) => p.invitationId);
      });
    },
    claims: async (ruleId) =>
      db
        .prepare(
          `SELECT run_id, group_concat(invitation_id) AS ids, max(last_at) AS at FROM reminder_log WHERE rule_id = ? AND run_id <> '' GROUP BY run_id`,
        )
        .all(ruleId)
        .map(claimRow),
    async release(ruleId, runId) {
      transaction(db, () => {
        db.prepare(Q.forget).run(ruleId, runId);
        db.prepare(Q.release).run(ruleId, runId);
      });
    },
  };
}
