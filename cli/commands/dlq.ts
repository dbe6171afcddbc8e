import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { openStateDb } from '../../core/store/state-db.js';
import { maskKey } from '../../core/sync/run-sync.js';
import { resolveStateDir } from './run.js';
import { syncCommand } from './sync.js';

export interface DlqCommandOptions {
  action: string | undefined;
  file: string;
  state?: string;
  sink?: string;
  json: boolean;
}

interface DeadLetterRow {
  id: number;
  sink_id: string;
  run_id: string;
  profile_id: string;
  op: string;
  list_key: string | null;
  change: string;
  error_code: string;
  error_message: string;
  failed_at: string;
}

/**
 * `segflow dlq list FILE`: the changes vendors rejected, with their reasons
 * (keys masked). `segflow dlq retry FILE`: un-park them and sync again, after
 * fixing the data or the vendor-side setting the reason names.
 */
export async function dlqCommand(options: DlqCommandOptions): Promise<number> {
  const stateDir = resolveStateDir(options.file, options.state, process.env);
  const statePath = join(stateDir, 'state.sqlite');
  if (!existsSync(statePath)) throw new UserError(`no state in ${stateDir}: nothing has been synced yet`);
  const state = openStateDb(statePath);
  const sinkFilter = options.sink === undefined ? '' : ' AND sink_id = ?';
  const parameters = options.sink === undefined ? [] : [options.sink];
  try {
    if (options.action === 'list') {
      const rows = state.prepare(`SELECT * FROM sink_dlq WHERE resolved_at IS NULL${sinkFilter} ORDER BY sink_id, id`).all(...parameters) as DeadLetterRow[];
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows.map(({ change, ...row }) => ({ ...row, key: maskKey((JSON.parse(change) as { record: { key: string } }).record.key) })), null, 2)}\n`);
        return 0;
      }
      if (rows.length === 0) {
        process.stdout.write('the dead-letter queue is empty\n');
        return 0;
      }
      for (const row of rows) {
        const key = maskKey((JSON.parse(row.change) as { record: { key: string } }).record.key);
        process.stdout.write(`#${row.id} ${row.sink_id} ${row.op}${row.list_key ? ` ${row.list_key}` : ''} ${row.profile_id} (${key}) at ${row.failed_at}\n    ${row.error_code}: ${row.error_message}\n`);
      }
      process.stdout.write(`${rows.length} change(s) parked; fix the cause, then: segflow dlq retry ${options.file}\n`);
      return 0;
    }
    if (options.action === 'retry') {
      const retried = state.prepare(`UPDATE sink_dlq SET resolved_at = ? WHERE resolved_at IS NULL${sinkFilter}`).run(new Date().toISOString(), ...parameters).changes;
      process.stderr.write(`un-parked ${retried} change(s); syncing\n`);
    } else {
      throw new UserError('dlq needs an action: list or retry');
    }
  } finally {
    state.close();
  }
  return syncCommand({ file: options.file, state: options.state, json: options.json, quiet: false, dryRun: false, ...(options.sink ? { sink: options.sink } : {}) });
}
