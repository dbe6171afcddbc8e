import { runPipeline, type RunSummary, type Stage } from '../pipeline/run-pipeline.js';
import type { SourceRunCounts } from '../ingest/ingest-runner.js';
import type { ExecutionProgress } from '../sync/record-sync.js';
import { newRunId } from './run-id.js';
import { recordRun } from '../audit/record-run.js';
import { resolveSecret } from '../config/secrets.js';
import { postAlerts } from './alert-webhook.js';
import { analyzeJob } from './analyze-job.js';
import { syncJob } from './sync-job.js';
import { deletionOutcome, finishedSinks } from '../privacy/deletion-outcome.js';
import { settlePendingErasures } from '../privacy/pending-erasures.js';
import { executeRequestedErasures, type RequestedErasuresOutcome } from './requested-erasures-job.js';
import type { Workspace } from './workspace.js';
import { everyRowQuarantined, topQuarantineReasons, type AllQuarantinedAlarm } from './quarantine-alarm.js';

/**
 * `segflow run`: ingest → identity → features → segments, then the sync
 * when the mapping has sinks, recorded in the run history (succeeded,
 * failed or aborted, with the summary or the error).
 */
export interface RunJobOptions {
  signal: AbortSignal;
  onStage?: (stage: Stage) => void;
  onIngestProgress?: (counts: SourceRunCounts) => void;
  onSyncProgress?: (sinkId: string, progress: ExecutionProgress) => void;
  onSandbox?: (sinkId: string, url: string) => void;
}

/** The pipeline's summary, plus the alarm when every row read this run was quarantined (the CLI exits 1 on it). */
export type RunJobSummary = RunSummary & { allQuarantined?: AllQuarantinedAlarm; erasureRequests?: RequestedErasuresOutcome };

export async function runJob(workspace: Workspace, options: RunJobOptions): Promise<RunJobSummary> {
  const runId = newRunId(workspace.now());
  const { state } = workspace;
  await state.runs.start({ runId, mapping: workspace.mappingFile, startedAt: new Date(workspace.now()).toISOString() });
  try {
    // Erasures requested through the ingest API (Segment delete messages) go first, so no feature, segment or
    // sync of this run includes the person. The journals are left to `forget --resume`: `serve` may be appending to them.
    const erasureRequests = await executeRequestedErasures(workspace, { journals: false });
    const summary: RunJobSummary = await runPipeline({
      mapping: workspace.mapping, events: await workspace.events(), state, runId, baseDir: workspace.baseDir, stateDir: workspace.stateDir, env: workspace.env,
      sources: workspace.connectors.sources(workspace.mapping), now: workspace.now, signal: options.signal,
      ...(options.onStage ? { onStage: options.onStage } : {}),
      ...(options.onIngestProgress ? { onIngestProgress: options.onIngestProgress } : {}),
    });
    if (erasureRequests !== undefined) summary.erasureRequests = erasureRequests;
    if (everyRowQuarantined(summary.events)) {
      const topReasons = await topQuarantineReasons((await workspace.events()).connection, runId);
      summary.allQuarantined = { read: summary.events.read, quarantineFile: summary.quarantineFile, topReasons };
    }
    // The mapping asked for analyses: they read this run's segments and features, before the sync.
    if (workspace.mapping.analysis !== undefined) {
      const analysis = await analyzeJob(workspace, { profiles: summary.profiles, segments: summary.segments });
      const webhook = workspace.mapping.analysis.drift?.webhook;
      if (webhook !== undefined && (analysis.alerts?.length ?? 0) > 0) {
        analysis.webhook = await postAlerts(resolveSecret(webhook, workspace.env, 'analysis.drift.webhook'), { mapping: workspace.name, runId, alerts: analysis.alerts ?? [] });
      }
      summary.analysis = analysis;
    }
    if (workspace.mapping.sinks.length > 0) {
      options.onStage?.('sync');
      const started = performance.now();
      const synced = await syncJob(workspace, {
        dryRun: false, signal: options.signal, runId,
        ...(options.onSyncProgress ? { onProgress: options.onSyncProgress } : {}),
        ...(options.onSandbox ? { onSandbox: options.onSandbox } : {}),
      });
      summary.sync = synced.sinks;
      // Vendor deletions an erasure still owed are settled by any sync that finished them.
      await settlePendingErasures(state.meta, finishedSinks(synced.sinks.map(deletionOutcome)));
      summary.timingsMs.sync = Math.round(performance.now() - started);
    }
    await state.runs.finish(runId, { status: 'succeeded', finishedAt: new Date(workspace.now()).toISOString(), summary });
    await recordRun(workspace, { runId, status: 'succeeded', summary });
    return summary;
  } catch (error) {
    const status = options.signal.aborted ? 'aborted' : 'failed';
    await state.runs.finish(runId, { status, finishedAt: new Date(workspace.now()).toISOString(), summary: { error: (error as Error).message } });
    await recordRun(workspace, { runId, status });
    throw error;
  }
}
