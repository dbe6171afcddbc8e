import { Cron } from 'croner';
import { CRON_MODE, type ScheduleConfig, type ScheduledJobConfig } from '../../core/config/serve-schema.js';
import { decideOnStart, latestSlot, loadJobMemory, nextSlot, saveJobMemory, scheduledJob, type CronSpec, type ScheduledJobOutcome, type Workspace } from '../../core/runtime/index.js';
import type { WorkQueue } from './work-queue.js';

/**
 * The mapping's `schedule:` inside `segflow serve`. Each cron slot puts the
 * job in the work queue (it takes turns with journal loads: one DuckDB
 * writer); a job still queued or running when its next slot comes is not
 * queued again (skipped_overlap), and the state-store lease in
 * scheduledJob keeps a second process off it (skipped_locked).
 *
 * Missed runs: each job's last covered slot is kept in state meta. On start,
 * slots that came due while the server was down are logged; `missed:
 * run_once` runs one catch-up for them, `missed: skip` waits for the next
 * slot. A failed run is logged and counted, not retried: the next slot is
 * the retry.
 */
export interface Scheduler {
  /** Runs one job now, as its cron timer does (slot: the due time it covers, default the latest slot). */
  fire(jobId: string, slot?: number): Promise<ScheduledJobOutcome>;
  /** Settles when no job is queued or running (a catch-up fired on start included). */
  idle(): Promise<void>;
  /** Each job's next slot (ISO), for /healthz. */
  nextRuns(): Record<string, string | null>;
  /** Stops the timers, aborts a running job at its next checkpoint, waits for it. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  queue: WorkQueue;
  log: (level: 'info' | 'warn', message: string, fields: object) => void;
  onOutcome: (outcome: ScheduledJobOutcome) => void;
  /** Runs in the queue right after a job that rebuilt the segments (the profile API's snapshot). */
  afterRun: (outcome: ScheduledJobOutcome) => Promise<void>;
  /** Start croner's timers; tests leave them off and call fire(). @default true */
  timers?: boolean;
}

export async function startScheduler(workspace: Workspace, config: ScheduleConfig, options: SchedulerOptions): Promise<Scheduler> {
  const jobs = new Map(config.jobs.map((job) => [job.id, job]));
  const spec = (job: ScheduledJobConfig): CronSpec => ({ cron: job.cron, timezone: config.timezone });
  const inFlight = new Map<string, Promise<ScheduledJobOutcome>>();
  const abort = new AbortController();
  let stopped = false;

  const fire = (jobId: string, slot?: number): Promise<ScheduledJobOutcome> => {
    const job = jobs.get(jobId);
    if (job === undefined) return Promise.reject(new Error(`no scheduled job "${jobId}" (jobs: ${[...jobs.keys()].join(', ')})`));
    const due = slot ?? latestSlot(spec(job), workspace.now()) ?? workspace.now();
    if (stopped || inFlight.has(jobId)) {
      const outcome: ScheduledJobOutcome = { jobId, slot: due, result: 'skipped_overlap', durationMs: 0, reason: stopped ? 'the server is stopping' : 'the previous run of this job has not finished' };
      report(outcome);
      return Promise.resolve(outcome);
    }
    const running = options.queue.run(async () => {
      options.log('info', 'scheduled job started', { job: jobId, slot: new Date(due).toISOString() });
      const outcome = await scheduledJob(workspace, job, due, abort.signal);
      if (job.job === 'run' && outcome.result === 'succeeded') await options.afterRun(outcome);
      return outcome;
    }).then((outcome) => {
      report(outcome);
      return outcome;
    }).finally(() => inFlight.delete(jobId));
    inFlight.set(jobId, running);
    return running;
  };

  function report(outcome: ScheduledJobOutcome): void {
    options.onOutcome(outcome);
    const fields = { job: outcome.jobId, slot: new Date(outcome.slot).toISOString(), result: outcome.result, durationMs: outcome.durationMs, ...(outcome.runId ? { runId: outcome.runId } : {}), ...(outcome.reason ? { reason: outcome.reason } : {}) };
    options.log(outcome.result === 'succeeded' ? 'info' : 'warn', 'scheduled job finished', fields);
  }

  await applyMissedPolicy(workspace, config, fire, options.log);

  const timers = options.timers === false ? [] : config.jobs.map((job) => new Cron(job.cron, {
    mode: CRON_MODE, timezone: config.timezone,
    // fire() never rejects for a job that exists; a throw here would be a bug, logged rather than fatal.
    catch: (error) => options.log('warn', 'scheduler timer failed', { job: job.id, error: (error as Error).message }),
  }, () => void fire(job.id)));
  options.log('info', 'scheduler started', { timezone: config.timezone, missed: config.missed, next: nextRuns() });

  function nextRuns(): Record<string, string | null> {
    const now = workspace.now();
    return Object.fromEntries(config.jobs.map((job) => {
      const next = nextSlot(spec(job), now);
      return [job.id, next === null ? null : new Date(next).toISOString()];
    }));
  }

  return {
    fire,
    nextRuns,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) timer.stop();
      abort.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

/** The stated policy for slots missed while the server was down, applied once per job on start. */
async function applyMissedPolicy(workspace: Workspace, config: ScheduleConfig, fire: Scheduler['fire'], log: SchedulerOptions['log']): Promise<void> {
  const now = workspace.now();
  for (const job of config.jobs) {
    const memory = await loadJobMemory(workspace, job.id);
    if (memory === undefined) {
      // First time this job is scheduled: slots before now were never owed.
      await saveJobMemory(workspace, job.id, { since: now });
      continue;
    }
    const decision = decideOnStart({ cron: job.cron, timezone: config.timezone }, memory, config.missed, now);
    if (decision.action === 'none') continue;
    const fields = { job: job.id, missed: decision.missed, latestMissed: new Date(decision.slot).toISOString(), policy: config.missed };
    if (decision.action === 'skip_missed') {
      log('warn', 'scheduled runs missed while the server was down: skipped (missed: skip); the next slot runs as usual', fields);
      await saveJobMemory(workspace, job.id, { ...memory, coveredThrough: decision.slot });
    } else {
      log('warn', 'scheduled runs missed while the server was down: running one catch-up (missed: run_once)', fields);
      void fire(job.id, decision.slot);
    }
  }
}
