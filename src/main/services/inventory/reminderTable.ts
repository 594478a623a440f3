/** The decoders of the reminder tables' rows (`reminder_rules`, `reminder_log`) and of the people a rule finds due. */
import { z } from 'zod';
import { col, column, decoder } from '../db/decode.ts';

/** A rule as evaluated and listed, with the name of the run it is on (null: on everyone of the instance). */
export const ruleRow = decoder(
  'reminder_rules',
  z
    .object({
      id: col.text,
      profile_id: col.text,
      run_id: col.textOrNull,
      run_name: col.textOrNull,
      after_days: col.int,
      max_reminders: col.int,
      enabled: col.int,
      created_at: col.int,
    })
    .transform((r) => ({
      id: r.id,
      profileId: r.profile_id,
      runId: r.run_id,
      runName: r.run_name,
      afterDays: r.after_days,
      maxReminders: r.max_reminders,
      enabled: r.enabled === 1,
      createdAt: r.created_at,
    })),
);
export type RuleRow = ReturnType<typeof ruleRow>;

/** A person a rule may remind: their email key, the newest pending invitation to replace, since when, whether the
 * rule's run sent them one. */
export const candidateRow = decoder(
  'inventory',
  z
    .object({ email_key: col.text, id: col.text, created_at: col.int, of_run: col.int })
    .transform((r) => ({ emailKey: r.email_key, id: r.id, createdAt: r.created_at, ofRun: r.of_run === 1 })),
);

/** A claim: the run that reminds some people, the invitations it replaces (comma-separated ids), when it was taken. */
export const claimRow = decoder(
  'reminder_log',
  z.object({ run_id: col.text, ids: col.text, at: col.int }).transform((r) => ({ runId: r.run_id, ids: r.ids.split(','), at: r.at })),
);

/** A person's reminders under a rule so far, and when the last one was claimed. */
export const logRow = decoder(
  'reminder_log',
  z
    .object({ email_key: col.text, count: col.int, last_at: col.int })
    .transform((r) => ({ emailKey: r.email_key, count: r.count, lastAt: r.last_at })),
);

/** Reminders sent under a rule so far. */
export const sentRow = column('reminder_log', 'n', col.int);
