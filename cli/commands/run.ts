import { describeAllQuarantined, runJob, syncOutcome } from '../../core/runtime/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { createProgress } from '../output/progress.js';
import { formatRunSummary } from '../output/summary-table.js';
import { formatSyncResults } from '../output/sync-table.js';
import { formatAnalysis } from '../output/analysis-table.js';
import { interruptSignal, withWorkspace } from './with-workspace.js';
import { resolve } from 'node:path';

export interface RunCommandOptions {
  file: string;
  state?: string;
  json: boolean;
  quiet: boolean;
}

/** `segflow run FILE`: ingest → identity → features → segments (→ sync) → summary. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const progress = createProgress(process.stderr, !options.quiet);
    const summary = await runJob(workspace, {
      signal: interruptSignal(),
      onStage: (stage) => progress.stage(stage),
      onIngestProgress: (counts) => progress.ingest(counts),
      onSandbox: (sinkId, url) => {
        if (!options.quiet) process.stderr.write(`sink ${sinkId}: sandbox simulator at ${url} (starts empty)\n`);
      },
    });
    progress.done();
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRunSummary(summary));
    if (summary.analysis && !options.json) process.stdout.write(`\n${formatAnalysis(summary.analysis)}`);
    if (summary.sync && !options.json) process.stdout.write(`\n${formatSyncResults(summary.sync, `segflow dlq list ${options.file}`)}`);
    // On stderr, so --json stdout stays one document.
    if (workspace.mapping.report) {
      const { writeReport } = await import('./report.js');
      process.stderr.write(`${await writeReport(workspace, resolve(workspace.baseDir, workspace.mapping.report.out))}\n`);
    }
    // Every row rejected is a data error, not a success: usually a mapping mistake (exit 1, the reasons on stderr).
    if (summary.allQuarantined) {
      process.stderr.write(`${describeAllQuarantined(summary.allQuarantined)}\n`);
      return EXIT_CODES.error;
    }
    return exitCodeFor(summary.sync === undefined ? 'done' : syncOutcome(summary.sync));
  });
}

export function exitCodeFor(outcome: 'done' | 'incomplete' | 'error'): number {
  return outcome === 'error' ? EXIT_CODES.error : outcome === 'incomplete' ? EXIT_CODES.unapplied : EXIT_CODES.done;
}
