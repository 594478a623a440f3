/**
 * Reminder rules: “remind people still pending after N days, at most M times”, on a profile's instance, applied while
 * the app runs. Each application is a reminder run (inventoryActions: a fresh invitation, the older one revoked),
 * automatic on development, one click on production. Never more reminders than the rule says: the people reminded are
 * claimed (their count + 1, the run's id) in one transaction before the run is launched; a person is due only once N
 * days have passed since both their invitation and their last reminder, on a clock that must reach it (a clock set
 * back makes nobody due again); a claim whose run a kill kept from launching is launched by the next evaluation, with
 * the same run id, once. Rules and claims are the workspace's (ReminderStore): on a team every member's app applies the
 * same rules and each person is claimed once for the team; the people due are found in this computer's copy of the
 * instance's invitations.
 */
import type { ReminderRule } from '../../../shared/domain/inventory/types.ts';
import { ApprovalAsked } from '../approvals/approvalsService.ts';
import type { Db } from '../db/types.ts';
import { Failure } from '../failure.ts';
import type { RunsPort } from '../runs/engine/ports.ts';
import type { InventoryActions } from './inventoryActions.ts';
import type { Claim, ReminderStore, RuleLog, RuleRow as Row } from './reminderStore.ts';
import { candidateRow } from './reminderTable.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Invitations newer than this are never reminded (Clerk's clock may differ from ours by up to a minute). */
const FRESH_MS = 120_000;
/**
 * A teammate's claim with no run after this long: their app stopped between the claim and the launch, and this one
 * launches it (same run id: one run whoever launches it). Sooner, it is theirs to launch.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

export type ReminderDeps = {
  /** This computer's copy of the instance's invitations (who is pending, since when). */
  db: Db;
  /** The workspace's rules and claims (this computer's, or the team's). */
  store: ReminderStore;
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
  const { db, store } = deps;
  /** Everyone with a pending application invitation: the newest one to replace, since when, whether `runId` sent one. */
  const candidatesSql = `
    SELECT i.email_key, (SELECT j.id FROM inventory j WHERE j.profile_id = i.profile_id AND j.email_key = i.email_key
      AND j.status = 'pending' ORDER BY j.created_at DESC LIMIT 1) AS id, max(i.created_at) AS created_at,
      max(CASE WHEN i.run_id = ? THEN 1 ELSE 0 END) AS of_run
    FROM inventory i
    WHERE i.profile_id = ? AND i.kind = 'app' AND i.status = 'pending' AND (i.expires_at IS NULL OR i.expires_at > ?)
    GROUP BY i.email_key`;
  /** Those a rule may still remind: on its run's people (and those it reminded already), under its count. */
  const candidates = (rule: Row, now: number, log: RuleLog) =>
    db
      .prepare(candidatesSql)
      .all(rule.runId, rule.profileId, now)
      .map(candidateRow)
      .flatMap((c) => {
        const l = log.get(c.emailKey);
        if (rule.runId !== null && !c.ofRun && !l) return [];
        const count = l?.count ?? 0;
        return count < rule.maxReminders ? [{ ...c, lastAt: l?.lastAt ?? 0 }] : [];
      });
  /** The people due under a rule now, oldest first: N days since both their invitation and their last reminder. */
  const due = (rule: Row, now: number, log: RuleLog) => {
    const since = now - rule.afterDays * DAY;
    return candidates(rule, now, log)
      .filter((c) => c.createdAt <= since && c.createdAt <= now - FRESH_MS && c.lastAt <= since)
      .sort((a, b) => a.createdAt - b.createdAt);
  };

  /** When the next person becomes due, as the local copy stands (now, when someone is due already). */
  function nextDue(rule: Row, now: number, log: RuleLog): number | null {
    const wait = rule.afterDays * DAY;
    const at = candidates(rule, now, log).reduce<number | null>((m, c) => {
      const t = Math.max(c.createdAt + wait, c.lastAt + wait);
      return m === null || t < m ? t : m;
    }, null);
    return at === null ? null : Math.max(now, at);
  }

  /** Claims the people due (count + 1, the run's id), each once for the workspace; null when nobody is. */
  async function claim(rule: Row, now: number): Promise<{ runId: string; ids: string[] } | null> {
    const people = due(rule, now, await store.log(rule.id));
    if (people.length === 0) return null;
    const runId = deps.newId();
    const ids = await store.claim(
      rule.id,
      people.map((p) => ({ emailKey: p.emailKey, invitationId: p.id })),
      { now, runId, max: rule.maxReminders, lastBefore: now - rule.afterDays * DAY },
    );
    if (ids.length === 0) return null; // a teammate's app claimed them a moment ago
    mine.add(runId);
    return { runId, ids };
  }

  /** Runs this app claimed: launched here at once. */
  const mine = new Set<string>();
  /**
   * Claims whose run is not in the workspace's journal: the app stopped between the claim and the launch. On a team, a
   * teammate's claim only once it is stale (their app launches its own, a moment after claiming).
   */
  const unlaunched = async (rule: Row, now: number) => {
    const out: Claim[] = [];
    for (const c of await store.claims(rule.id)) {
      const theirs = store.shared && !mine.has(c.runId) && c.at > now - STALE_CLAIM_MS;
      if (!theirs && !(await deps.runs.get(c.runId))) out.push(c);
    }
    return out;
  };

  const launch = async (rule: Row, c: { runId: string; ids: string[] }, confirmName?: string) => {
    try {
      await deps.actions.start(rule.profileId, c.ids, 'remind', confirmName, c.runId);
      return c.runId;
    } catch (e) {
      // Nobody left to remind (they accepted meanwhile): the claim stands as a reminder that was not needed.
      if (e instanceof Failure && e.code === 'nothing_to_send') return null;
      // Four eyes on production: a teammate rejected this reminder (or its preparer withdrew it). It never happens, so
      // its people are given back their count and are due again; the next click asks anew. Said to the user as ever.
      if (e instanceof ApprovalAsked && e.ended) await store.release(rule.id, c.runId);
      throw e;
    }
  };

  /** Evaluations one after another (two at once would each see the other's claims as not launched yet). */
  let queue: Promise<unknown> = Promise.resolve();

  const service = {
    async list(profileId: string): Promise<ReminderRule[]> {
      const now = deps.now();
      const out: ReminderRule[] = [];
      for (const r of await store.rules(profileId)) {
        const log = await store.log(r.id);
        out.push({
          ...r,
          nextDueAt: r.enabled ? nextDue(r, now, log) : null,
          dueNow: r.enabled ? due(r, now, log).length : 0,
          sent: await store.sent(r.id),
        });
      }
      return out;
    },
    async save(input: {
      id?: string;
      profileId: string;
      runId?: string;
      afterDays: number;
      maxReminders: number;
      enabled: boolean;
    }): Promise<ReminderRule[]> {
      await store.save({
        id: input.id ?? deps.newId(),
        profileId: input.profileId,
        runId: input.runId ?? null,
        afterDays: input.afterDays,
        maxReminders: input.maxReminders,
        enabled: input.enabled,
        createdAt: deps.now(),
      });
      return service.list(input.profileId);
    },
    async remove(profileId: string, id: string): Promise<ReminderRule[]> {
      await store.remove(profileId, id);
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
    for (const rule of await store.rules()) {
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
      const left = await unlaunched(rule, deps.now());
      // A stopped teammate's claim names invitations this computer's copy may not hold yet: it is brought up to date
      // first, or the launch would find nobody to remind and the claim would wait for ever.
      if (left.some((c) => !mine.has(c.runId))) await deps.sync(rule.profileId);
      for (const c of left) {
        const id = await launch(rule, c, confirm);
        if (id) launched.push(id);
      }
      // Someone due as the copy stands, or a copy over an hour old (invitations made since may be due): sync, then claim.
      const synced = deps.syncedAt(rule.profileId);
      const stale = synced === null || synced < deps.now() - HOUR || synced > deps.now();
      if ((nextDue(rule, deps.now(), await store.log(rule.id)) ?? Infinity) > deps.now() && !stale) continue;
      await deps.sync(rule.profileId);
      const c = await claim(rule, deps.now());
      if (!c) continue;
      const id = await launch(rule, c, confirm);
      if (id) launched.push(id);
    }
    return launched;
  }
  return service;
}
export type ReminderRules = ReturnType<typeof createReminderRules>;
