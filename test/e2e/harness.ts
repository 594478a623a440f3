/**
 * Renderer e2e harness: the built renderer in Chromium, `window.api` bridged (page.exposeBinding) to the
 * REAL main-process handlers (createMainServices) over a temp database, the real keyring, and a Clerk
 * emulator on port 0. Every IPC call and event is logged so tests can assert what crossed the boundary.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import { testSecretStore } from '../helpers/keyring.ts';
import { makeServices } from '../helpers/mainServices.ts';
import { bridgeRenderer, type IpcRecord } from '../helpers/rendererBridge.ts';
import { serveStatic } from '../helpers/staticServer.ts';

export type Harness = {
  page: Page;
  emulator: ClerkEmulator;
  services: ReturnType<typeof makeServices>;
  /** Everything main sent to the renderer: invoke results and events. */
  fromMain: IpcRecord[];
  /** Sends an event from main as the shell does (notices, menu commands). */
  emit(event: string, payload: unknown): void;
  open(): Promise<void>;
};

export const RUN_WINDOW_MS = 3000;
const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer');

export const test = base.extend<{ app: Harness }>({
  app: async ({ page }, use) => {
    const emulator = await startClerkEmulator({
      rateLimits: { enabled: false },
      instances: [{ environment: 'development' }, { environment: 'production' }],
    });
    const server = await serveStatic(RENDERER_DIR);
    const fromMain: IpcRecord[] = [];
    let emit: (event: string, payload: unknown) => void = () => {};
    // Clerk's hourly window compressed to 3 s, with 1 bulk + 1 single request a window: runs take a few windows.
    const services = makeServices(testSecretStore(), (event, payload) => emit(event, payload), {
      runWindowMs: RUN_WINDOW_MS,
      runLimits: { 'app.bulk': 1, 'app.single': 1, 'org.bulk': 1, 'org.single': 1 },
      backoffBaseMs: 50,
      unknownGraceMs: 1500, // a request Clerk did not answer (a 503) is looked up after this, then resent
    });
    emit = await bridgeRenderer(page, services.handlers, fromMain);

    const harness: Harness = {
      page,
      emulator,
      services,
      fromMain,
      emit: (event, payload) => emit(event, payload),
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
