import { purgeExpiredEvents } from '../privacy/retention.js';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping } from '../config/mapping-schema.js';
import { durationMs } from '../config/durations.js';
import { compileFeatureSql } from '../features/feature-sql.js';
import { missingValueSql } from '../features/missing-values.js';
import { scalingSql } from '../features/scaling-sql.js';
import { sqlString } from '../features/sql-quote.js';
import { stitchProfiles, type StitchSummary } from '../identity/stitch-profiles.js';
import { loadMappingSuppressions } from '../privacy/suppressions.js';
import { runIngest, type IngestSourceEntry, type SourceRunCounts } from '../ingest/ingest-runner.js';
import { buildSegments, type SegmentSummary } from '../segments/build-segments.js';
import type { ModelSegmentationSummary } from '../segments/model-segments.js';
import type { EventStore } from '../store/event-store.js';
import type { StateStore } from '../store/state/state-store.js';
import type { SinkSyncSummary } from '../sync/run-sync.js';
import type { AnalysisSummary } from '../analysis/analysis-summary.js';
import { resolveAsOf } from './as-of.js';
import { UserError } from '../errors/user-error.js';

export type Stage = 'ingest' | 'identity' | 'features' | 'segments' | 'sync';

export interface PipelineOptions {
  mapping: Mapping;
  /** The stores, owned by the caller (a workspace). */
  events: EventStore;
  state: StateStore;
  runId: string;
  baseDir: string;
  stateDir: string;
  /** The workspace's environment, for sources' `${env:NAME}` references. */
  env?: NodeJS.ProcessEnv;
  sources: readonly IngestSourceEntry[];
  now: () => number;
  signal: AbortSignal;
  onStage?: (stage: Stage) => void;
  onIngestProgress?: (counts: SourceRunCounts) => void;
}

export interface RunSummary {
  runId: string;
  stateDir: string;
  asOf: string;
  /** Per source, this run: read = accepted + quarantined + duplicates. */
  sources: SourceRunCounts[];
  events: { read: number; accepted: number; quarantined: number; duplicates: number; stored: number; storedTotal: number; suppressed?: number };
  quarantineFile: string | null;
  /** Set when `privacy.retention.events` is: events older than `before` deleted by this run. */
  retention?: { window: string; before: string; purged: number };
  identity: StitchSummary;
  profiles: number;
  features: string[];
  segments: SegmentSummary[];
  /** Model segmentations: k table, segment profiles and names, migration since the last run. */
  models: ModelSegmentationSummary[];
  /** One entry per sink when the mapping has sinks. */
  sync?: SinkSyncSummary[];
  /** Journeys, drift and validation, when the mapping has an `analysis` section. */
  analysis?: AnalysisSummary;
  timingsMs: Record<Stage, number>;
}

/**
 * config → events → store → identity → features → segments → summary, on
 * stores the caller owns. The sync (core/runtime/run-job.ts) follows it.
 */
export async function runPipeline(options: PipelineOptions): Promise<RunSummary> {
  const { mapping, runId, state } = options;
  const store = options.events;
  const timings = { ingest: 0, identity: 0, features: 0, segments: 0 } as Record<Stage, number>;
  const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    options.onStage?.(stage);
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };
  {
    const duck = store.connection;
    const suppressions = await loadMappingSuppressions({ state, baseDir: options.baseDir, env: options.env ?? process.env });
    const sources = await timed('ingest', () => runIngest({
      store, sources: options.sources, runId, baseDir: options.baseDir, stateDir: options.stateDir, ...(options.env ? { env: options.env } : {}), now: options.now, signal: options.signal,
      batchEvents: mapping.ingest.batch_events, maxFutureMs: durationMs(mapping.ingest.max_future), onProgress: options.onIngestProgress,
      suppressions,
    }));
    if (options.signal.aborted) {
      // Committed batches stay; the rest is read again next run.
      throw new UserError(`run interrupted: ${sources.reduce((total, counts) => total + counts.accepted, 0).toLocaleString('en-US')} records ingested by this run are stored; run again to finish (nothing is read twice)`);
    }
    const window = mapping.privacy?.retention?.events;
    const retention = window === undefined ? undefined : { window, ...(await purgeExpiredEvents(duck, options.now() - durationMs(window))) };
    const identity = await timed('identity', () => stitchProfiles(duck, state, mapping.identity.merge_user_ids, runId, options.now));
    const asOf = await resolveAsOf(duck, mapping.features.as_of, options.now());
    const features = await timed('features', async () => {
      const extra = mapping.segments.flatMap((segmentation) =>
        segmentation.model === 'rfm' ? [segmentation.recency, segmentation.frequency, segmentation.monetary] : []);
      const custom = new Set(mapping.features.custom.map((feature) => feature.name));
      const plan = compileFeatureSql({
        features: mapping.features, extra: extra.filter((name) => !custom.has(name)), sessionGapMs: durationMs(mapping.sessions.gap), asOf,
      });
      // With an analysis section, the last run's features stay beside the new ones: drift between runs is
      // measured on them (core/analysis). Without one, the copy would be work on every run for nobody.
      if (mapping.analysis !== undefined) {
        const previous = await duck.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'features'");
        if (Number(previous.getRows()[0]?.[0] ?? 0) > 0) await duck.run('CREATE OR REPLACE TABLE features_previous AS SELECT * FROM features');
      }
      await duck.run(plan.sql);
      for (const statement of missingValueSql(mapping.features.missing)) await duck.run(statement);
      const scaling = mapping.features.scaling;
      if (scaling) {
        for (const statement of scalingSql(scaling.method, scaling.columns)) await duck.run(statement);
        return [...plan.columns, ...scaling.columns.map((name) => `${name}_scaled`)];
      }
      return plan.columns;
    });
    const { segments, models } = await timed('segments', () => buildSegments(duck, state, mapping.segments));

    const totals = await duck.runAndReadAll('SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM features), (SELECT count(*) FROM quarantine WHERE run_id = $1)', [runId]);
    const [storedTotal, profiles, quarantinedRows] = (totals.getRows()[0] ?? [0, 0, 0]).map(Number) as [number, number, number];
    let quarantineFile: string | null = null;
    if (quarantinedRows > 0) {
      quarantineFile = join(options.stateDir, 'quarantine', `${runId}.jsonl`);
      mkdirSync(join(options.stateDir, 'quarantine'), { recursive: true, mode: 0o700 });
      await duck.run(`COPY (SELECT source_id AS source, file, line, reason, sample FROM quarantine WHERE run_id = ${sqlString(runId)} ORDER BY source_id, file, line) TO ${sqlString(quarantineFile)} (FORMAT JSON)`);
      // Samples are redacted, but still about people: owner-only, like the rest of the state directory.
      chmodSync(quarantineFile, 0o600);
    }
    const sum = (key: keyof SourceRunCounts) => sources.reduce((total, counts) => total + Number(counts[key]), 0);
    const suppressed = sources.reduce((total, counts) => total + (counts.suppressed ?? 0), 0);
    const summary: RunSummary = {
      runId,
      stateDir: options.stateDir,
      asOf: new Date(asOf).toISOString(),
      sources,
      events: { read: sum('read'), accepted: sum('accepted'), quarantined: sum('quarantined'), duplicates: sum('duplicates'), stored: sum('events'), storedTotal, ...(suppressed > 0 ? { suppressed } : {}) },
      ...(retention ? { retention } : {}),
      quarantineFile,
      identity,
      profiles,
      features: [...features, ...models.flatMap((model) => (model.scoreColumn ? [model.scoreColumn] : []))],
      segments,
      models,
      timingsMs: timings,
    };
    return summary;
  }
}
