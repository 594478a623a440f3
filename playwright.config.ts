import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/helpers/chromium.ts';

export default defineConfig({
  outputDir: 'test-results/playwright',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env['CI'],
  projects: [
    {
      // The built renderer in Debian's Chromium, with the real main handlers bridged in (test/e2e/harness.ts).
      name: 'renderer',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
        trace: 'retain-on-failure',
      },
    },
    {
      // The packaged app through Electron itself; runs only where an Electron binary exists.
      name: 'electron',
      testDir: 'test/electron',
    },
  ],
});
