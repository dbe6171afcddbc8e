import { z } from 'zod';

/** GA4 export rows as NDJSON files (`bq extract --destination_format NEWLINE_DELIMITED_JSON`). */
export const Ga4FilesSourceSchema = z
  .strictObject({
    type: z.literal('ga4-files').describe('GA4 BigQuery export rows extracted to newline-delimited JSON files.'),
    id: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' })
      .describe('Source id: names the stored cursor, so keep it stable once events have been imported.'),
    path: z
      .string()
      .min(1)
      .describe('A .json/.jsonl/.ndjson file (optionally .gz), a directory searched recursively, or a glob such as extracts/events_*.json.gz. Relative to the mapping file. Files are read in sorted path order.'),
    checkpoint_every: z.number().int().positive().optional().describe('Lines between checkpoints.').meta({ default: 50_000 }),
    max_row_bytes: z
      .number()
      .int()
      .min(1024)
      .optional()
      .describe('Longest accepted line; GA4 rows with many items are far larger than a Segment event.')
      .meta({ default: 1_048_576 }),
  })
  .describe('GA4 export NDJSON files: one event per line.');

export type Ga4FilesSourceConfig = z.infer<typeof Ga4FilesSourceSchema>;

export const GA4_FILES_DEFAULTS = { checkpointEvery: 50_000, maxRowBytes: 1_048_576 } as const;
