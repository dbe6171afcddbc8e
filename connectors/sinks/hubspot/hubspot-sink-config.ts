import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';

export const HUBSPOT_CONNECTOR = 'sink:hubspot';

/** The `type: hubspot` sink section. Credentials are optional here: the engine resolves `${env:…}` and a sandbox run fills them in. */
export const HubSpotSinkSchema = z
  .strictObject({
    type: z.literal('hubspot'),
    access_token: z
      .string()
      .optional()
      .describe('A private-app access token (pat-…), or an OAuth access token, e.g. ${env:HUBSPOT_ACCESS_TOKEN}. Private-app tokens cannot be refreshed.'),
    refresh_token: z.string().optional().describe('OAuth refresh token; with client_id and client_secret, segflow refreshes an expired access token itself.'),
    client_id: z.string().optional().describe('OAuth app client id (needed with refresh_token).'),
    client_secret: z.string().optional().describe('OAuth app client secret (needed with refresh_token).'),
    base_url: z.string().url().optional().describe('API base URL. @default https://api.hubapi.com'),
    list_batch_size: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Record ids per list membership call (HubSpot documents no cap). @default 1000'),
    limits: z
      .strictObject({
        requests: z.number().int().positive().optional().describe('Calls per interval for this app. @default 100 (Free/Starter; Professional/Enterprise private apps get 190)'),
        interval_ms: z.number().int().positive().optional().describe('@default 10000'),
        concurrency: z.number().int().positive().optional().describe('Calls in flight at once. @default 10'),
      })
      .optional(),
  })
  .describe('HubSpot: contacts upserted by email, segments as MANUAL contact lists.');

export type HubSpotSinkConfig = z.infer<typeof HubSpotSinkSchema>;

export interface OAuthRefreshCredentials {
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

/** The config with defaults applied, as the sink uses it. */
export interface ResolvedHubSpotConfig {
  baseUrl: string;
  accessToken?: string;
  /** Present when segflow may refresh the access token (an OAuth app). */
  refresh?: OAuthRefreshCredentials;
  listBatchSize: number;
  limits: { requests: number; intervalMs: number; concurrency: number };
}

/** Validates the sink section (engine-owned keys are ignored) and applies defaults; every problem is reported at once. */
export function resolveHubSpotConfig(raw: unknown): ResolvedHubSpotConfig {
  const parsed = HubSpotSinkSchema.loose().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConnectorError('config', 'hubspot.config_invalid', `HubSpot sink configuration is invalid: ${problems.join('; ')}.`, { connector: HUBSPOT_CONNECTOR });
  }
  const config = parsed.data;
  const oauthFields = { refresh_token: config.refresh_token, client_id: config.client_id, client_secret: config.client_secret };
  const oauthGiven = Object.values(oauthFields).some((value) => value);
  const oauthMissing = Object.entries(oauthFields).filter(([, value]) => !value).map(([name]) => name);
  if (!config.access_token && !oauthGiven) {
    throw new ConnectorError(
      'config',
      'hubspot.credentials_missing',
      'HubSpot sink needs access_token (a private-app token, e.g. ${env:HUBSPOT_ACCESS_TOKEN}), or refresh_token with client_id and client_secret (an OAuth app).',
      { connector: HUBSPOT_CONNECTOR },
    );
  }
  if (oauthGiven && oauthMissing.length > 0) {
    throw new ConnectorError('config', 'hubspot.credentials_missing', `HubSpot sink has OAuth settings but misses ${oauthMissing.join(' and ')}; an OAuth refresh needs refresh_token, client_id and client_secret.`, {
      connector: HUBSPOT_CONNECTOR,
    });
  }
  return {
    baseUrl: (config.base_url ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
    ...(config.access_token ? { accessToken: config.access_token } : {}),
    ...(oauthGiven ? { refresh: { refreshToken: config.refresh_token as string, clientId: config.client_id as string, clientSecret: config.client_secret as string } } : {}),
    listBatchSize: config.list_batch_size ?? 1000,
    limits: {
      requests: config.limits?.requests ?? 100,
      intervalMs: config.limits?.interval_ms ?? 10_000,
      concurrency: config.limits?.concurrency ?? 10,
    },
  };
}
