import type { SinkSyncSummary } from '../sync/run-sync.js';

/**
 * Per sink, whether a sync finished an erasure's vendor deletion: it
 * started (credentials, fields), and no delete was dead-lettered, ran out of
 * retries, or was left behind by an early stop. Pure, so forget and run
 * judge alike.
 */
export type SinkDeletion = { sinkId: string; type: string; status: 'done'; deleted: number } | { sinkId: string; type: string; status: 'pending'; reason: string };

export function deletionOutcome(summary: SinkSyncSummary): SinkDeletion {
  const base = { sinkId: summary.sinkId, type: summary.type };
  if (summary.error !== undefined) return { ...base, status: 'pending', reason: summary.error };
  const execution = summary.execution;
  if (execution === undefined) {
    return summary.planned.delete === 0 ? { ...base, status: 'done', deleted: 0 } : { ...base, status: 'pending', reason: 'the sync did not run its deletes' };
  }
  const deletes = execution.byOp.delete;
  if (deletes.deadLettered + deletes.failed > 0) return { ...base, status: 'pending', reason: `${deletes.deadLettered + deletes.failed} delete(s) refused or failed (see segflow dlq list)` };
  if (execution.stopped !== undefined && summary.planned.delete > deletes.applied + deletes.skipped) return { ...base, status: 'pending', reason: `the sync stopped early: ${execution.stopped}` };
  return { ...base, status: 'done', deleted: deletes.applied };
}

export function finishedSinks(outcomes: readonly SinkDeletion[]): Set<string> {
  return new Set(outcomes.filter((outcome) => outcome.status === 'done').map((outcome) => outcome.sinkId));
}
