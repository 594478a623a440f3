import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/shared/**/*.test.ts', 'test/renderer/**/*.test.ts', 'test/main/**/*.test.ts', 'test/scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Tests share one real keyring (per run) but use distinct accounts; files run in parallel workers.
    pool: 'forks',
    // One throwaway PostgreSQL for the run (the team workspace's storage), started here and stopped after.
    globalSetup: ['test/globalPostgres.ts'],
  },
});
