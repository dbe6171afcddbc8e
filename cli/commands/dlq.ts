import { dlqDiscardJob, dlqListJob, dlqRetryJob, syncOutcome } from '../../core/runtime/index.js';
import { UserError } from '../../core/errors/user-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatSyncResults } from '../output/sync-table.js';
import { exitCodeFor } from './run.js';
import { interruptSignal, withWorkspace } from './with-workspace.js';

export interface DlqCommandOptions {
  action: string | undefined;
  file: string;
  state?: string;
  sink?: string;
  /** `discard`: only this dead letter (its #id in `dlq list`). */
  id?: number;
  json: boolean;
}

/**
 * `segflow dlq list FILE`: the changes vendors rejected, with their reasons
 * (keys masked). `retry`: un-park them and sync again, after fixing the data
 * or the vendor-side setting the reason names. `discard`: stop showing them;
 * they are not re-sent until the record's desired state changes.
 */
export async function dlqCommand(options: DlqCommandOptions): Promise<number> {
  if (options.action !== 'list' && options.action !== 'retry' && options.action !== 'discard') throw new UserError('dlq needs an action: list, retry or discard');
  const filter = { ...(options.sink !== undefined ? { sinkId: options.sink } : {}), ...(options.id !== undefined ? { id: options.id } : {}) };
  return withWorkspace(options.file, options.state, async (workspace) => {
    if (options.action === 'list') {
      const letters = await dlqListJob(workspace, filter);
      if (options.json) process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
      else if (letters.length === 0) process.stdout.write('the dead-letter queue is empty\n');
      else {
        for (const letter of letters) {
          process.stdout.write(`#${letter.id} ${letter.sinkId} ${letter.op}${letter.listKey ? ` ${letter.listKey}` : ''} ${letter.profileId} (${letter.key}) at ${letter.failedAt}\n    ${letter.errorCode}: ${letter.errorMessage}\n`);
        }
        process.stdout.write(`${letters.length} change(s) parked; fix the cause, then: segflow dlq retry ${options.file}\n`);
      }
      return EXIT_CODES.done;
    }
    if (options.action === 'discard') {
      const discarded = await dlqDiscardJob(workspace, filter);
      if (options.json) process.stdout.write(`${JSON.stringify({ discarded })}\n`);
      else process.stdout.write(`discarded ${discarded} dead letter(s); they stay unsent until the record's desired state changes\n`);
      return EXIT_CODES.done;
    }
    const result = await dlqRetryJob(workspace, filter, { signal: interruptSignal() });
    process.stderr.write(`un-parked ${result.retried} change(s) and synced\n`);
    if (options.json) process.stdout.write(`${JSON.stringify(result.sync.sinks, null, 2)}\n`);
    else process.stdout.write(formatSyncResults(result.sync.sinks, `segflow dlq list ${options.file}`));
    return exitCodeFor(syncOutcome(result.sync.sinks));
  });
}
