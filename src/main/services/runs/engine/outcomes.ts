/**
 * What an answer means for a batch's rows, journaled: created (sent, with the development email note), or an
 * error turned into row outcomes by the operation's `classify` (rate limited, stop the run, row failures, the
 * single lane, halves), or an unknown outcome handed to the never-twice rules.
 */
import { explain } from '../../../../shared/domain/send/messages.ts';
import { plural } from '../../../../shared/plural.ts';
import type { Lane } from '../../../../shared/domain/send/limits.ts';
import { ClerkApiError, ClerkTransportError } from '../../clerk/errors.ts';
import type { QueuedRow } from '../journalTypes.ts';
import { isInstanceMismatch, type Core, type RunCtx } from './core.ts';
import { missingEmailNotes } from './devEmails.ts';
import type { NeverTwice } from './neverTwice.ts';
import type { BatchAnswer } from './operation.ts';
import type { RequeueOptions } from './ports.ts';

export const singleLaneOf = (ctx: RunCtx) => ctx.operation.lanes.find((l) => l.itemsPerCall === 1);

export function createOutcomes(core: Core, never: NeverTwice) {
  const { store } = core;

  /**
   * Clerk answered: the rows its answer proves done are sent, each with its own invitation; the others are of
   * unknown outcome (a 200 that does not show it) and go through the lookups.
   */
  async function created(ctx: RunCtx, batch: QueuedRow[], answer: BatchAnswer, requestId: number, started: number): Promise<void> {
    const answered = core.now();
    // What a create stamped is Clerk's clock during the request (a revoke answers with the old invitation's time).
    if (ctx.operation.op === 'create') for (const d of answer.done) ctx.clerkClock.created(d.created.createdAt, started, answered);
    const done = answer.done.flatMap(({ index, created: c }) => {
      const r = batch[index];
      return r ? [{ idx: r.idx, invitationId: c.id, status: c.status, url: c.url, expiresAt: c.expiresAt, note: c.note ?? null }] : [];
    });
    const noEmail = await missingEmailNotes(
      core,
      ctx,
      batch,
      done.map((x) => x.idx),
    );
    const sent = done.map((s) => ({ ...s, note: s.note ?? noEmail.get(s.idx) ?? null }));
    await store.journal.markSent(ctx.runId, sent, core.now());
    ctx.status.show({ retry: null }); // Clerk answers again: the run page goes back to its plan and ETA
    await store.journal.finishRequest(requestId, 'ok', core.now());
    const missing = batch.filter((r) => !sent.some((s) => s.idx === r.idx));
    if (missing.length) never.reconcileLater(ctx, missing, started, false);
  }

  async function failed(ctx: RunCtx, lane: Lane, batch: QueuedRow[], e: unknown, since: number): Promise<void> {
    const t = core.now();
    const back = (opts: RequeueOptions, rows = batch) => core.requeue(ctx, rows, t, opts);
    if (isInstanceMismatch(e)) {
      // The key now opens another instance (checked before the request went): nothing was sent; stop here.
      await back({ refund: true });
      ctx.status.halt('pause', e.message);
      return;
    }
    if (e instanceof ClerkTransportError && e.kind === 'bad_request')
      // Refused before sending (an id not of Clerk's shape): nothing reached Clerk, and retrying cannot help.
      return store.journal.markFailed(
        ctx.runId,
        batch.map((r) => ({ idx: r.idx, code: 'invalid_id', message: e.message })),
        t,
      );
    const failedTry = (nextAt: number | null, note: string | null = null) =>
      ctx.status.show({
        retry: {
          status: e instanceof ClerkApiError ? e.status : null,
          code: e instanceof ClerkApiError ? e.code : null,
          attempt: Math.max(...batch.map((r) => r.attempts)),
          nextAt,
          ...(note ? { note } : {}),
        },
      });
    if (!(e instanceof ClerkApiError) || e.status >= 500) {
      failedTry(since + core.graceMs); // unknown outcome: looked up after the grace period
      return never.reconcileLater(ctx, batch, since, true);
    }
    const d = ctx.operation.classify(e, batch, lane.itemsPerCall > 1);
    const row = batch[0]!;
    const target = row.request.revokeInvitationId ?? '';
    // Clerk may have committed the rows of a refused bulk call it did not name (API.md: bulk calls may commit
    // part): they are of unknown outcome since this request, and looked up before any resend.
    const mayHaveCommitted = async (rows: QueuedRow[]) => {
      if (lane.itemsPerCall <= 1 || !ctx.operation.lookUp || rows.length === 0) return;
      await store.journal.markUnknown(
        ctx.runId,
        rows.map((r) => r.idx),
        since,
        core.now(),
      );
      for (const r of rows) r.unknownSince ??= since;
    };
    const rest = async (handled: QueuedRow[]) => {
      const others = batch.filter((r) => !handled.includes(r));
      await mayHaveCommitted(others);
      if (others.length) await back({ refund: true }, others);
    };
    switch (d.kind) {
      case 'rate_limited':
        await store.quota.block(ctx.instanceId, lane.endpoint, t + d.retryAfterSeconds * 1000, t);
        failedTry(t + d.retryAfterSeconds * 1000, d.note);
        return back({ refund: true });
      case 'stop':
        await back({ refund: true });
        ctx.status.halt('pause', d.reason);
        return;
      case 'revoked_already':
        return store.journal.markSent(ctx.runId, [{ idx: row.idx, invitationId: target, status: 'revoked', url: null }], t);
      case 'accepted_already':
        return store.journal.markSent(
          ctx.runId,
          [{ idx: row.idx, invitationId: target, status: 'accepted', url: null, note: 'Already accepted: nothing to revoke.' }],
          t,
        );
      case 'not_pending': {
        // After an unknown outcome our own revoke may have gone through: look it up.
        const status = await ctx.operation.statusNow(ctx.client, row.request).catch(() => null);
        if (status === 'revoked') return store.journal.markSent(ctx.runId, [{ idx: row.idx, invitationId: target, status, url: null }], t);
        return store.journal.markFailed(
          ctx.runId,
          [
            {
              idx: row.idx,
              code: e.code,
              message: `No longer pending (${status ?? 'accepted, expired or revoked already'}): nothing to revoke.`,
            },
          ],
          t,
        );
      }
      case 'rows': {
        await store.journal.markFailed(
          ctx.runId,
          d.fail.map((f) => ({ idx: f.row.idx, code: f.code, message: f.message })),
          t,
        );
        await never.settleDuplicates(ctx, d.duplicates);
        return rest([...d.fail, ...d.duplicates].map((f) => f.row));
      }
      case 'single_lane': {
        const single = singleLaneOf(ctx);
        if (!single || core.limitOf(single) <= 0) {
          await store.journal.markFailed(
            ctx.runId,
            d.rows.map((r) => ({ idx: r.idx, code: e.code, message: explain(e.code, e.longMessage) })),
            t,
          );
        } else await back({ refund: true, split: 0 }, d.rows); // split 0: single lane only
        return rest(d.rows);
      }
      case 'org_full': {
        // Room for some, not all: the rows that fit go (a smaller call); when none fits, this batch and every queued
        // row for the organization fail with the true reason, and the run goes on (Retry failed once it is raised).
        const orgId = row.request.organizationId ?? '';
        const org = await (async () => ctx.client.getOrganization(orgId))().catch(() => null);
        const members = org?.membersCount ?? 0;
        const pending = org?.pendingInvitationsCount ?? 0;
        const free = org ? org.maxAllowedMemberships - members - pending : 0;
        if (free > 0 && batch.length > 1) return back({ refund: true, split: Math.min(free, Math.ceil(batch.length / 2)) });
        const why = `Not sent: the organization had room for ${plural(Math.max(0, free), 'more member')}${org ? ` (${members} members + ${pending} pending of ${org.maxAllowedMemberships})` : ''}; raise its limit in Clerk, then retry the failed rows`;
        const waiting = ctx.queue.filter((r) => r.request.organizationId === orgId);
        ctx.queue = ctx.queue.filter((r) => r.request.organizationId !== orgId);
        return store.journal.markFailed(
          ctx.runId,
          [...batch, ...waiting].map((r) => ({ idx: r.idx, code: e.code, message: why })),
          t,
        );
      }
      case 'later':
        // Clerk holds the rows for now (a waitlist entry locked by a batch action): tried again later, saying so.
        return back({ notBefore: t + core.backoff(Math.max(3, row.attempts + 2)), message: d.message }, d.rows);
      case 'split':
        // Nobody named: try the halves (on the single lane when it has room), down to single rows.
        await mayHaveCommitted(batch);
        return back({ refund: true, split: Math.ceil(batch.length / 2) });
    }
  }

  return { created, failed };
}
export type Outcomes = ReturnType<typeof createOutcomes>;
