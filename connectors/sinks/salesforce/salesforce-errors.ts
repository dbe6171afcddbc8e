import { ConnectorError } from '../../../core/errors/connector-error.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';

/**
 * Salesforce's errors → segflow's taxonomy, in one place. Salesforce puts
 * the reason in `errorCode` (REST bodies are `[{message, errorCode}]`), so
 * the code decides, and the HTTP status only settles what the code cannot.
 */

/** The daily allocation is rolling 24 h: nothing to gain by retrying within the hour. */
export const DAILY_LIMIT_RETRY_MS = 3_600_000;
/** A concurrency throttle clears as soon as a long-running call ends. */
export const CONCURRENCY_RETRY_MS = 2_000;
/**
 * LIMIT_EXCEEDED on a publish: the org's hourly Platform Event allocation is
 * used up (by every publisher of the org: Apex, Flows, other integrations).
 * Salesforce does not say when the hour frees up, and every refused publish
 * still costs a daily API request, so segflow waits a quarter of an hour
 * rather than hammering; with the default retry policy (waits over 10 min
 * stop the run) the run stops and the outbox keeps the actions for the next.
 */
export const PUBLISH_LIMIT_RETRY_MS = 15 * 60_000;
/** PLATFORM_EVENT_PUBLISHING_UNAVAILABLE: "Try again later" (a transient event bus outage). */
export const PUBLISHING_UNAVAILABLE_RETRY_MS = 5_000;

const SERVER_CODES = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT']);
const RETRYABLE_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'PLATFORM_EVENT_PUBLISHING_UNAVAILABLE', 'LIMIT_EXCEEDED']);
/** Codes that say how long to wait: a per-record answer (collections) and a whole-call one (single publish) mean the same. */
const WAIT_HINTS: Record<string, { retryAfterMs: number; throttled: boolean }> = {
  LIMIT_EXCEEDED: { retryAfterMs: PUBLISH_LIMIT_RETRY_MS, throttled: true },
  PLATFORM_EVENT_PUBLISHING_UNAVAILABLE: { retryAfterMs: PUBLISHING_UNAVAILABLE_RETRY_MS, throttled: false },
};
/** Whole-call codes that mean the org does not match the mapping or the integration user lacks access: fix the setup. */
const CONFIG_CODES = new Set([
  'INVALID_FIELD',
  'INVALID_TYPE',
  'NOT_FOUND',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'FUNCTIONALITY_NOT_ENABLED',
  'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export interface RecordErrorLike {
  statusCode?: string;
  errorCode?: string;
  message?: string;
  fields?: readonly string[];
}

/** A whole call failed (jsforce threw): the `action` names what segflow was doing, e.g. `upserting 200 Contacts`. */
export function errorFromCall(error: unknown, status: number | undefined, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const code = stringProperty(error, 'errorCode');
  const message = error instanceof Error ? error.message : String(error);
  const make = (kind: ConnectorError['kind'], reason: string, text: string, extra: { retryAfterMs?: number; throttled?: boolean } = {}) =>
    new ConnectorError(kind, `salesforce.${reason}`, `Salesforce ${action}: ${text}`, { connector: SALESFORCE_CONNECTOR, cause: error, ...extra });

  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    if (/TotalRequests/i.test(message)) {
      return make('retryable', 'daily_limit', `the org's daily API allocation is used up (${message}). segflow waits; raise the allocation or lower the sync frequency.`, { throttled: true, retryAfterMs: DAILY_LIMIT_RETRY_MS });
    }
    return make('retryable', 'concurrency_limit', `too many concurrent requests (${message}).`, { throttled: true, retryAfterMs: CONCURRENCY_RETRY_MS });
  }
  if (code === 'INVALID_SESSION_ID' || status === 401) {
    return make('config', 'session_invalid', `the session was refused even after a new token (${message}). Check that the connected app's Run As user / JWT user has API access.`);
  }
  if ((status !== undefined && status >= 500) || (code !== undefined && (SERVER_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code)))) {
    return make('retryable', 'server_error', `Salesforce is unavailable (${code ?? `HTTP ${status}`}: ${message}).`);
  }
  if (code === 'UNABLE_TO_LOCK_ROW') return make('retryable', 'row_locked', message);
  if (code === 'LIMIT_EXCEEDED') return make('retryable', 'publish_limit', `the org's hourly Platform Event publishing allocation is used up (${message}). segflow waits; raise the allocation (add-on) or publish fewer events.`, WAIT_HINTS.LIMIT_EXCEEDED);
  if (code === 'PLATFORM_EVENT_PUBLISHING_UNAVAILABLE') return make('retryable', 'publishing_unavailable', `Platform Event publishing is temporarily unavailable (${message}).`, WAIT_HINTS.PLATFORM_EVENT_PUBLISHING_UNAVAILABLE);
  if (code === undefined && isNetworkError(error)) return make('retryable', 'network', `network error (${stringProperty(error, 'code') ?? message}).`);
  if (code !== undefined && (CONFIG_CODES.has(code) || status === 403)) {
    return make('config', code.toLowerCase(), `${code}: ${message}. The org does not match the mapping (field or object missing, or no access for the integration user).`);
  }
  if (code !== undefined) return make('permanent', code.toLowerCase(), `${code}: ${message}`);
  return make('permanent', 'unexpected', message);
}

