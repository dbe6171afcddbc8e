import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../../core/config/mapping-schema.js';
import type { StateDb } from '../../core/store/state-db.js';
import { runSync, type SinkSyncSummary } from '../../core/sync/run-sync.js';
import { resetSinkState } from '../../core/sync/sync-state.js';
import { wireSinks } from '../../connectors/sink-registry.js';

export interface SyncStepOptions {
  mapping: Mapping;
  duck: DuckDBConnection;
  state: StateDb;
  runId: string;
  dryRun: boolean;
  only?: string;
  signal: AbortSignal;
  onProgress?: (sinkId: string, done: number, total: number) => void;
  /** Told about each sandbox started for the run. */
  onSandbox?: (sinkId: string, url: string) => void;
}

/** Wires the mapping's sinks (sandboxes included), runs the sync or the plan, and always closes what it opened. */
export async function syncStep(options: SyncStepOptions): Promise<SinkSyncSummary[]> {
  const wired = await wireSinks(options.mapping, process.env, options.only);
  try {
    for (const { sinkId, url } of wired.sandboxed) {
      // A plan leaves state alone: it is computed against an empty vendor instead (see runSync's freshSinks).
      if (!options.dryRun) resetSinkState(options.state, sinkId);
      options.onSandbox?.(sinkId, url);
    }
    return await runSync({
      duck: options.duck,
      state: options.state,
      runId: options.runId,
      sinks: wired.sinks,
      dryRun: options.dryRun,
      freshSinks: new Set(wired.sandboxed.map((sandbox) => sandbox.sinkId)),
      now: () => Date.now(),
      signal: options.signal,
      onProgress: (sinkId, progress) => options.onProgress?.(sinkId, progress.done, progress.total),
    });
  } finally {
    await wired.close();
  }
}
