import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';

/** The `type: marketo` sink section. Credentials are optional here: the engine resolves `${env:…}` and a sandbox run fills them in. */
export const MarketoSinkSchema = z
  .strictObject({
    type: z.literal('marketo'),
    base_url: z
      .string()
      .url()
      .optional()
      .describe('The REST endpoint from Admin > Web Services, e.g. https://123-ABC-456.mktorest.com (a trailing /rest is accepted). Required unless sandbox: true.'),
    identity_url: z.string().url().optional().describe('The Identity endpoint. @default <base_url>/identity'),
    client_id: z.string().optional().describe('Client id of the LaunchPoint custom service, e.g. ${env:MARKETO_CLIENT_ID}.'),
    client_secret: z.string().optional().describe('Client secret of the LaunchPoint custom service, e.g. ${env:MARKETO_CLIENT_SECRET}.'),
    lookup_field: z.string().min(1).optional().describe('The lead field (REST API name) matched against the profile key. @default email'),
    partition: z.string().min(1).optional().describe('Lead partition new leads go to (partitionName). @default the API user\'s default partition'),
    list_folder_id: z.number().int().positive().optional().describe('Folder id where segflow creates its static lists (required when a list must be created).'),
    create_missing_fields: z
      .boolean()
      .optional()
      .describe('Create missing custom lead fields through the API (needs the "Read-Write Schema Custom Field" permission); otherwise a missing field stops the sync. @default false'),
    limits: z
      .strictObject({
        requests: z.number().int().positive().optional().describe('Calls per interval. @default 100 (Adobe advises third-party tools to stay at 50)'),
        interval_ms: z.number().int().positive().optional().describe('@default 20000'),
        concurrency: z.number().int().positive().optional().describe('Calls in flight at once. @default 10'),
      })
      .optional(),
  })
  .describe('Marketo Engage: leads by email, segments as static lists.');

export type MarketoSinkConfig = z.infer<typeof MarketoSinkSchema>;

/** The config with defaults applied, as the sink uses it. */
export interface ResolvedMarketoConfig {
  baseUrl: string;
  identityUrl: string;
  clientId: string;
  clientSecret: string;
  lookupField: string;
  partition?: string;
  listFolderId?: number;
  createMissingFields: boolean;
  limits: { requests: number; intervalMs: number; concurrency: number };
}

/** Validates the sink section (engine-owned keys are ignored) and applies defaults; every problem is reported at once. */
export function resolveMarketoConfig(raw: unknown): ResolvedMarketoConfig {
  const parsed = MarketoSinkSchema.loose().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConnectorError('config', 'marketo.config_invalid', `Marketo sink configuration is invalid: ${problems.join('; ')}.`, { connector: 'sink:marketo' });
  }
  const config = parsed.data;
  const missing = (['client_id', 'client_secret'] as const).filter((name) => !config[name]);
  if (missing.length > 0) {
    throw new ConnectorError('config', 'marketo.credentials_missing', `Marketo sink needs ${missing.join(' and ')} (the LaunchPoint custom service's credentials); set them in the sink section, e.g. \${env:MARKETO_CLIENT_ID}.`, {
      connector: 'sink:marketo',
    });
  }
  if (!config.base_url) {
    throw new ConnectorError('config', 'marketo.base_url_missing', 'Marketo sink needs base_url (Admin > Web Services > REST API endpoint), or sandbox: true to rehearse against the local simulator.', { connector: 'sink:marketo' });
  }
  const baseUrl = config.base_url.replace(/\/+$/, '').replace(/\/rest$/, '');
  return {
    baseUrl,
    identityUrl: (config.identity_url ?? `${baseUrl}/identity`).replace(/\/+$/, ''),
    clientId: config.client_id as string,
    clientSecret: config.client_secret as string,
    lookupField: config.lookup_field ?? 'email',
    partition: config.partition,
    listFolderId: config.list_folder_id,
    createMissingFields: config.create_missing_fields ?? false,
    limits: {
      requests: config.limits?.requests ?? 100,
      intervalMs: config.limits?.interval_ms ?? 20_000,
      concurrency: config.limits?.concurrency ?? 10,
    },
  };
}
