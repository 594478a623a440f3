/**
 * Bridges a Playwright page's `window.api` to the real main-process handlers, the way the preload does
 * over IPC: one method per channel (from the contract), `on` for events. Used by the e2e harness and the benchmarks.
 */
import type { Page } from '@playwright/test';
import { dispatch, type Handlers } from '../../src/main/ipc/dispatch.ts';
import { CHANNELS, methodName } from '../../src/shared/ipc/contract.ts';

export type IpcRecord = { kind: 'invoke'; channel: string; result: unknown } | { kind: 'event'; channel: string; payload: unknown };

export async function bridgeRenderer(
  page: Page,
  handlers: Handlers,
  log?: IpcRecord[],
): Promise<(event: string, payload: unknown) => void> {
  await page.exposeBinding('__ipcInvoke', async (_source, channel: string, args: unknown) => {
    const result = await dispatch(handlers, channel, args);
    log?.push({ kind: 'invoke', channel, result });
    return result;
  });
  await page.addInitScript(
    (channels: [string, string][]) => {
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const w = window as unknown as Record<string, unknown> & { __ipcInvoke(c: string, a: unknown): Promise<unknown> };
      const api: Record<string, unknown> = {};
      for (const [channel, method] of channels) api[method] = (args?: unknown) => w.__ipcInvoke(channel, args);
      api['on'] = (event: string, listener: (p: unknown) => void) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)?.delete(listener);
      };
      w['__ipcEmit'] = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
      w['api'] = api;
    },
    CHANNELS.map((c) => [c, methodName(c)] as [string, string]),
  );
  return (event, payload) => {
    log?.push({ kind: 'event', channel: event, payload });
    void page
      .evaluate(([e, p]) => (window as unknown as { __ipcEmit(e: string, p: unknown): void }).__ipcEmit(e, p), [event, payload] as const)
      .catch(() => {});
  };
}
