/**
 * A development instance past 100 emails this month creates invitations without sending their email, and says
 * nothing. Counted here (as in the review's pre-flight): those rows say so, so nobody waits for an email.
 */
import { DEV_MONTHLY_EMAILS } from '../../../../shared/domain/send/preflight.ts';
import { monthStart } from '../preflight.ts';
import type { QueuedRow } from '../journalTypes.ts';
import type { Core, RunCtx } from './core.ts';

/**
 * The notes of the rows about to be journaled sent whose email Clerk did not send (idx → note), computed before they
 * are journaled so each note is written with its row (a note written after could be lost to a kill).
 */
export async function missingEmailNotes(core: Core, ctx: RunCtx, batch: QueuedRow[], sentIdx: number[]): Promise<Map<number, string>> {
  const notes = new Map<number, string>();
  if (!ctx.operation.sendsEmail || (await core.store.runs.get(ctx.runId))?.environment !== 'development') return notes;
  const emailing = batch.filter((r) => sentIdx.includes(r.idx) && r.request.notify && !/\+clerk_test@/i.test(r.email));
  if (emailing.length === 0) return notes;
  // These rows are not counted yet (still in flight): the month's emails once they are.
  const over = (await core.store.journal.emailsSince(ctx.instanceId, monthStart(core.now()))) + emailing.length - DEV_MONTHLY_EMAILS;
  for (const r of emailing.slice(Math.max(0, emailing.length - over)))
    notes.set(
      r.idx,
      `Invitation created, but Clerk sent no email: this development instance is past ${DEV_MONTHLY_EMAILS} emails this month. Copy the accept link and send it yourself.`,
    );
  return notes;
}
