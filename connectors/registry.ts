import type { z } from 'zod';
import type { Mapping } from '../core/config/mapping-schema.js';
import type { IngestSourceEntry } from '../core/ingest/ingest-runner.js';
import type { Source } from '../core/ingest/source.js';
import type { Sink } from '../core/sync/sink.js';
import { CsvOrdersSourceSchema, createCsvOrdersSource } from './sources/file/index.js';
import { SegmentFilesSourceSchema, createSegmentFilesSource } from './sources/segment/index.js';
import { SyntheticSourceSchema, createSyntheticSource } from './sources/synthetic/index.js';
import { SegmentApiSourceSchema, createSegmentApiSource } from './sources/segment-api/index.js';
import { Ga4BigQuerySourceSchema, Ga4FilesSourceSchema, createGa4BigQuerySource, createGa4FilesSource } from './sources/firebase/index.js';
import { durationMs } from '../core/config/durations.js';
import { MixpanelSourceSchema, cohortJournalId, createMixpanelSource } from './sources/mixpanel/index.js';
import { createHubSpotSink, HubSpotSinkSchema } from './sinks/hubspot/index.js';
import { createMarketoSink, MarketoSinkSchema } from './sinks/marketo/index.js';
import { createSalesforceSink, SalesforceSinkSchema } from './sinks/salesforce/index.js';
import { createSegmentSink, SegmentSinkSchema } from './sinks/segment/index.js';
import { createWebhookSink, WebhookSinkSchema } from './sinks/webhook/index.js';

/**
 * The one place that knows every production connector: its mapping schema
 * and how to build it from a (resolved) config. No simulators here: the
 * sandbox wiring (connectors/sandbox.ts) and test harnesses live apart, so a
 * production bundle (the Segment destination function) carries none of them.
 * Adding a connector touches this file and its own folder, no core file.
 */
interface SourceRegistration {
  schema: z.ZodObject;
  create(mapping: Mapping): Source<unknown>;
}

export interface SinkRegistration {
  schema: z.ZodObject;
  create(config: Record<string, unknown>): Sink;
}

const SOURCES: Record<string, SourceRegistration> = {
  'segment-files': {
    schema: SegmentFilesSourceSchema,
    create: (mapping) => createSegmentFilesSource({ maxEventBytes: mapping.ingest.max_event_bytes }) as Source<unknown>,
  },
  'csv-orders': { schema: CsvOrdersSourceSchema, create: () => createCsvOrdersSource() as Source<unknown> },
  synthetic: { schema: SyntheticSourceSchema, create: () => createSyntheticSource() as Source<unknown> },
  'segment-api': { schema: SegmentApiSourceSchema, create: () => createSegmentApiSource() as Source<unknown> },
  'ga4-bigquery': {
    schema: Ga4BigQuerySourceSchema,
    create: (mapping) => createGa4BigQuerySource({ maxFutureMs: durationMs(mapping.ingest.max_future) }) as Source<unknown>,
  },
  mixpanel: { schema: MixpanelSourceSchema, create: () => createMixpanelSource() as Source<unknown> },
  'ga4-files': { schema: Ga4FilesSourceSchema, create: (mapping) => createGa4FilesSource({ maxFutureMs: durationMs(mapping.ingest.max_future) }) as Source<unknown> },
};

export const SINKS: Readonly<Record<string, SinkRegistration>> = {
  hubspot: { schema: HubSpotSinkSchema, create: (config) => createHubSpotSink(config) },
  marketo: { schema: MarketoSinkSchema, create: (config) => createMarketoSink(config) },
  segment: { schema: SegmentSinkSchema, create: (config) => createSegmentSink(config) },
  salesforce: { schema: SalesforceSinkSchema, create: (config) => createSalesforceSink(config) },
  webhook: { schema: WebhookSinkSchema, create: (config) => createWebhookSink(config) },
};

export function sourceSchemas(): [z.ZodObject, ...z.ZodObject[]] {
  return Object.values(SOURCES).map((registration) => registration.schema) as [z.ZodObject, ...z.ZodObject[]];
}

export function sinkSchemas(): z.ZodObject[] {
  return Object.values(SINKS).map((registration) => registration.schema);
}

export function sinkTypes(): string[] {
  return Object.keys(SINKS);
}

export function wireSources(mapping: Mapping): IngestSourceEntry[] {
  return mapping.sources.flatMap((config) => {
    const registration = SOURCES[config.type];
    if (!registration) throw new Error(`unknown source type "${config.type}"`);
    const entries: IngestSourceEntry[] = [{ id: config.id, source: registration.create(mapping), config }];
    // A Mixpanel cohort webhook journals membership signals (segflow serve); they load like any journal.
    if (config.type === 'mixpanel' && config.cohort_webhook !== undefined) {
      const id = cohortJournalId(config.id);
      entries.push({ id, source: createSegmentApiSource() as Source<unknown>, config: { id, type: 'segment-api', write_keys: [] } });
    }
    return entries;
  });
}
