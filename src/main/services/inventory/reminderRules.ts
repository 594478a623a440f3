/**
 * Reminder rules: “remind people still pending after N days, at most M times”, on a profile's instance, applied while
 * the app runs. Each application is a reminder run (inventoryActions: a fresh invitation, the older one revoked),
 * automatic on development, one click on production. Never more reminders than the rule says: the people reminded are
 * claimed (their count + 1, the run's id) in one transaction before the run is launched; a person is due only once N
 * days have passed since both their invitation and their last reminder, on a clock that must reach it (a clock set
 * back makes nobody due again); a claim whose run a kill kept from launching is launched by the next evaluation, with
 * the same run id, once.
 */
import type { ReminderRule } from '../../../shared/domain/inventory/types.ts';
import { transaction, type Db } from '../db/types.ts';
import { Failure } from '../failure.ts';
import type { RunsPort } from '../runs/engine/ports.ts';
import type { InventoryActions } from './inventoryActions.ts';
import { claimRow, dueRow, nextDueRow, ruleRow, sentRow, type RuleRow as Row } from './reminderTable.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Invitations newer than this are never reminded (Clerk's clock may differ from ours by up to a minute). */
const FRESH_MS = 120_000;
const RULES = `SELECT x.*, r.sheet_name AS run_name FROM reminder_rules x LEFT JOIN runs r ON r.id = x.run_id`;

export type ReminderDeps = {
  db: Db;
  /** The workspace's runs: whether a claim's run was launched. */
  runs: Pick<RunsPort, 'get'>;
  actions: Pick<InventoryActions, 'start'>;
  /** Brings the profile's local copy up to date before people are picked. */
  sync: (profileId: string) => Promise<unknown>;
  /** When the profile's copy was last synced completely (null: never). */
  syncedAt: (profileId: string) => number | null;
  environmentOf: (profileId: string) => Promise<{ production: boolean; name: string }>;
  now: () => number;
  newId: () => string;
};

