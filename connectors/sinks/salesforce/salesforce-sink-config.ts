import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';

export const SALESFORCE_CONNECTOR = 'sink:salesforce';

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'expected a Salesforce API name like Segflow_Id__c' });

/** The `salesforce` sink section of a mapping. Credentials are optional here: `createSalesforceSink` names what is missing. */
export const SalesforceSinkSchema = z
  .strictObject({
    type: z.literal('salesforce'),
    login_url: z
      .url()
      .optional()
      .describe('Where tokens are minted: your My Domain URL (https://acme.my.salesforce.com) for client credentials; https://login.salesforce.com or https://test.salesforce.com for JWT bearer. @default https://login.salesforce.com'),
    instance_url: z.url().optional().describe('REST API host. @default the instance_url the token endpoint answers with'),
    client_id: z.string().optional().describe('Consumer key of the connected app / external client app.'),
    client_secret: z.string().optional().describe('Consumer secret (client credentials flow).'),
    username: z.string().optional().describe('JWT bearer flow: the user the integration runs as (the sub claim).'),
    private_key: z.string().optional().describe('JWT bearer flow: PEM RSA private key whose certificate is uploaded to the connected app.'),
    jwt_audience: z.url().optional().describe('JWT bearer flow: the aud claim. @default https://test.salesforce.com when login_url is test.salesforce.com, else https://login.salesforce.com'),
    object: z.enum(['Contact', 'Lead']).optional().describe('The sObject that holds one record per profile. @default Contact'),
    external_id_field: apiName.optional().describe('A Text field marked External ID that holds segflow\'s profile key. @default Segflow_Id__c'),
    api_version: z
      .string()
      .regex(/^\d+\.\d$/, { message: 'expected a version like 62.0' })
      .optional()
      .describe('REST API version. @default 62.0'),
    bulk_threshold: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .optional()
      .describe('Batches of at least this many upserts go through Bulk API 2.0; 0 or null turns Bulk off. @default 2000'),
    bulk_poll_interval_ms: z.number().int().positive().optional().describe('Wait between Bulk job status polls. @default 1000'),
    bulk_poll_timeout_ms: z.number().int().positive().optional().describe('Give up waiting for a Bulk job after this long (the batch is retried). @default 600000'),
    action_id_field: apiName
      .optional()
      .describe('Platform Event field (Text, 22+ chars) that carries segflow\'s action id on every published event. Salesforce has no idempotency key for a publish, so a retry after a lost answer can publish twice: subscribers (a Flow) dedupe on this field. @default Segflow_Action_Id__c'),
    campaign_member_status: z.string().optional().describe('Status of new campaign members. @default the campaign\'s default status'),
    limits: z
      .strictObject({
        requests: z.number().int().positive().optional().describe('Calls per interval_ms segflow may make (Salesforce has only a daily allocation). @default none'),
        interval_ms: z.number().int().positive().optional(),
        concurrency: z.number().int().positive().optional().describe('Calls in flight at once. @default 10'),
      })
      .optional(),
  })
  .describe('Salesforce Contacts or Leads, with campaigns for segment membership.');

export type SalesforceSinkConfig = z.infer<typeof SalesforceSinkSchema>;

/** The config with defaults applied and credentials checked. */
export interface SalesforceSinkSettings {
  loginUrl: string;
  instanceUrl?: string;
  clientId: string;
  clientSecret?: string;
  jwt?: { username: string; privateKey: string; audience: string };
  object: 'Contact' | 'Lead';
  externalIdField: string;
  apiVersion: string;
  /** `null`: Bulk API off. */
  bulkThreshold: number | null;
  bulkPollIntervalMs: number;
  bulkPollTimeoutMs: number;
  campaignMemberStatus?: string;
  /** The Platform Event field that carries the action id (the subscriber's dedupe key). */
  actionIdField: string;
  rateLimit: { requests: number; intervalMs: number } | null;
  concurrency: number;
}

/** Reads the fields this sink owns (the engine adds common ones) and reports every problem at once. */
export function resolveSalesforceSettings(config: Record<string, unknown>): SalesforceSinkSettings {
  const parsed = z.object(SalesforceSinkSchema.shape).safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConnectorError('config', 'salesforce.config_invalid', `Salesforce sink config is invalid: ${problems.join('; ')}`, { connector: SALESFORCE_CONNECTOR });
  }
  const value = parsed.data;
  const missing: string[] = [];
  if (!value.client_id) missing.push('client_id');
  if (value.private_key && !value.username) missing.push('username (the JWT bearer flow needs the user to run as)');
  if (!value.private_key && !value.client_secret) missing.push('client_secret (or private_key + username for the JWT bearer flow)');
  if (missing.length > 0) {
    throw new ConnectorError('config', 'salesforce.credentials_missing', `Salesforce sink: missing ${missing.join(', ')}. Set them in the sink section, e.g. client_id: \${env:SF_CLIENT_ID}.`, { connector: SALESFORCE_CONNECTOR });
  }
  const loginUrl = (value.login_url ?? 'https://login.salesforce.com').replace(/\/+$/, '');
  const rateLimit = value.limits?.requests ? { requests: value.limits.requests, intervalMs: value.limits.interval_ms ?? 1_000 } : null;
  return {
    loginUrl,
    ...(value.instance_url ? { instanceUrl: value.instance_url.replace(/\/+$/, '') } : {}),
    clientId: value.client_id ?? '',
    ...(value.client_secret ? { clientSecret: value.client_secret } : {}),
    ...(value.private_key && value.username
      ? { jwt: { username: value.username, privateKey: value.private_key, audience: value.jwt_audience ?? (/test\.salesforce\.com/.test(loginUrl) ? 'https://test.salesforce.com' : 'https://login.salesforce.com') } }
      : {}),
    object: value.object ?? 'Contact',
    externalIdField: value.external_id_field ?? 'Segflow_Id__c',
    apiVersion: value.api_version ?? '62.0',
    bulkThreshold: value.bulk_threshold === undefined ? 2_000 : value.bulk_threshold === 0 ? null : value.bulk_threshold,
    bulkPollIntervalMs: value.bulk_poll_interval_ms ?? 1_000,
    bulkPollTimeoutMs: value.bulk_poll_timeout_ms ?? 600_000,
    ...(value.campaign_member_status ? { campaignMemberStatus: value.campaign_member_status } : {}),
    actionIdField: value.action_id_field ?? 'Segflow_Action_Id__c',
    rateLimit,
    concurrency: value.limits?.concurrency ?? 10,
  };
}
