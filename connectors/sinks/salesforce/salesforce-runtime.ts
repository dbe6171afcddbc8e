import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkContext } from '../../../core/sync/sink.js';
import { errorFromRecord } from './salesforce-errors.js';
import type { SalesforceSession } from './salesforce-session.js';
import { SALESFORCE_CONNECTOR, type SalesforceSinkSettings } from './salesforce-sink-config.js';
import type { Connection } from 'jsforce';

/** What every operation of one sink shares. */
export interface SalesforceRuntime {
  settings: SalesforceSinkSettings;
  session: SalesforceSession;
  /** segflow list key → Campaign id, filled by `prepare`. */
  campaigns: Map<string, string>;
  /** Campaign Name → id for `salesforce:campaign-add` targets, filled by the actions' `prepare` (or the first delivery). */
  actionCampaigns: Map<string, string>;
  /** Platform Event API name → its writable fields, as `describe` found them in the actions' `prepare`. */
  platformEvents: Map<string, ReadonlySet<string>>;
}

/** sObject Collections take at most 200 records or ids per call. */
export const COLLECTION_LIMIT = 200;

/** One vendor call: through the account's queue (pace, concurrency), with Salesforce errors mapped. */
export function vendorCall<T>(runtime: SalesforceRuntime, context: SinkContext, label: string, action: string, invoke: (connection: Connection) => Promise<T>): Promise<T> {
  return context.request(label, () => runtime.session.call(action, invoke));
}

const QueryAnswerSchema = z.object({ records: z.array(z.record(z.string(), z.unknown())) }).loose();

/** Runs one SOQL query (every query here selects at most a few hundred rows: one page). */
export async function queryRows(runtime: SalesforceRuntime, context: SinkContext, label: string, soql: string): Promise<Array<Record<string, unknown>>> {
  const answer = await vendorCall(runtime, context, label, 'query', (connection) => connection.query(soql, { autoFetch: true, maxFetch: 10_000 }).then((answer) => answer));
  return parseVendor(QueryAnswerSchema, answer, 'query').records;
}

const SaveResultSchema = z
  .object({
    id: z.string().nullish(),
    success: z.boolean(),
    created: z.boolean().optional(),
    errors: z.array(z.object({ statusCode: z.string().optional(), errorCode: z.string().optional(), message: z.string().optional(), fields: z.array(z.string()).optional() }).loose()).optional(),
  })
  .loose();
export type SaveResult = z.infer<typeof SaveResultSchema>;

/** The per-record answers of one collections call: exactly one per record sent, or the call is unusable. */
export function parseSaveResults(answer: unknown, expected: number, action: string): SaveResult[] {
  const results = parseVendor(z.array(SaveResultSchema), answer, action);
  if (results.length !== expected) {
    throw new ConnectorError('retryable', 'salesforce.unexpected_response', `Salesforce ${action}: ${results.length} results for ${expected} records`, { connector: SALESFORCE_CONNECTOR });
  }
  return results;
}

export function failedResult(result: SaveResult, where: string): ChangeResult {
  return { status: 'failed', error: errorFromRecord(result.errors ?? [], where) };
}

export function recordCode(result: SaveResult): string | undefined {
  const first = result.errors?.[0];
  return first?.statusCode ?? first?.errorCode;
}

/**
 * Runs the calls for one chunk of changes. A whole-call `permanent` error
 * (the vendor will never accept this request) fails just these changes;
 * `config` and `retryable` errors fail the batch (the caller throws).
 */
export async function settleChunk(size: number, run: () => Promise<ChangeResult[]>): Promise<ChangeResult[]> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'permanent') return Array.from({ length: size }, () => ({ status: 'failed', error }) as const);
    throw error;
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function failure(code: `${string}.${string}`, message: string): ChangeResult {
  return { status: 'failed', error: new ConnectorError('permanent', code, message, { connector: SALESFORCE_CONNECTOR }) };
}

function parseVendor<T>(schema: z.ZodType<T>, answer: unknown, action: string): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  throw new ConnectorError('retryable', 'salesforce.unexpected_response', `Salesforce ${action}: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`, { connector: SALESFORCE_CONNECTOR });
}
