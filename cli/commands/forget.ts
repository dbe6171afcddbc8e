import { forgetJob, syncOutcome } from '../../core/runtime/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatSyncResults } from '../output/sync-table.js';
import { exitCodeFor } from './run.js';
import { interruptSignal, withWorkspace } from './with-workspace.js';

/**
 * `segflow forget FILE --email E`: an erasure request, in the local stores
 * and every sink (core/runtime/forget-job.ts); no later run syncs it again.
 */
export async function forgetCommand(options: { file: string; state?: string; email?: string; key?: string }): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const result = await forgetJob(workspace, { ...(options.email !== undefined ? { email: options.email } : {}), ...(options.key !== undefined ? { key: options.key } : {}) }, interruptSignal());
    process.stderr.write(result.alreadySuppressed ? 'already on the suppression list\n' : 'erasure request recorded\n');
    if (options.email !== undefined) process.stderr.write(`erased ${result.profiles} profile(s) and ${result.events.toLocaleString('en-US')} event(s) from the local stores\n`);
    if (!result.sync) return EXIT_CODES.done;
    process.stdout.write(formatSyncResults(result.sync.sinks, `segflow dlq list ${options.file}`));
    return exitCodeFor(syncOutcome(result.sync.sinks));
  });
}
