import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL database (see postgres-state.ts); every test works in its own schema. */
    postgresUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole run (vitest globalSetup): starting one
 * takes a few seconds, a schema per test keeps tests apart. Returns the
 * teardown vitest calls once every test file has finished.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
