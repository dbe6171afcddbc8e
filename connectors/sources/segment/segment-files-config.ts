import { z } from 'zod';

/** Segment-spec events in JSONL files: Segment's storage exports, or any CDP dump. */
export const SegmentFilesSourceSchema = z
  .strictObject({
    type: z.literal('segment-files'),
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' }),
    path: z
      .string()
      .min(1)
      .describe('A .jsonl/.json/.ndjson file (optionally .gz), a directory searched recursively (Segment storage export layout), or a glob like exports/*.jsonl.gz. Relative to the mapping file. A .json file may also be one JSON document: an array of messages, one message, or {"batch": [...]}. A .gz file that does not decompress is quarantined (file and reason) and the other files are read.'),
    checkpoint_every: z.number().int().positive().optional().describe('Lines between checkpoints. @default 200000'),
    bulk_load: z
      .boolean()
      .optional()
      .describe('Let DuckDB read whole clean files in one transaction (several times faster); files with any bad line are read line by line. @default true'),
  })
  .describe('Segment-spec JSONL files.');

export type SegmentFilesSourceConfig = z.infer<typeof SegmentFilesSourceSchema>;
