import type { FailureKind } from '../../../../core/errors/connector-error.js';
import type { SinkOperation } from '../../../../core/sync/sink.js';
import { msUntilCentralMidnight } from '../central-time.js';

/**
 * Marketo answers almost every error with HTTP 200 and `success:false`
 * (vendor-facts.md §3 "Envelope"), so the taxonomy is decided by its codes,
 * not by HTTP status. The tables below are the whole mapping; everything
 * else in the client only looks them up. Field lesson (field-lessons.md §5.1):
 * rate and quota codes once fell through to a catch-all and were never
 * retried, so an unknown code is retryable here, never dropped.
 */

/** What the client does with a request-level error code. */
export type RequestErrorDecision =
  | { action: 'refresh-token' }
  | { action: 'fail'; kind: FailureKind; reason: string; throttled: boolean; retryAfterMs?: number };

/**
 * Marketo counts 100 calls in a rolling 20 s window; without its start, the
 * whole window is the safe wait. A subscription configured with another
 * window (`limits.interval_ms`) waits that window instead.
 */
export const RATE_WINDOW_RETRY_MS = 20_000;
/** A 615 clears as soon as one of the 10 in-flight calls answers. */
export const CONCURRENCY_RETRY_MS = 1_500;

type RetryHint = 'rate-window' | 'concurrency' | 'central-midnight';

interface CodeRule {
  kind: FailureKind;
  reason: string;
  throttled?: boolean;
  retryAfter?: RetryHint;
}

const REFRESH_CODES = new Set(['601', '602']);

/** Response-level codes (`errors[]`), from Marketo's error-codes page. */
const REQUEST_CODES: Readonly<Record<string, CodeRule>> = {
  '603': { kind: 'config', reason: 'access_denied' },
  '604': { kind: 'retryable', reason: 'request_timeout' },
  '605': { kind: 'permanent', reason: 'method_not_supported' },
  '606': { kind: 'retryable', reason: 'rate_limited', throttled: true, retryAfter: 'rate-window' },
  '607': { kind: 'retryable', reason: 'daily_quota_reached', throttled: true, retryAfter: 'central-midnight' },
  '608': { kind: 'retryable', reason: 'temporarily_unavailable' },
  '609': { kind: 'permanent', reason: 'invalid_json' },
  '610': { kind: 'permanent', reason: 'resource_not_found' },
  '611': { kind: 'retryable', reason: 'system_error' },
  '612': { kind: 'permanent', reason: 'invalid_content_type' },
  '613': { kind: 'permanent', reason: 'invalid_multipart' },
  '614': { kind: 'config', reason: 'invalid_subscription' },
  '615': { kind: 'retryable', reason: 'concurrency_limited', throttled: true, retryAfter: 'concurrency' },
  '616': { kind: 'config', reason: 'invalid_subscription_type' },
  '701': { kind: 'permanent', reason: 'value_blank' },
  '702': { kind: 'permanent', reason: 'no_data_found' },
  '703': { kind: 'config', reason: 'feature_not_enabled' },
  '704': { kind: 'permanent', reason: 'invalid_date' },
  '709': { kind: 'permanent', reason: 'business_rule' },
  '710': { kind: 'config', reason: 'parent_folder_not_found' },
  '711': { kind: 'config', reason: 'incompatible_location' },
  '713': { kind: 'retryable', reason: 'transient_error' },
  '1003': { kind: 'permanent', reason: 'invalid_value' },
  // Request Campaign refuses the whole call when one of its lead ids does not exist.
  '1004': { kind: 'permanent', reason: 'lead_not_found' },
  '1006': { kind: 'permanent', reason: 'field_not_found' },
  // A static list known at prepare time was deleted in Marketo: the next run's prepare recreates it.
  '1013': { kind: 'config', reason: 'object_not_found' },
  '1016': { kind: 'retryable', reason: 'too_many_imports', throttled: true, retryAfter: 'rate-window' },
  '1019': { kind: 'retryable', reason: 'import_in_progress' },
  '1029': { kind: 'retryable', reason: 'bulk_queue_full' },
};

export function decideRequestError(code: string, now: number, rateWindowMs = RATE_WINDOW_RETRY_MS): RequestErrorDecision {
  if (REFRESH_CODES.has(code)) return { action: 'refresh-token' };
  const rule = REQUEST_CODES[code];
  if (!rule) return { action: 'fail', kind: 'retryable', reason: 'unknown_code', throttled: false };
  const decision: RequestErrorDecision = { action: 'fail', kind: rule.kind, reason: rule.reason, throttled: rule.throttled ?? false };
  if (rule.retryAfter) decision.retryAfterMs = retryAfterMs(rule.retryAfter, now, rateWindowMs);
  return decision;
}

function retryAfterMs(hint: RetryHint, now: number, rateWindowMs: number): number {
  if (hint === 'rate-window') return rateWindowMs;
  if (hint === 'concurrency') return CONCURRENCY_RETRY_MS;
  return msUntilCentralMidnight(now);
}

/** Marketo's HTTP-level errors: only 413/414 on REST and 401 on Identity in normal operation. */
export function decideHttpStatus(status: number): { kind: FailureKind; reason: string; throttled: boolean } {
  if (status === 401 || status === 403) return { kind: 'config', reason: 'bad_credentials', throttled: false };
  if (status === 404) return { kind: 'config', reason: 'endpoint_not_found', throttled: false };
  if (status === 413) return { kind: 'permanent', reason: 'payload_too_large', throttled: false };
  if (status === 414) return { kind: 'permanent', reason: 'uri_too_long', throttled: false };
  if (status === 429) return { kind: 'retryable', reason: 'rate_limited', throttled: true };
  if (status === 408 || status >= 500) return { kind: 'retryable', reason: 'server_error', throttled: false };
  return { kind: 'permanent', reason: 'http_error', throttled: false };
}

/** The result of one record-level reason (`result[i].reasons[0]` of a skipped record). */
export type RecordOutcome = { status: 'skipped'; reason: string } | { status: 'failed'; kind: FailureKind; reason: string };

type RecordRule = RecordOutcome | ((op: SinkOperation) => RecordOutcome);

const failed = (kind: FailureKind, reason: string): RecordOutcome => ({ status: 'failed', kind, reason });
const skipped = (reason: string): RecordOutcome => ({ status: 'skipped', reason });

/**
 * Record-level reason codes. 1004 "Lead not found" means "the desired state
 * already holds" for update (enrich never creates), list-remove and delete,
 * but the opposite for list-add: the contract wants a record the vendor no
 * longer has to fail there.
 */
const RECORD_CODES: Readonly<Record<string, RecordRule>> = {
  '1003': failed('permanent', 'invalid_value'),
  '1004': (op) => (op === 'list-add' || op === 'upsert' ? failed('permanent', 'lead_not_found') : skipped('not found')),
  '1005': skipped('already exists'),
  '1006': failed('permanent', 'field_not_found'),
  '1007': failed('permanent', 'multiple_leads_match'),
  '1008': failed('permanent', 'partition_access_denied'),
  '1010': failed('permanent', 'partition_not_found'),
  '1013': failed('permanent', 'object_not_found'),
  '1015': skipped('not in list'),
};

export function decideRecordReason(code: string, op: SinkOperation): RecordOutcome {
  const rule = RECORD_CODES[code];
  if (!rule) return failed('retryable', 'unknown_record_code');
  return typeof rule === 'function' ? rule(op) : rule;
}
