import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';

/**
 * The `type: segment` sink section: segflow writes segment membership and
 * scores back to Segment as identify traits (vendor-facts.md §6.3–6.4).
 * The write key is optional in the schema: the engine resolves `${env:…}`
 * and a sandbox run fills it in; creating the sink requires it.
 */
export const SegmentSinkSchema = z
  .strictObject({
    type: z.literal('segment'),
    write_key: z.string().optional().describe('Write Key of the Segment source segflow writes to (Source > Settings > API Keys), e.g. ${env:SEGMENT_WRITE_KEY}.'),
    host: z
      .url()
      .optional()
      .describe('Tracking API host. @default https://api.segment.io (EU workspaces: https://events.eu1.segmentapis.com)'),
    limits: z
      .strictObject({
        requests: z.number().int().positive().optional().describe('Requests per interval for the workspace. @default 1000 (Segment asks to stay under 1,000 requests/s)'),
        interval_ms: z.number().int().positive().optional().describe('@default 1000'),
        concurrency: z.number().int().positive().optional().describe('Requests in flight at once. @default 4'),
      })
      .optional(),
  })
  .describe('Segment: segment membership and scores written back as identify traits.');

export type SegmentSinkConfig = z.infer<typeof SegmentSinkSchema>;

export const DEFAULT_SEGMENT_HOST = 'https://api.segment.io';
/** The key the simulator accepts; a sandbox run never needs a real one. */
export const SANDBOX_WRITE_KEY = 'segflow-sandbox-write-key';

/** The config with defaults applied, as the sink uses it. */
export interface ResolvedSegmentConfig {
  writeKey: string;
  host: string;
  limits: { requests: number; intervalMs: number; concurrency: number };
}

/** Validates the sink section (engine-owned keys are ignored) and applies defaults; every problem is reported at once. */
export function resolveSegmentConfig(raw: unknown): ResolvedSegmentConfig {
  const parsed = SegmentSinkSchema.loose().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConnectorError('config', 'segment.config_invalid', `Segment sink configuration is invalid: ${problems.join('; ')}.`, { connector: 'sink:segment' });
  }
  const config = parsed.data;
  if (!config.write_key) {
    throw new ConnectorError('config', 'segment.write_key_missing', 'Segment sink needs write_key (the Write Key of the source segflow writes to); set it in the sink section, e.g. ${env:SEGMENT_WRITE_KEY}.', {
      connector: 'sink:segment',
    });
  }
  return {
    writeKey: config.write_key,
    host: (config.host ?? DEFAULT_SEGMENT_HOST).replace(/\/+$/, ''),
    limits: {
      requests: config.limits?.requests ?? 1_000,
      intervalMs: config.limits?.interval_ms ?? 1_000,
      concurrency: config.limits?.concurrency ?? 4,
    },
  };
}

/** The vendor fields that point the sink at a running simulator (`segflow sandbox`, tests). */
export function segmentSandboxConfig(url: string): { host: string; write_key: string } {
  return { host: url, write_key: SANDBOX_WRITE_KEY };
}
