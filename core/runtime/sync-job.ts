import { consentPolicyOf } from '../privacy/consent-decision.js';
import { UserError } from '../errors/user-error.js';
import type { ExecutionProgress } from '../sync/record-sync.js';
import { runSync, type SinkSyncSummary } from '../sync/run-sync.js';
import { loadMappingSuppressions } from '../privacy/suppressions.js';
import { recordSync } from '../audit/record-events.js';
import { holdJobLock } from './job-lock.js';
import { newRunId } from './run-id.js';
import type { Workspace } from './workspace.js';

/**
 * `plan` (dryRun) and `sync`: the segments the last run computed, diffed
 * against what each sink's vendor account acknowledged. `plan` sends
 * nothing and acknowledges nothing.
 */
export interface SyncJobOptions {
  dryRun: boolean;
  /** One sink of the mapping. */
  only?: string;
  signal: AbortSignal;
  /** Set when called by a run: the sync is part of it. */
  runId?: string;
  onProgress?: (sinkId: string, progress: ExecutionProgress) => void;
  /** Told about each sandbox started for the job. */
  onSandbox?: (sinkId: string, url: string) => void;
}

export interface SyncJobResult {
  runId: string;
  sinks: SinkSyncSummary[];
}

export async function syncJob(workspace: Workspace, options: SyncJobOptions): Promise<SyncJobResult> {
  const { mapping } = workspace;
  if (mapping.sinks.length === 0) throw new UserError(`${workspace.mappingFile} has no sinks: add a "sinks" section (see mappings/examples/retail.yaml)`);
  if (options.only !== undefined) assertSinkExists(workspace, options.only);
  if (!workspace.hasEvents()) throw noSegmentsYet(workspace);
  const events = await workspace.events();
  const tables = await events.connection.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'segment_members'");
  if (Number(tables.getRows()[0]?.[0] ?? 0) === 0) throw noSegmentsYet(workspace);
  const runId = options.runId ?? newRunId(workspace.now(), options.dryRun ? 'plan-' : 'sync-');
  // A plan changes nothing; a sync holds the mapping's sync lease until it ends.
  const lock = options.dryRun ? undefined : await holdJobLock(workspace.state.locks, 'sync', workspace.now);
  let wired;
  try {
    wired = await workspace.connectors.sinks(mapping, { ...(options.only !== undefined ? { only: options.only } : {}), env: workspace.env });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  try {
    for (const sandbox of wired.sandboxes) options.onSandbox?.(sandbox.sinkId, sandbox.url);
    const sinks = await runSync({
      consentPolicy: consentPolicyOf(mapping),
      duck: events.connection, state: workspace.state, runId, sinks: wired.sinks, dryRun: options.dryRun,
      now: workspace.now, signal: options.signal, suppressions: await loadMappingSuppressions(workspace),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(mapping.analysis?.experiments ? { experiments: mapping.analysis.experiments } : {}),
    });
    if (!options.dryRun) await recordSync(workspace, runId, sinks);
    return { runId, sinks };
  } finally {
    await wired.close();
    await lock?.release();
  }
}

export function assertSinkExists(workspace: Workspace, sinkId: string): void {
  const sinks = workspace.mapping.sinks.map((sink) => sink.id);
  if (!sinks.includes(sinkId)) {
    throw new UserError(`no sink "${sinkId}" in ${workspace.mappingFile} (${sinks.length === 0 ? 'it has no sinks' : `sinks: ${sinks.join(', ')}`})`);
  }
}

function noSegmentsYet(workspace: Workspace): UserError {
  return new UserError(`no segments yet in ${workspace.stateDir}: run \`segflow run ${workspace.mappingFile}\` first`);
}

/**
 * How a sync ended, for exit codes: `error` when a sink could not start
 * (credentials, missing fields); `incomplete` when changes were
 * dead-lettered, ran out of retries, waited on a record that failed, or the
 * run stopped early (a quota, an interrupt); else `done`.
 */
export function syncOutcome(sinks: readonly SinkSyncSummary[]): 'done' | 'incomplete' | 'error' {
  if (sinks.some((sink) => sink.error !== undefined)) return 'error';
  const incomplete = sinks.some((sink) => {
    const execution = sink.execution;
    return execution !== undefined && (execution.stopped !== undefined || execution.failed + execution.deadLettered + execution.blocked > 0);
  });
  return incomplete ? 'incomplete' : 'done';
}
