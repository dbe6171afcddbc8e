import { unencryptedNote } from '../../core/privacy/field-cipher-env.js';
import { describeAllQuarantined, runJob, syncOutcome } from '../../core/runtime/index.js';
import { privacyStartupWarnings } from '../../core/runtime/privacy-startup-warnings.js';
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
    // Printed even with --quiet: where erased people's list is, and whether it is applied, is not progress.
    for (const warning of await privacyStartupWarnings(workspace)) process.stderr.write(`segflow: warning: ${warning}\n`);
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
    if (summary.erasureRequests !== undefined) {
      const done = summary.erasureRequests;
      process.stderr.write(`executed ${done.executed} erasure request(s) received through the ingest API (Segment delete messages): erased ${done.profiles} profile(s) and ${done.events.toLocaleString('en-US')} event(s); run \`segflow forget ${options.file} --resume\` to rewrite the state files so their bytes are gone too\n`);
    }
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRunSummary(summary));
    if (summary.analysis && !options.json) process.stdout.write(`\n${formatAnalysis(summary.analysis)}`);
    if (summary.sync && !options.json) process.stdout.write(`\n${formatSyncResults(summary.sync, `segflow dlq list ${options.file}`)}`);
    // On stderr, so --json stdout stays one document.
    if (workspace.mapping.report) {
      const { writeReport } = await import('./report.js');
      process.stderr.write(`${await writeReport(workspace, resolve(workspace.baseDir, workspace.mapping.report.out))}\n`);
    }
    // After the summary, so a failed run still prints one line; --quiet stays quiet.
    const note = unencryptedNote(workspace.state.cipher);
    if (note !== undefined && !options.quiet) process.stderr.write(`segflow: ${note}\n`);
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
