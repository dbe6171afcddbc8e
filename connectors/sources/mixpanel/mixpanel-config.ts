import { z } from 'zod';
import { resolveSecret, SECRET_REFERENCE } from '../../../core/config/secrets.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { isCalendarDay } from './export-days.js';

export const MIXPANEL_SOURCE = 'source:mixpanel';

/** Data-residency hosts of the Raw Export API (vendor-facts.md §4). */
export const EXPORT_HOSTS = {
  us: 'https://data.mixpanel.com',
  eu: 'https://data-eu.mixpanel.com',
  in: 'https://data-in.mixpanel.com',
} as const;

export type MixpanelRegion = keyof typeof EXPORT_HOSTS;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The `type: mixpanel` source section. No transforms, so the mapping's JSON
 * Schema can be published; defaults are applied by `resolveMixpanelSettings`.
 */
export const MixpanelSourceSchema = z
  .strictObject({
    type: z.literal('mixpanel'),
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' }),
    project_id: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/, { message: 'expected the numeric project id' })])
      .describe('The Mixpanel project id (Project Settings → Overview). Required by the export API with a service account.'),
    service_account: z
      .strictObject({
        username: z
          .string()
          .min(1)
          .describe('Service account username (Organization Settings → Service Accounts), literally or as ${env:NAME}.'),
        secret: z
          .string()
          .regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: the service account secret comes from the environment' })
          .describe('Service account secret, e.g. ${env:MIXPANEL_SERVICE_ACCOUNT_SECRET}. The account needs at least the Consumer role on the project.'),
      })
      .describe('HTTP Basic credentials of a Mixpanel service account.'),
    region: z
      .enum(['us', 'eu', 'in'])
      .optional()
      .describe('Data residency of the project: us → data.mixpanel.com, eu → data-eu.mixpanel.com, in → data-in.mixpanel.com. @default us'),
    from_date: z
      .string()
      .regex(DAY, { message: 'expected a date like 2026-01-31' })
      .describe('First day (UTC, yyyy-mm-dd) to export on the first run; later runs resume from their cursor.'),
    events: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Only these event names (the export API `event` filter). @default every event'),
    lookback_days: z
      .number()
      .int()
      .min(0)
      .max(30)
      .optional()
      .describe('Days before today read again on every run, because Mixpanel accepts late events (mobile offline batches, imports); repeats are deduplicated. Today is always read again. @default 2'),
    base_url: z
      .string()
      .url()
      .optional()
      .describe('Export API origin, overriding region (tests, proxies). @default the region host'),
    cohort_webhook: z
      .strictObject({
        username: z.string().min(1).describe('Basic-auth username set on the Mixpanel custom webhook, literally or as ${env:NAME}.'),
        password: z
          .string()
          .regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: the webhook password comes from the environment' })
          .describe('Basic-auth password set on the Mixpanel custom webhook, as ${env:NAME}.'),
      })
      .optional()
      .describe('Receive Mixpanel cohort syncs at /webhooks/mixpanel/<source id> in `segflow serve`: cohort members become Audience Entered / Exited signals (audience_key mixpanel:<project>:<cohort>) for a `model: audiences` segmentation.'),
  })
  .describe('Mixpanel: events from the Raw Export API, one UTC day per request.');

export type MixpanelSourceConfig = z.infer<typeof MixpanelSourceSchema>;

/** The config with defaults applied and secrets resolved, as the source uses it. */
export interface MixpanelSettings {
  sourceId: string;
  projectId: string;
  username: string;
  secret: string;
  /** Where `/api/2.0/export` lives, without a trailing slash, e.g. https://data-eu.mixpanel.com. */
  baseUrl: string;
  fromDate: string;
  events: readonly string[] | null;
  lookbackDays: number;
}

/**
 * Validates the section (every problem at once) and resolves `${env:NAME}`
 * references. Sources get no resolved config from the wiring (only sinks
 * do), so the environment is passed in by whoever built the source.
 */
export function resolveMixpanelSettings(raw: unknown, env: NodeJS.ProcessEnv): MixpanelSettings {
  const parsed = MixpanelSourceSchema.safeParse(raw);
  const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : '?';
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw configError(`source "${id}": the mixpanel section is invalid: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  if (!isCalendarDay(config.from_date)) throw configError(`source "${config.id}": from_date ${config.from_date} is not a calendar date`);
  const where = `sources.${config.id}.service_account`;
  let username: string;
  let secret: string;
  try {
    username = resolveSecret(config.service_account.username, env, `${where}.username`);
    secret = resolveSecret(config.service_account.secret, env, `${where}.secret`);
  } catch (error) {
    throw configError((error as Error).message);
  }
  return {
    sourceId: config.id,
    projectId: String(config.project_id),
    username,
    secret,
    baseUrl: (config.base_url ?? EXPORT_HOSTS[config.region ?? 'us']).replace(/\/+$/, ''),
    fromDate: config.from_date,
    events: config.events ?? null,
    lookbackDays: config.lookback_days ?? 2,
  };
}

function configError(message: string): ConnectorError {
  return new ConnectorError('config', 'mixpanel.config_invalid', message, { connector: MIXPANEL_SOURCE });
}
