import type { z } from 'zod';
import type { Mapping } from '../core/config/mapping-schema.js';
import type { IngestSourceEntry } from '../core/ingest/ingest-runner.js';
import type { Source } from '../core/ingest/source.js';
import { CsvOrdersSourceSchema, createCsvOrdersSource } from './sources/file/index.js';
import { SegmentFilesSourceSchema, createSegmentFilesSource } from './sources/segment/index.js';
import { SyntheticSourceSchema, createSyntheticSource } from './sources/synthetic/index.js';

/**
 * The one place that knows every connector. The CLI asks it for the schemas
 * (to build the mapping schema) and for live sources (to run). Adding a
 * connector touches this file and its own folder, no core file.
 */
interface SourceRegistration {
  schema: z.ZodObject;
  create(mapping: Mapping): Source<unknown>;
}

const SOURCES: Record<string, SourceRegistration> = {
  'segment-files': {
    schema: SegmentFilesSourceSchema,
    create: (mapping) => createSegmentFilesSource({ maxEventBytes: mapping.ingest.max_event_bytes }) as Source<unknown>,
  },
  'csv-orders': {
    schema: CsvOrdersSourceSchema,
    create: () => createCsvOrdersSource() as Source<unknown>,
  },
  synthetic: {
    schema: SyntheticSourceSchema,
    create: () => createSyntheticSource() as Source<unknown>,
  },
};

export function sourceSchemas(): [z.ZodObject, ...z.ZodObject[]] {
  const schemas = Object.values(SOURCES).map((registration) => registration.schema);
  return schemas as [z.ZodObject, ...z.ZodObject[]];
}

export function wireSources(mapping: Mapping): IngestSourceEntry[] {
  return mapping.sources.map((config) => {
    const registration = SOURCES[config.type];
    if (!registration) throw new Error(`unknown source type "${config.type}"`);
    return { id: config.id, source: registration.create(mapping), config };
  });
}
