/**
 * Network waits: a run that cannot reach Clerk (no network, DNS, refused) waits, spending no attempt, and probes
 * Clerk's host until it answers; network changes and wakes make it look again at once.
 */
import { ClerkTransportError } from '../../clerk/errors.ts';
import type { Core, RunCtx } from './core.ts';

export const isUnreachable = (e: unknown) => e instanceof ClerkTransportError && e.unreachable;

export function createNetworkWaits(core: Core) {
  const { deps, log } = core;

  function goOffline(ctx: RunCtx, why: string): void {
    if (ctx.status.visible.offlineSince !== null) return;
    log.warn(`run ${ctx.runId}: cannot reach Clerk (${why}); waiting for the network`);
    ctx.status.show({ offlineSince: core.now() });
  }

  /** One probe loop per run, shared by its lanes: back when Clerk's host answers at all. */
  function waitForNetwork(ctx: RunCtx): Promise<void> {
    ctx.online ??= (async () => {
      await Promise.resolve();
      ctx.status.wait('Waiting for the network');
      while (ctx.status.going) {
        const osOnline = deps.network?.isOnline() ?? true;
        const seen = core.wakes.count;
        if (await ctx.client.reachable()) {
          if (!osOnline) ctx.reachableOffline = true;
          break;
        }
        if (seen === core.wakes.count) await core.sleep(ctx, core.probeMs);
      }
      if (ctx.status.going)
        log.info(
          `run ${ctx.runId}: Clerk reachable again after ${Math.round((core.now() - (ctx.status.visible.offlineSince ?? core.now())) / 1000)} s`,
        );
      ctx.online = null;
      ctx.status.show({ offlineSince: null, waitReason: null });
    })();
    return ctx.online;
  }

  const osOffline = (ctx: RunCtx) => !ctx.reachableOffline && deps.network !== undefined && !deps.network.isOnline();

  return { goOffline, waitForNetwork, osOffline };
}
export type NetworkWaits = ReturnType<typeof createNetworkWaits>;
