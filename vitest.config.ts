import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'connectors/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    // DuckDB and child-process tests are I/O heavy; two cores, so two forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One throwaway PostgreSQL server per run, for the tests of the shared state driver.
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
