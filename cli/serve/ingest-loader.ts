import { durationMs } from '../../core/config/durations.js';
import { runIngest, type IngestSourceEntry, type SourceRunCounts } from '../../core/ingest/ingest-runner.js';
import { newRunId } from '../../core/runtime/run-id.js';
import type { Workspace } from '../../core/runtime/index.js';
import type { WorkQueue } from './work-queue.js';

export interface IngestLoader {
  /** Loads what the journals hold now; resolves when it is stored. */
  loadNow(): Promise<SourceRunCounts[]>;
  /** Stops the timer, then loads what is left. */
  stop(): Promise<void>;
  readonly totals: { loaded: number; quarantined: number; duplicates: number; loads: number; lastError: string | null };
}

/**
 * Moves accepted events from the journals into the event store, on a short
 * timer, through the same ingest runner as `segflow run` (normalization,
 * messageId dedup, quarantine, cursor in one transaction). Loads take turns
 * with every other job on the workspace (the work queue), since DuckDB has
 * one writer.
 */
export function startIngestLoader(workspace: Workspace, sources: readonly IngestSourceEntry[], queue: WorkQueue, options: { intervalMs: number; log: (message: string, fields: object) => void }): IngestLoader {
  const totals = { loaded: 0, quarantined: 0, duplicates: 0, loads: 0, lastError: null as string | null };
  const { mapping } = workspace;
  const load = () => queue.run(async () => {
    const events = await workspace.events();
    const counts = await runIngest({
      store: events, sources, runId: newRunId(workspace.now()), baseDir: workspace.baseDir, stateDir: workspace.stateDir, env: workspace.env, now: workspace.now,
      signal: new AbortController().signal, batchEvents: Math.min(mapping.ingest.batch_events, 100_000), maxFutureMs: durationMs(mapping.ingest.max_future),
    });
    for (const count of counts) {
      totals.loaded += count.events;
      totals.quarantined += count.quarantined;
      totals.duplicates += count.duplicates;
      if (count.quarantined > 0) options.log('journal events quarantined', { source: count.sourceId, quarantined: count.quarantined });
    }
    totals.loads += 1;
    return counts;
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await load();
      totals.lastError = null;
    } catch (error) {
      totals.lastError = (error as Error).message;
      options.log('journal load failed; retrying', { error: totals.lastError });
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.intervalMs);
  };
  timer = setTimeout(() => void tick(), options.intervalMs);
  return {
    totals,
    loadNow: load,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await queue.idle();
      await load();
    },
  };
}
