import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkChange } from '../../../core/sync/sink.js';
import { redactEmails } from '../../../core/privacy/redact-text.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * Reads a batch answer (200, or 207 with `errors[]`) back onto the changes
 * that were sent: by `objectWriteTraceId` (we send each input's position),
 * else by the record key HubSpot echoes (`context.ids`, the email or id).
 * Exactly one result per change, in input order.
 */
export interface AnsweredRecord {
  id: string;
  objectWriteTraceId?: string;
  _new?: boolean;
  properties?: Record<string, string | null>;
}

export interface AnsweredError {
  category: string;
  message: string;
  errors?: Array<{ message: string; code?: string }>;
  context?: Record<string, string[]>;
}

export interface SentChange {
  change: SinkChange;
  /** The position sent as `objectWriteTraceId`. */
  traceId: string;
  /** How HubSpot names the record in answers: the lowercased email, or the record id. */
  key: string;
}

export interface OutcomeOptions {
  operation: 'upsert' | 'update';
  /** Key of an answered record: its email (upsert) or its id (update). */
  keyOf(record: AnsweredRecord): string | undefined;
}

export function readOutcomes(sent: readonly SentChange[], results: readonly AnsweredRecord[], errors: readonly AnsweredError[], options: OutcomeOptions): ChangeResult[] {
  const resultByTrace = new Map<string, AnsweredRecord>();
  const resultByKey = new Map<string, AnsweredRecord>();
  for (const result of results) {
    if (result.objectWriteTraceId !== undefined) resultByTrace.set(result.objectWriteTraceId, result);
    const key = options.keyOf(result);
    if (key !== undefined) resultByKey.set(key.toLowerCase(), result);
  }
  const errorByTrace = new Map<string, AnsweredError>();
  const errorByKey = new Map<string, AnsweredError>();
  for (const error of errors) {
    for (const trace of error.context?.['objectWriteTraceId'] ?? []) errorByTrace.set(trace, error);
    for (const id of error.context?.['ids'] ?? []) errorByKey.set(id.trim().toLowerCase(), error);
  }
  return sent.map(({ change, traceId, key }): ChangeResult => {
    const error = errorByTrace.get(traceId) ?? errorByKey.get(key.toLowerCase());
    const result = resultByTrace.get(traceId) ?? (error ? undefined : resultByKey.get(key.toLowerCase()));
    if (result) return { status: 'applied', vendorId: result.id, ...(options.operation === 'upsert' ? { created: result._new === true } : {}) };
    if (error?.category === 'OBJECT_NOT_FOUND' && options.operation === 'update') return { status: 'skipped', reason: 'not found' };
    if (error) return { status: 'failed', error: recordError(change, error, options.operation) };
    return {
      status: 'failed',
      error: new ConnectorError('retryable', 'hubspot.no_result', `HubSpot answered the ${options.operation} batch without a result or an error for profile ${change.record.profileId}; retrying.`, {
        connector: HUBSPOT_CONNECTOR,
      }),
    };
  });
}

/** One record's rejection: permanent (the vendor's validation will say the same next time) unless HubSpot itself failed. */
export function recordError(change: SinkChange, error: AnsweredError, operation: string): ConnectorError {
  const details = error.errors ?? [];
  const code = (details.find((detail) => detail.code)?.code ?? error.category).toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  const reason = details.length > 0 ? details.map((detail) => detail.message).join('; ') : error.message;
  const kind = error.category === 'INTERNAL_ERROR' || error.category === 'RATE_LIMITS' ? 'retryable' : 'permanent';
  return new ConnectorError(kind, `hubspot.${code}`, `HubSpot rejected the ${operation} of profile ${change.record.profileId}: ${error.category} ${code.toUpperCase()}: ${redactEmails(reason)}`, {
    connector: HUBSPOT_CONNECTOR,
    cause: { category: error.category },
  });
}
