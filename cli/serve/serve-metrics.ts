import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ScheduledJobOutcome } from '../../core/runtime/index.js';
import type { IngestLoader } from './ingest-loader.js';

/**
 * `/metrics` in Prometheus text format. One registry per server, never
 * prom-client's global one: two servers in one process (tests, benches)
 * would otherwise share and double-register series. Values the server
 * already keeps (the loader's totals, the journal backlog) are read at
 * scrape time rather than mirrored, so they cannot drift apart. Labels are
 * source and job ids from the mapping only: no user ids, no paths.
 */
export interface ServeMetrics {
  readonly registry: Registry;
  eventsAccepted(sourceId: string, events: number): void;
  scheduledRun(outcome: ScheduledJobOutcome): void;
  profileRequest(status: number): void;
  snapshotBuilt(profiles: number, at: number): void;
}

export interface MetricSources {
  loader: () => IngestLoader['totals'] | undefined;
  backlogBytes: () => ReadonlyMap<string, number>;
  /** The workspace's clock: last-run timestamps agree with the run history. */
  now: () => number;
}

export function createServeMetrics(sources: MetricSources): ServeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const accepted = new Counter({ name: 'segflow_events_accepted_total', help: 'Events answered 200 (fsync\'d to the journal), by source.', labelNames: ['source'] as const, registers });
  new Gauge({
    name: 'segflow_journal_backlog_bytes', help: 'Journal bytes not yet loaded into the event store, by journal.', labelNames: ['journal'] as const, registers,
    collect() {
      this.reset();
      for (const [journal, bytes] of sources.backlogBytes()) this.set({ journal }, bytes);
    },
  });
  const loaderCounter = (name: string, help: string, read: (totals: IngestLoader['totals']) => number) => new Counter({
    name, help, registers,
    collect() {
      const totals = sources.loader();
      // The loader's totals only grow: reset-then-inc republishes them as a counter.
      this.reset();
      this.inc(totals ? read(totals) : 0);
    },
  });
  loaderCounter('segflow_loads_total', 'Journal loads into the event store.', (totals) => totals.loads);
  loaderCounter('segflow_loaded_events_total', 'Journal events stored by the loader.', (totals) => totals.loaded);
  loaderCounter('segflow_quarantined_events_total', 'Journal events the loader quarantined (see the quarantine table for reasons).', (totals) => totals.quarantined);
  loaderCounter('segflow_duplicate_events_total', 'Journal events the loader skipped as known messageIds.', (totals) => totals.duplicates);
  new Gauge({
    name: 'segflow_load_failing', help: '1 while the last journal load failed (it is retried), else 0.', registers,
    collect() {
      this.set(sources.loader()?.lastError ? 1 : 0);
    },
  });
  const runs = new Counter({ name: 'segflow_scheduled_runs_total', help: 'Scheduled job runs, by job and result (succeeded, failed, aborted, skipped_overlap, skipped_locked).', labelNames: ['job', 'result'] as const, registers });
  const duration = new Histogram({
    name: 'segflow_scheduled_run_duration_seconds', help: 'Duration of scheduled job runs that ran (not skipped), by job.', labelNames: ['job'] as const, registers,
    buckets: [1, 5, 15, 60, 300, 900, 1800, 3600, 7200],
  });
  const lastRun = new Gauge({ name: 'segflow_scheduled_last_run_timestamp_seconds', help: 'When each scheduled job last ran (epoch seconds), whatever its result.', labelNames: ['job'] as const, registers });
  const lastSuccess = new Gauge({ name: 'segflow_scheduled_last_success_timestamp_seconds', help: 'When each scheduled job last succeeded (epoch seconds).', labelNames: ['job'] as const, registers });
  const profileRequests = new Counter({ name: 'segflow_profile_requests_total', help: 'Profile API requests, by HTTP status.', labelNames: ['status'] as const, registers });
  const snapshotProfiles = new Gauge({ name: 'segflow_profile_snapshot_profiles', help: 'Profiles the profile API serves (from the last run).', registers });
  const snapshotBuiltAt = new Gauge({ name: 'segflow_profile_snapshot_built_timestamp_seconds', help: 'When the profile API\'s snapshot was last built (epoch seconds).', registers });
  return {
    registry,
    eventsAccepted: (sourceId, events) => accepted.inc({ source: sourceId }, events),
    scheduledRun(outcome) {
      runs.inc({ job: outcome.jobId, result: outcome.result });
      if (outcome.result === 'skipped_overlap' || outcome.result === 'skipped_locked') return;
      duration.observe({ job: outcome.jobId }, outcome.durationMs / 1000);
      lastRun.set({ job: outcome.jobId }, sources.now() / 1000);
      if (outcome.result === 'succeeded') lastSuccess.set({ job: outcome.jobId }, sources.now() / 1000);
    },
    profileRequest: (status) => profileRequests.inc({ status: String(status) }),
    snapshotBuilt(profiles, at) {
      snapshotProfiles.set(profiles);
      snapshotBuiltAt.set(at / 1000);
    },
  };
}
