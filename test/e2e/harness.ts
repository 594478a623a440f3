/**
 * Renderer e2e harness: the built renderer in Chromium, `window.api` bridged (page.exposeBinding) to the
 * REAL main-process handlers (createMainServices) over a temp database, the real keyring, and a Clerk
 * emulator on port 0. Every IPC call and event is logged so tests can assert what crossed the boundary.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { createKeytarSecretStore } from '../../src/main/adapters/keytarSecretStore.ts';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import { dispatch } from '../../src/main/ipc/dispatch.ts';
import { CHANNELS, methodName } from '../../src/shared/ipc/contract.ts';
import { makeServices } from '../helpers/mainServices.ts';
import { serveStatic } from '../helpers/staticServer.ts';

export type IpcRecord = { kind: 'invoke'; channel: string; result: unknown } | { kind: 'event'; channel: string; payload: unknown };

export type Harness = {
  page: Page;
  emulator: ClerkEmulator;
  services: ReturnType<typeof makeServices>;
  /** Everything main sent to the renderer: invoke results and events. */
  fromMain: IpcRecord[];
  open(): Promise<void>;
};

const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer');

export const test = base.extend<{ app: Harness }>({
  app: async ({ page }, use) => {
    const emulator = await startClerkEmulator({
      rateLimits: { enabled: false },
      instances: [{ environment: 'development' }, { environment: 'production' }],
    });
    const server = await serveStatic(RENDERER_DIR);
    const fromMain: IpcRecord[] = [];
    const services = makeServices(createKeytarSecretStore(), (event, payload) => {
      fromMain.push({ kind: 'event', channel: event, payload });
      void page
        .evaluate(([e, p]) => (window as unknown as { __ipcEmit(e: string, p: unknown): void }).__ipcEmit(e, p), [event, payload] as const)
        .catch(() => {});
    });
    await page.exposeBinding('__ipcInvoke', async (_source, channel: string, args: unknown) => {
      const result = await dispatch(services.handlers, channel, args);
      fromMain.push({ kind: 'invoke', channel, result });
      return result;
    });
    // The same shape the preload exposes: one method per channel, plus `on`.
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

    const harness: Harness = {
      page,
      emulator,
      services,
      fromMain,
      open: async () => {
        await page.goto(server.url);
        await expect(page.getByTestId('profile-switcher')).toBeVisible();
      },
    };
    await use(harness);
    await services.close();
    await server.close();
    await emulator.close();
  },
});

export { expect };