/** One record's errors in a 200 answer (collections) or a Bulk failedResults row. */
export function errorFromRecord(errors: readonly RecordErrorLike[], where: string): ConnectorError {
  const first = errors[0];
  const code = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN_ERROR';
  const fields = first?.fields && first.fields.length > 0 ? ` (fields: ${first.fields.join(', ')})` : '';
  const kind = RETRYABLE_RECORD_CODES.has(code) ? 'retryable' : 'permanent';
  return new ConnectorError(kind, `salesforce.${code}`, `Salesforce rejected ${where}: ${code}: ${first?.message ?? 'no message'}${fields}`, { connector: SALESFORCE_CONNECTOR, ...WAIT_HINTS[code] });
}

/** Bulk API 2.0 `sf__Error` cells look like `CODE:message:Field1,Field2 --`. */
export function parseBulkError(cell: string): RecordErrorLike {
  const match = /^([A-Z_]+):([\s\S]*?)(?::([^:]*))?\s*--\s*$/.exec(cell.trim());
  if (!match) return { statusCode: 'UNKNOWN_ERROR', message: cell };
  const fields = (match[3] ?? '').split(',').map((field) => field.trim()).filter((field) => field !== '');
  return { statusCode: match[1] ?? 'UNKNOWN_ERROR', message: (match[2] ?? '').trim(), fields };
}

/** The token endpoint answers `{error, error_description}`; jsforce turns it into an Error named after `error`. */
export function errorFromTokenEndpoint(error: unknown, loginUrl: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const where = `Salesforce token endpoint ${loginUrl}/services/oauth2/token`;
  if (/^ERROR_HTTP_5\d\d$/.test(name) || isNetworkError(error)) {
    return new ConnectorError('retryable', 'salesforce.auth_unavailable', `${where} is unavailable: ${message}`, { connector: SALESFORCE_CONNECTOR, cause: error });
  }
  return new ConnectorError('config', 'salesforce.auth_failed', `${where} refused the credentials (${name || 'error'}: ${message}). Check client_id/client_secret (or private_key/username) and that the app is approved for this org.`, {
    connector: SALESFORCE_CONNECTOR,
    cause: error,
  });
}

function isNetworkError(error: unknown): boolean {
  const code = stringProperty(error, 'code');
  const name = error instanceof Error ? error.name : '';
  return (code !== undefined && NETWORK_CODES.has(code)) || name === 'FetchError' || name === 'AbortError';
}

function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const property = (value as Record<string, unknown>)[key];
  return typeof property === 'string' ? property : undefined;
}
