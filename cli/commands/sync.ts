import { syncJob, syncOutcome } from '../../core/runtime/index.js';
import { formatPlan, formatSyncResults } from '../output/sync-table.js';
import { exitCodeFor } from './run.js';
import { interruptSignal, withWorkspace } from './with-workspace.js';

export interface SyncCommandOptions {
  file: string;
  state?: string;
  json: boolean;
  quiet: boolean;
  dryRun: boolean;
  sink?: string;
}

/**
 * `segflow plan FILE` (dryRun) and `segflow sync FILE`: the segments the
 * last `segflow run` computed, diffed against what each vendor account
 * acknowledged. `plan` sends nothing; `sync` applies.
 */
export async function syncCommand(options: SyncCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const interactive = !options.quiet && process.stderr.isTTY;
    const result = await syncJob(workspace, {
      dryRun: options.dryRun, signal: interruptSignal(), ...(options.sink !== undefined ? { only: options.sink } : {}),
      onSandbox: (sinkId, url) => {
        if (!options.quiet) process.stderr.write(`sink ${sinkId}: sandbox simulator at ${url} (starts empty)\n`);
      },
      ...(interactive ? { onProgress: (sinkId: string, progress: { done: number; total: number }) => process.stderr.write(`\r${sinkId}: ${progress.done}/${progress.total} changes`) } : {}),
    });
    if (interactive && !options.dryRun) process.stderr.write('\n');
    if (options.json) process.stdout.write(`${JSON.stringify(result.sinks, null, 2)}\n`);
    else process.stdout.write(options.dryRun ? formatPlan(result.sinks) : formatSyncResults(result.sinks, `segflow dlq list ${options.file}`));
    // Non-zero when the vendors are not in step (cron notices): 1 a sink could not start, 3 changes were left unapplied.
    return exitCodeFor(options.dryRun ? (result.sinks.some((sink) => sink.error !== undefined) ? 'error' : 'done') : syncOutcome(result.sinks));
  });
}
