import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/shared/**/*.test.ts', 'test/renderer/**/*.test.ts', 'test/main/**/*.test.ts', 'test/scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // expect.poll waits for a state (never a sleep); its 1 s default was too short for a run to end on a loaded 2-core
    // machine's PostgreSQL (bulkActions' reminder run, once), failing a test whose run finished a moment later.
    expect: { poll: { timeout: 15_000 } },
    // Tests share one real keyring (per run) but use distinct accounts; files run in parallel workers.
    pool: 'forks',
    // At least two at once, also on a 2-core CI machine (vitest's default there is one): the suite's time is mostly
    // waiting (real HTTP, compressed Clerk windows, PostgreSQL), and one worker took 8 of the 12 minutes CI allows.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One throwaway PostgreSQL for the run (the team workspace's storage), started here and stopped after.
    globalSetup: ['test/globalPostgres.ts'],
  },
});
