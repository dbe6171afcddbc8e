import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '../../core/config/config-issue.js';
import { UserError } from '../../core/errors/user-error.js';
import { openEventStore } from '../../core/store/event-store.js';
import { openStateDb } from '../../core/store/state-db.js';
import { formatPlan, formatSyncResults } from '../output/sync-table.js';
import { resolveStateDir } from './run.js';
import { syncStep } from './sync-step.js';
import { loadMapping } from './validate.js';

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
 * last `segflow run` computed, diffed against what each sink acknowledged.
 * `plan` sends nothing; `sync` applies.
 */
export async function syncCommand(options: SyncCommandOptions): Promise<number> {
  const loaded = loadMapping(options.file);
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${loaded.issues.length} problem(s) in ${options.file}; nothing was run\n`);
    return 1;
  }
  if (loaded.mapping.sinks.length === 0) throw new UserError(`${options.file} has no sinks: add a "sinks" section (see mappings/examples/retail.yaml)`);
  if (options.sink !== undefined && !loaded.mapping.sinks.some((sink) => sink.id === options.sink)) {
    throw new UserError(`no sink "${options.sink}" in ${options.file} (sinks: ${loaded.mapping.sinks.map((sink) => sink.id).join(', ')})`);
  }
  const stateDir = resolveStateDir(options.file, options.state, process.env);
  const eventsPath = join(stateDir, 'events.duckdb');
  if (!existsSync(eventsPath)) throw new UserError(`no segments yet in ${stateDir}: run \`segflow run ${options.file}\` first`);
  const store = await openEventStore(eventsPath);
  const state = openStateDb(join(stateDir, 'state.sqlite'));
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    const hasSegments = await store.connection.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'segment_members'");
    if (Number(hasSegments.getRows()[0]?.[0] ?? 0) === 0) throw new UserError(`no segments yet in ${stateDir}: run \`segflow run ${options.file}\` first`);
    const runId = `${options.dryRun ? 'plan' : 'sync'}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const summaries = await syncStep({
      mapping: loaded.mapping, duck: store.connection, state, runId, dryRun: options.dryRun, only: options.sink, signal: controller.signal,
      onSandbox: (sinkId, url) => { if (!options.quiet) process.stderr.write(`sink ${sinkId}: sandbox simulator at ${url} (starts empty)\n`); },
      onProgress: options.quiet || !process.stderr.isTTY ? undefined : (sinkId, done, total) => process.stderr.write(`\r${sinkId}: ${done}/${total} changes`),
    });
    if (!options.quiet && process.stderr.isTTY && !options.dryRun) process.stderr.write('\n');
    if (options.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    else process.stdout.write(options.dryRun ? formatPlan(summaries) : formatSyncResults(summaries, `segflow dlq list ${options.file}`));
    // Non-zero when the vendors are not in step: a sink could not start, the run stopped, or changes ran out of retries (cron notices).
    const failed = summaries.some((summary) => summary.error !== undefined || summary.execution?.stopped !== undefined || (summary.execution?.failed ?? 0) > 0);
    return failed ? 1 : 0;
  } finally {
    store.close();
    state.close();
  }
}
