import { join } from 'node:path';
import { forgetJob, syncOutcome, type ForgetResult } from '../../core/runtime/index.js';
import { PII_KEY_VARIABLE } from '../../core/privacy/identifier-hash.js';
import { rewriteEventStore, vacuumPostgresState, vacuumSqlite } from '../../core/privacy/physical-erasure.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatSyncResults } from '../output/sync-table.js';
import { exitCodeFor } from './run.js';
import { interruptSignal, withWorkspace } from './with-workspace.js';

/**
 * `segflow forget FILE --email E` (or `--user-id ID`, `--anonymous-id ID`):
 * an erasure request, resolved through the identity graph, in the local stores
 * and every sink (core/runtime/forget-job.ts); no later run, on this state
 * or a fresh one, ingests or syncs it again. Once the stores are closed,
 * their files are rewritten so the deleted rows are physically gone.
 * Exits 0 only when nothing is owed to any sink.
 */
export interface ForgetOptions {
  file: string;
  state?: string;
  email?: string;
  userId?: string;
  anonymousId?: string;
  key?: string;
  localOnly?: boolean;
  resume?: boolean;
}

export async function forgetCommand(options: ForgetOptions): Promise<number> {
  let stores: { stateDir: string; sqlite: boolean } | undefined;
  const code = await withWorkspace(options.file, options.state, async (workspace) => {
    stores = { stateDir: workspace.stateDir, sqlite: workspace.state.driver === 'sqlite' };
    const result = await forgetJob(workspace, {
      ...(options.email !== undefined ? { email: options.email } : {}),
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.anonymousId !== undefined ? { anonymousId: options.anonymousId } : {}),
      ...(options.key !== undefined ? { key: options.key } : {}),
      ...(options.localOnly ? { localOnly: true } : {}),
      ...(options.resume ? { resume: true } : {}),
    }, interruptSignal());
    reportLocal(result, options);
    // PostgreSQL rewrites its tables while the state is open (SQLite and DuckDB files are rewritten after, closed).
    if (workspace.state.driver === 'postgres' && erasing(options)) {
      const tables = await vacuumPostgresState(workspace.state.sql);
      process.stderr.write(`rewrote ${tables.length} PostgreSQL state table(s) with VACUUM FULL: the deleted rows are gone from their pages (the server's WAL and backups keep them until recycled)\n`);
    }
    if (result.sync) process.stdout.write(formatSyncResults(result.sync.sinks, `segflow dlq list ${options.file}`));
    reportSinks(result, options.file);
    if (result.pending.length > 0) return EXIT_CODES.unapplied;
    return result.sync ? exitCodeFor(syncOutcome(result.sync.sinks)) : EXIT_CODES.done;
  });
  // Physically: the deleted rows still sit in database pages until the files are rewritten.
  if (stores !== undefined && erasing(options)) {
    await rewriteEventStore(join(stores.stateDir, 'events.duckdb'));
    if (stores.sqlite) vacuumSqlite(join(stores.stateDir, 'state.sqlite'));
    process.stderr.write(`rewrote the state files in ${stores.stateDir}: the deleted rows are physically gone\n`);
  }
  return code;
}

/** The request erases something (a person, or the pending requests `--resume` finishes), so the stores are rewritten after it. */
function erasing(options: ForgetOptions): boolean {
  return options.email !== undefined || options.userId !== undefined || options.anonymousId !== undefined || options.key !== undefined || options.resume === true;
}

function reportLocal(result: ForgetResult, options: ForgetOptions): void {
  if (result.requested !== undefined) {
    const requested = result.requested;
    process.stderr.write(`executed ${requested.executed} erasure request(s) received through the ingest API (Segment delete messages): erased ${requested.profiles} profile(s) and ${requested.events.toLocaleString('en-US')} event(s), and ${requested.quarantined} quarantined row(s)\n`);
  }
  if ((result.journalLines ?? 0) > 0) process.stderr.write(`blanked ${result.journalLines} line(s) of erased people in the ingest API's journals\n`);
  if (result.requestId === undefined) return;
  process.stderr.write(`${result.alreadySuppressed ? 'already on the suppression list' : 'erasure request recorded'} (${result.requestId}) for ${result.subject ?? 'the identifier'} in ${result.suppressionFile} (hashes only)\n`);
  if (result.unkeyed) process.stderr.write(`note: ${PII_KEY_VARIABLE} is not set, so the suppression file's hashes are salted, not keyed: anyone holding the file can test a guessed address. Set ${PII_KEY_VARIABLE} before the first erasure to key them.\n`);
  if (options.key !== undefined) return;
  const matched = result.matched;
  const nobody = result.profiles === 0 && (matched === undefined || matched.userIds + matched.anonymousIds === 0);
  if (nobody && result.alreadySuppressed) {
    process.stderr.write(`no profile carries ${result.subject ?? 'this identifier'} any more: nothing left to erase; the suppression stays in force\n`);
  } else if (nobody) {
    process.stderr.write(`no profile carries ${result.subject ?? 'this identifier'}: nothing stored to erase; the suppression is recorded, so its future events are dropped at ingest and never synced\n`);
  } else if (matched !== undefined) {
    process.stderr.write(`resolved through the identity graph to ${result.profiles} profile(s) seen by ${matched.userIds} userId(s), ${matched.anonymousIds} anonymousId(s) and ${matched.emails} e-mail(s): all suppressed\n`);
  }
  process.stderr.write(`erased ${result.profiles} profile(s) and ${result.events.toLocaleString('en-US')} event(s) from the local stores, and ${result.quarantined} quarantined row(s)\n`);
}

function reportSinks(result: ForgetResult, file: string): void {
  for (const sink of result.sinks) {
    process.stderr.write(sink.status === 'done' ? `sink "${sink.sinkId}" (${sink.type}): done, ${sink.deleted} record(s) deleted\n` : `sink "${sink.sinkId}" (${sink.type}): PENDING, ${sink.reason}\n`);
  }
  const owed = new Map<string, number>();
  for (const erasure of result.pending) for (const sink of erasure.sinks) owed.set(sink, (owed.get(sink) ?? 0) + 1);
  if (owed.size === 0) return;
  process.stderr.write(`still pending: ${[...owed].map(([sink, count]) => `sink "${sink}" owes ${count} erasure(s)`).join(', ')}; run \`segflow forget ${file} --resume\` once it is reachable (the next \`segflow run\` retries them too)\n`);
}
