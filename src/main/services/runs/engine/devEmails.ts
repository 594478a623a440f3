/**
 * A development instance past 100 emails this month creates invitations without sending their email, and says
 * nothing. Counted here (as in the review's pre-flight): those rows say so, so nobody waits for an email.
 */
import { DEV_MONTHLY_EMAILS } from '../../../../shared/domain/send/preflight.ts';
import { monthStart } from '../preflight.ts';
import type { QueuedRow } from '../journalTypes.ts';
import type { Core, RunCtx } from './core.ts';

export async function noteMissingEmails(core: Core, ctx: RunCtx, batch: QueuedRow[], sentIdx: number[]): Promise<void> {
  if (!ctx.operation.sendsEmail || (await core.store.runs.get(ctx.runId))?.environment !== 'development') return;
  const emailing = batch.filter((r) => sentIdx.includes(r.idx) && r.request.notify && !/\+clerk_test@/i.test(r.email));
  if (emailing.length === 0) return;
  const over = (await core.store.journal.emailsSince(ctx.instanceId, monthStart(core.now()))) - DEV_MONTHLY_EMAILS;
  const t = core.now();
  for (const r of emailing.slice(Math.max(0, emailing.length - over)))
    await core.store.journal.note(
      ctx.runId,
      r.idx,
      `Invitation created, but Clerk sent no email: this development instance is past ${DEV_MONTHLY_EMAILS} emails this month. Copy the accept link and send it yourself.`,
      t,
    );
}
