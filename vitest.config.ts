import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that hold a fork longest, heaviest first. Two forks share the
 * suite, so its wall time is whichever fork finishes last: a long file that
 * starts late runs alone at the end. With timings from an earlier run vitest
 * starts the longest files first by itself, but a clean CI checkout has none
 * and it orders by file size, which puts these short, slow files anywhere.
 * An order, not a filter: a file missing here still runs, only later.
 */
const HEAVIEST_FIRST = [
  'test/sink-crash.test.ts',
  'test/source-contract.test.ts',
  'test/model-stability.test.ts',
  'test/forget-sinks.test.ts',
  'test/sink-contract.test.ts',
  'connectors/sources/synthetic/synthetic-source.test.ts',
  'test/crash-safety.test.ts',
  'test/sink-faults.test.ts',
  'test/sync-cli.test.ts',
  'test/trigger-crash.test.ts',
  'test/forget-lasting.test.ts',
  'test/bulk-load.test.ts',
  'test/report-browser.test.ts',
  'test/privacy-canary.test.ts',
  'test/online-retail-oracle.test.ts',
  'test/ingest-api-clients.test.ts',
];

class HeaviestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = HEAVIEST_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? HEAVIEST_FIRST.length : index;
    };
    // A stable sort: the rest keeps vitest's own order (failed first, then longest by past timings).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'connectors/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    // DuckDB and child-process tests are I/O heavy; two cores, so two forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    sequence: { sequencer: HeaviestFirstSequencer },
    // One throwaway PostgreSQL server per run, for the tests of the shared state driver.
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
