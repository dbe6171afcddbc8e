import type { ScheduledJobConfig } from '../config/serve-schema.js';
import { UserError } from '../errors/user-error.js';
import { holdJobLock } from './job-lock.js';
import { newRunId } from './run-id.js';
import { parseJobMemory, type JobMemory, type ScheduledRunResult } from './cron-schedule.js';
import { runJob } from './run-job.js';
import { syncJob } from './sync-job.js';
import type { Workspace } from './workspace.js';

/**
 * One scheduled run of one job, as `segflow run` / `segflow sync` would do
 * it, recorded in the run history like them. A lease in the state store
 * (`schedule:<id>`) keeps the job from overlapping itself across processes
 * sharing the state (PostgreSQL); the caller keeps it from overlapping
 * itself in-process. What the job last did is kept in state meta, so the
 * next server start knows which slots it missed.
 */
export interface ScheduledJobOutcome {
  jobId: string;
  /** The cron slot this run covers (its due time), epoch ms. */
  slot: number;
  result: ScheduledRunResult;
  runId?: string;
  durationMs: number;
  /** Why it failed or was skipped; never carries a record or a secret. */
  reason?: string;
}

export function jobMemoryKey(jobId: string): string {
  return `schedule.job:${jobId}`;
}

export async function loadJobMemory(workspace: Workspace, jobId: string): Promise<JobMemory | undefined> {
  return parseJobMemory(await workspace.state.meta.get(jobMemoryKey(jobId)));
}

export async function saveJobMemory(workspace: Workspace, jobId: string, memory: JobMemory): Promise<void> {
  await workspace.state.meta.set(jobMemoryKey(jobId), JSON.stringify(memory));
}

export async function scheduledJob(workspace: Workspace, job: ScheduledJobConfig, slot: number, signal: AbortSignal): Promise<ScheduledJobOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const lock = await holdJobLock(workspace.state.locks, `schedule:${job.id}`, workspace.now).catch((error: unknown) => {
    if (error instanceof UserError) return error;
    throw error;
  });
  // Another process runs this job now: this slot is theirs, not missed.
  if (lock instanceof UserError) return remember(workspace, { jobId: job.id, slot, result: 'skipped_locked', durationMs: elapsed(), reason: lock.message });
  try {
    const { runId, error } = await execute(workspace, job, signal);
    const result: ScheduledRunResult = error === undefined ? 'succeeded' : signal.aborted ? 'aborted' : 'failed';
    return await remember(workspace, { jobId: job.id, slot, result, durationMs: elapsed(), ...(runId ? { runId } : {}), ...(error ? { reason: error } : {}) });
  } finally {
    await lock.release();
  }
}

async function execute(workspace: Workspace, job: ScheduledJobConfig, signal: AbortSignal): Promise<{ runId?: string; error?: string }> {
  if (job.job === 'run') {
    try {
      // runJob records itself in the run history (succeeded, failed or aborted).
      return { runId: (await runJob(workspace, { signal })).runId };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  // `segflow sync` leaves no run record; a scheduled one does, so its history shows what the schedule did.
  const runId = newRunId(workspace.now(), 'sync-');
  await workspace.state.runs.start({ runId, mapping: workspace.mappingFile, startedAt: new Date(workspace.now()).toISOString() });
  try {
    const synced = await syncJob(workspace, { dryRun: false, signal, runId });
    await workspace.state.runs.finish(runId, { status: 'succeeded', finishedAt: new Date(workspace.now()).toISOString(), summary: { sync: synced.sinks } });
    return { runId };
  } catch (error) {
    const message = (error as Error).message;
    await workspace.state.runs.finish(runId, { status: signal.aborted ? 'aborted' : 'failed', finishedAt: new Date(workspace.now()).toISOString(), summary: { error: message } });
    return { runId, error: message };
  }
}

async function remember(workspace: Workspace, outcome: ScheduledJobOutcome): Promise<ScheduledJobOutcome> {
  const previous = await loadJobMemory(workspace, outcome.jobId);
  await saveJobMemory(workspace, outcome.jobId, {
    since: previous?.since ?? outcome.slot,
    coveredThrough: Math.max(previous?.coveredThrough ?? 0, outcome.slot),
    lastRunAt: workspace.now(),
    lastResult: outcome.result,
  });
  return outcome;
}