export function createReminderRules(deps: ReminderDeps) {
  const { db } = deps;
  /** The people due under a rule now: one pending application invitation each (the newest), oldest first. */
  const dueSql = `
    SELECT i.email_key, (SELECT j.id FROM inventory j WHERE j.profile_id = i.profile_id AND j.email_key = i.email_key
      AND j.status = 'pending' ORDER BY j.created_at DESC LIMIT 1) AS id, max(i.created_at) AS created_at, coalesce(l.count, 0) AS count, l.last_at
    FROM inventory i LEFT JOIN reminder_log l ON l.rule_id = ? AND l.email_key = i.email_key
    WHERE i.profile_id = ? AND i.kind = 'app' AND i.status = 'pending' AND (i.expires_at IS NULL OR i.expires_at > ?)
      AND (? IS NULL OR i.run_id = ? OR l.email_key IS NOT NULL)
    GROUP BY i.email_key
    HAVING coalesce(l.count, 0) < ? AND max(i.created_at) <= ? AND max(i.created_at) <= ? AND coalesce(l.last_at, 0) <= ?`;
  const rules = (profileId?: string): Row[] =>
    (profileId === undefined
      ? db.prepare(`${RULES} ORDER BY x.created_at`).all()
      : db.prepare(`${RULES} WHERE x.profile_id = ? ORDER BY x.created_at`).all(profileId)
    ).map(ruleRow);
  const sent = (ruleId: string) => {
    const r = db.prepare('SELECT coalesce(sum(count), 0) AS n FROM reminder_log WHERE rule_id = ?').get(ruleId);
    return r ? sentRow(r) : 0;
  };
  const due = (rule: Row, now: number) =>
    db
      .prepare(dueSql)
      .all(
        rule.id,
        rule.profileId,
        now,
        rule.runId,
        rule.runId,
        rule.maxReminders,
        now - rule.afterDays * DAY,
        now - FRESH_MS,
        now - rule.afterDays * DAY,
      )
      .map(dueRow);

  /** When the next person becomes due, as the local copy stands (now, when someone is due already). */
  function nextDue(rule: Row, now: number): number | null {
    const r = db
      .prepare(
        `SELECT min(max(t.created_at + ?, coalesce(l.last_at, 0) + ?)) AS at FROM
           (SELECT email_key, max(created_at) AS created_at, max(run_id) AS run_id FROM inventory
            WHERE profile_id = ? AND kind = 'app' AND status = 'pending' AND (expires_at IS NULL OR expires_at > ?)
            GROUP BY email_key) t
         LEFT JOIN reminder_log l ON l.rule_id = ? AND l.email_key = t.email_key
         WHERE coalesce(l.count, 0) < ? AND (? IS NULL OR t.run_id = ? OR l.email_key IS NOT NULL)`,
      )
      .get(rule.afterDays * DAY, rule.afterDays * DAY, rule.profileId, now, rule.id, rule.maxReminders, rule.runId, rule.runId);
    const at = r ? nextDueRow(r) : null;
    return at === null ? null : Math.max(now, at);
  }

  /** Claims the people due (count + 1, the run's id) in one transaction; null when nobody is. */
  function claim(rule: Row, now: number): { runId: string; ids: string[] } | null {
    return transaction(db, () => {
      const people = due(rule, now);
      if (people.length === 0) return null;
      const runId = deps.newId();
      const put = db.prepare(
        `INSERT INTO reminder_log (rule_id, email_key, count, last_at, invitation_id, run_id) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (rule_id, email_key) DO UPDATE SET count = count + 1, last_at = excluded.last_at,
           invitation_id = excluded.invitation_id, run_id = excluded.run_id`,
      );
      for (const p of people) put.run(rule.id, p.emailKey, now, p.id, runId);
      return { runId, ids: people.map((p) => p.id) };
    });
  }

  /** Claims whose run is not in the workspace's journal (the app stopped between the claim and the launch). */
  const unlaunched = async (rule: Row) => {
    const claims = db
      .prepare(`SELECT l.run_id, group_concat(l.invitation_id) AS ids FROM reminder_log l WHERE l.rule_id = ? GROUP BY l.run_id`)
      .all(rule.id)
      .map(claimRow);
    const out: typeof claims = [];
    for (const c of claims) if (!(await deps.runs.get(c.runId))) out.push(c);
    return out;
  };

  const launch = async (rule: Row, c: { runId: string; ids: string[] }, confirmName?: string) => {
    try {
      await deps.actions.start(rule.profileId, c.ids, 'remind', confirmName, c.runId);
      return c.runId;
    } catch (e) {
      // Nobody left to remind (they accepted meanwhile): the claim stands as a reminder that was not needed.
      if (e instanceof Failure && e.code === 'nothing_to_send') return null;
      throw e;
    }
  };

  /** Evaluations one after another (two at once would each see the other's claims as not launched yet). */
  let queue: Promise<unknown> = Promise.resolve();

  const service = {
    list(profileId: string): ReminderRule[] {
      const now = deps.now();
      return rules(profileId).map((r) => ({
        ...r,
        nextDueAt: r.enabled ? nextDue(r, now) : null,
        dueNow: r.enabled ? due(r, now).length : 0,
        sent: sent(r.id),
      }));
    },
    save(input: {
      id?: string;
      profileId: string;
      runId?: string;
      afterDays: number;
      maxReminders: number;
      enabled: boolean;
    }): ReminderRule[] {
      const id = input.id ?? deps.newId();
      db.prepare(
        `INSERT INTO reminder_rules (id, profile_id, run_id, after_days, max_reminders, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET after_days = excluded.after_days, max_reminders = excluded.max_reminders, enabled = excluded.enabled`,
      ).run(id, input.profileId, input.runId ?? null, input.afterDays, input.maxReminders, input.enabled ? 1 : 0, deps.now());
      return service.list(input.profileId);
    },
    remove(profileId: string, id: string): ReminderRule[] {
      db.prepare('DELETE FROM reminder_rules WHERE id = ? AND profile_id = ?').run(id, profileId);
      return service.list(profileId);
    },

    /**
     * Applies every enabled rule: claims left unlaunched first, then (the copy synced) the people due now. On production
     * nothing is sent here unless `approve` names the rule (the user's one click, with the profile's name typed).
     * Returns the runs launched.
     */
    evaluate(approve?: { ruleId: string; confirmName: string }): Promise<string[]> {
      const next = queue.then(() => evaluateNow(approve));
      queue = next.catch(() => undefined);
      return next;
    },
  };

  async function evaluateNow(approve?: { ruleId: string; confirmName: string }): Promise<string[]> {
    const launched: string[] = [];
    for (const rule of rules()) {
      if (!rule.enabled) continue;
      const approved = approve?.ruleId === rule.id;
      const { production, name } = await deps.environmentOf(rule.profileId);
      if (production && !approved) continue;
      // Said before anyone is claimed: a wrong name uses up nobody's reminder.
      if (production && approve?.confirmName !== name)
        throw new Failure('confirmation_required', `Type the profile name “${name}” to send reminders on production.`, {
          field: 'confirmName',
        });
      const confirm = approved ? approve.confirmName : undefined;
      for (const c of await unlaunched(rule)) {
        const id = await launch(rule, c, confirm);
        if (id) launched.push(id);
      }
      // Someone due as the copy stands, or a copy over an hour old (invitations made since may be due): sync, then claim.
      const synced = deps.syncedAt(rule.profileId);
      const stale = synced === null || synced < deps.now() - HOUR || synced > deps.now();
      if ((nextDue(rule, deps.now()) ?? Infinity) > deps.now() && !stale) continue;
      await deps.sync(rule.profileId);
      const c = claim(rule, deps.now());
      if (!c) continue;
      const id = await launch(rule, c, confirm);
      if (id) launched.push(id);
    }
    return launched;
  }
  return service;
}
export type ReminderRules = ReturnType<typeof createReminderRules>;
