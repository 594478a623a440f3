import { defineConfig } from '@playwright/test';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

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
        launchOptions: { executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: chromiumArgs },
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
