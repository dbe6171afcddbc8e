import { dirname, resolve } from 'node:path';
import { formatIssue } from '../../core/config/config-issue.js';
import { runPipeline } from '../../core/pipeline/run-pipeline.js';
import { wireSources } from '../../connectors/registry.js';
import { createProgress } from '../output/progress.js';
import { formatRunSummary } from '../output/summary-table.js';
import { formatSyncResults } from '../output/sync-table.js';
import { syncStep } from './sync-step.js';
import { loadMapping } from './validate.js';

export interface RunCommandOptions {
  file: string;
  state?: string;
  json: boolean;
  quiet: boolean;
}

/** State lives beside the mapping unless --state or SEGFLOW_STATE says otherwise. */
export function resolveStateDir(file: string, flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env.SEGFLOW_STATE) return resolve(env.SEGFLOW_STATE);
  return resolve(dirname(resolve(file)), '.segflow');
}

/** `segflow run FILE`: ingest → identity → features → segments → summary. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const loaded = loadMapping(options.file);
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${loaded.issues.length} problem(s) in ${options.file}; nothing was run\n`);
    return 1;
  }
  const controller = new AbortController();
  // First Ctrl-C stops at the next checkpoint boundary; committed work stays.
  process.once('SIGINT', () => controller.abort());
  const progress = createProgress(process.stderr, !options.quiet);
  const summary = await runPipeline({
    mapping: loaded.mapping,
    mappingFile: resolve(options.file),
    baseDir: dirname(resolve(options.file)),
    stateDir: resolveStateDir(options.file, options.state, process.env),
    sources: wireSources(loaded.mapping),
    now: () => Date.now(),
    signal: controller.signal,
    onStage: (stage) => progress.stage(stage),
    onIngestProgress: (counts) => progress.ingest(counts),
    ...(loaded.mapping.sinks.length > 0
      ? {
          sync: ({ duck, state, runId }: Parameters<NonNullable<Parameters<typeof runPipeline>[0]['sync']>>[0]) =>
            syncStep({ mapping: loaded.mapping, duck, state, runId, dryRun: false, signal: controller.signal }),
        }
      : {}),
  });
  progress.done();
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRunSummary(summary));
  if (summary.sync && !options.json) process.stdout.write(`\n${formatSyncResults(summary.sync, `segflow dlq list ${options.file}`)}`);
  const syncFailed = summary.sync?.some((sink) => sink.error !== undefined || sink.execution?.stopped !== undefined || (sink.execution?.failed ?? 0) > 0) ?? false;
  return syncFailed ? 1 : 0;
}
