import { z } from 'zod';
import { SECRET_REFERENCE } from '../../../core/config/secrets.js';

const sourceId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' })
  .describe('Source id: names the stored cursor, so keep it stable once events have been imported.');

/**
 * GA4's BigQuery export (daily `events_YYYYMMDD` tables, optionally the
 * streaming `events_intraday_YYYYMMDD`). No transforms: the schema is
 * published with `z.toJSONSchema`; defaults are applied by resolveGa4BigQuerySettings.
 */
export const Ga4BigQuerySourceSchema = z
  .strictObject({
    type: z.literal('ga4-bigquery').describe('GA4 / Firebase Analytics events from the BigQuery export.'),
    id: sourceId,
    project: z
      .string()
      .regex(/^[a-z][a-z0-9:.-]*[a-z0-9]$/, 'expected a Google Cloud project id such as "my-shop-analytics"')
      .describe('Google Cloud project that holds the export dataset (and is billed for the reads).'),
    dataset: z
      .string()
      .regex(/^analytics_\d+$/, 'expected the export dataset, "analytics_<GA4 property id>"')
      .describe('The export dataset: analytics_<GA4 property id>, e.g. analytics_153293282.'),
    credentials: z
      .string()
      .regex(SECRET_REFERENCE, 'expected a secret reference such as "${env:GA4_CREDENTIALS}" (never the key itself)')
      .optional()
      .describe('${env:NAME} naming an environment variable that holds a service-account key: its JSON text, or the path of its key file. Without it, Application Default Credentials are used. The account needs BigQuery Data Viewer on the dataset.'),
    start_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2024-01-31"')
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'not a calendar date')
      .describe('First day (the tables\' YYYYMMDD, property time zone) to import; earlier tables are ignored.'),
    late_days: z
      .number()
      .int()
      .min(0)
      .max(30)
      .optional()
      .describe('Days already read that are read again on each run, counted back from today (UTC): GA4 adds late events to a daily table for up to 72 hours. Re-read events are deduplicated by messageId.')
      .meta({ default: 3 }),
    intraday: z
      .boolean()
      .optional()
      .describe('Also read events_intraday_YYYYMMDD tables of days that have no daily table yet. They are read again on every run until the daily table replaces them (same messageIds, so nothing is counted twice).')
      .meta({ default: false }),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe('Rows per tabledata.list page (BigQuery also caps a page at about 10 MB).')
      .meta({ default: 5_000 }),
    checkpoint_every: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Rows between progress checkpoints within a table. A crash re-reads the current day from its start (deduplicated).')
      .meta({ default: 50_000 }),
    api_endpoint: z
      .url()
      .optional()
      .describe('Another BigQuery API root (tests, a proxy, an emulator), e.g. http://127.0.0.1:9050. @default https://bigquery.googleapis.com'),
  })
  .describe('GA4 BigQuery export reader: one event per export row, daily tables in date order.');

export type Ga4BigQuerySourceConfig = z.infer<typeof Ga4BigQuerySourceSchema>;

/** The config with every default applied: what the reader works from. */
export interface Ga4BigQuerySettings {
  sourceId: string;
  project: string;
  dataset: string;
  credentials: string | null;
  /** YYYYMMDD. */
  startDay: string;
  /** @default 3 */
  lateDays: number;
  /** @default false */
  intraday: boolean;
  /** @default 5000 */
  pageSize: number;
  /** @default 50000 */
  checkpointEvery: number;
  apiEndpoint: string | null;
}

export const GA4_BIGQUERY_DEFAULTS = { lateDays: 3, intraday: false, pageSize: 5_000, checkpointEvery: 50_000 } as const;

export function resolveGa4BigQuerySettings(config: Ga4BigQuerySourceConfig): Ga4BigQuerySettings {
  return {
    sourceId: config.id,
    project: config.project,
    dataset: config.dataset,
    credentials: config.credentials ?? null,
    startDay: config.start_date.replaceAll('-', ''),
    lateDays: config.late_days ?? GA4_BIGQUERY_DEFAULTS.lateDays,
    intraday: config.intraday ?? GA4_BIGQUERY_DEFAULTS.intraday,
    pageSize: config.page_size ?? GA4_BIGQUERY_DEFAULTS.pageSize,
    checkpointEvery: config.checkpoint_every ?? GA4_BIGQUERY_DEFAULTS.checkpointEvery,
    apiEndpoint: config.api_endpoint ?? null,
  };
}
