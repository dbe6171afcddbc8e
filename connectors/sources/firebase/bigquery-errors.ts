import { z } from 'zod';
import { ConnectorError, type FailureKind } from '../../../core/errors/index.js';

export const CONNECTOR = 'source:ga4-bigquery';

/**
 * BigQuery's error JSON, as the client surfaces it on its ApiError
 * (https://cloud.google.com/bigquery/docs/error-messages): the HTTP status
 * as `code` and `errors[].reason`. Parsed, not trusted: anything else is a
 * network failure or a bug.
 */
const ApiErrorSchema = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
});

const THROTTLED = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
const TRANSIENT = new Set(['backendError', 'internalError']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

export interface BigQueryFailure {
  kind: FailureKind;
  throttled: boolean;
  notFound: boolean;
  /** `rateLimitExceeded`, `HTTP 500`, `ECONNRESET` …: what the user sees in the message. */
  reason: string;
  message: string;
}

/** Classifies a failed call, deciding retryability where the error is read. */
export function classifyBigQueryError(error: unknown): BigQueryFailure {
  const parsed = ApiErrorSchema.safeParse(error);
  if (parsed.success) {
    const { code } = parsed.data;
    const reasons = (parsed.data.errors ?? []).flatMap((item) => (item.reason === undefined ? [] : [item.reason]));
    const message = parsed.data.message ?? parsed.data.errors?.[0]?.message ?? '';
    const reason = reasons[0] ?? `HTTP ${code}`;
    // BigQuery also answers 403 rateLimitExceeded: the reason decides, not the status alone.
    const throttled = code === 429 || reasons.some((item) => THROTTLED.has(item));
    if (throttled) return { kind: 'retryable', throttled, notFound: false, reason, message };
    if (code >= 500 || code === 408 || reasons.some((item) => TRANSIENT.has(item))) return { kind: 'retryable', throttled, notFound: false, reason, message };
    if (code === 404) return { kind: 'permanent', throttled, notFound: true, reason, message };
    if (code === 401 || code === 403) return { kind: 'config', throttled, notFound: false, reason, message };
    return { kind: 'permanent', throttled, notFound: false, reason, message };
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && NETWORK.has(code)) return { kind: 'retryable', throttled: false, notFound: false, reason: code, message };
  return { kind: 'permanent', throttled: false, notFound: false, reason: 'unexpected error', message };
}

/** The user-facing error: what failed, where, and what to do. */
export function bigQueryError(failure: BigQueryFailure, what: string, attempts: number, cause: unknown): ConnectorError {
  const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
  const advice =
    failure.kind === 'config' ? 'check that the service account has BigQuery Data Viewer and BigQuery Job User on the project'
      : failure.notFound ? 'check project and dataset, and that the GA4 property is linked to BigQuery'
        : failure.kind === 'retryable' ? 'BigQuery is busy or unavailable; the next run resumes from the last checkpoint'
          : 'this request will not succeed as is';
  const code = failure.notFound ? 'ga4-bigquery.not_found' : failure.throttled ? 'ga4-bigquery.rate_limited' : failure.kind === 'config' ? 'ga4-bigquery.access_denied' : failure.kind === 'retryable' ? 'ga4-bigquery.unavailable' : 'ga4-bigquery.request_failed';
  return new ConnectorError(failure.kind, code, `${what} failed${tried}: ${failure.reason}${failure.message === '' ? '' : ` (${failure.message})`}; ${advice}`, {
    connector: CONNECTOR, throttled: failure.throttled, cause,
  });
}
