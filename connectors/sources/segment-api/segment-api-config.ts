import { z } from 'zod';
import { SECRET_REFERENCE } from '../../../core/config/secrets.js';

const Secret = z.string().regex(SECRET_REFERENCE, { message: 'expected ${env:NAME} or ${file:/path}: keys and secrets come from the environment or a secret file' });

/**
 * Events pushed to `segflow serve`: Segment's HTTP Tracking API (point any
 * Segment library's host at the server) and Segment's Webhooks destination.
 * Accepted events wait in a journal in the state directory until a run (or
 * the server's loader) stores them; `segflow run` without the server loads
 * what the journal holds.
 */
export const SegmentApiSourceSchema = z
  .strictObject({
    type: z.literal('segment-api'),
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' }),
    write_keys: z
      .array(Secret)
      .min(1)
      .describe('Write keys accepted by /v1/* (HTTP Basic "writeKey:" or writeKey in the body), each ${env:NAME} or ${file:/path}. Several keys let web, iOS and server libraries be told apart or rotated.'),
    webhook_secret: Secret.optional().describe('Shared secret of a Segment Webhooks destination pointed at /webhooks/segment/<source id>: X-Signature (HMAC-SHA1) is checked. Without it the webhook endpoint is off.'),
    checkpoint_every: z.number().int().positive().optional().describe('Journal lines between checkpoints when loading (at most 2000); commits follow ingest.batch_events. @default 2000'),
  })
  .describe("Segment's HTTP Tracking API and Webhooks destination, served by `segflow serve`.");

export type SegmentApiSourceConfig = z.infer<typeof SegmentApiSourceSchema>;
