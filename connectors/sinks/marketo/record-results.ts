import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkChange, SinkOperation } from '../../../core/sync/sink.js';
import { decideRecordReason } from './client/error-map.js';
import { RecordResultSchema, type RecordResult } from './client/envelope.js';

/**
 * Turns Marketo's per-record results (`{id, status, reasons}`) into the
 * sink contract's ChangeResult. Messages name the profile id, never the
 * email (STYLE: no raw PII in errors).
 */
const CONNECTOR = 'sink:marketo';

const APPLIED_STATUSES = new Set(['created', 'updated', 'added', 'removed', 'deleted']);

export function parseRecordResults(result: readonly unknown[]): Array<RecordResult | undefined> {
  return result.map((item) => {
    const parsed = RecordResultSchema.safeParse(item);
    return parsed.success ? parsed.data : undefined;
  });
}

export function toChangeResult(change: SinkChange, record: RecordResult | undefined, op: SinkOperation): ChangeResult {
  if (!record) return missingResult(change);
  if (APPLIED_STATUSES.has(record.status)) {
    const applied: ChangeResult = { status: 'applied' };
    const vendorId = record.id === undefined ? change.record.vendorId : String(record.id);
    if (vendorId !== undefined) applied.vendorId = vendorId;
    if (record.status === 'created' || record.status === 'updated') applied.created = record.status === 'created';
    return applied;
  }
  const reason = record.reasons?.[0] ?? { code: 'none', message: `status ${record.status} without a reason` };
  const outcome = decideRecordReason(reason.code, op);
  if (outcome.status === 'skipped') return { status: 'skipped', reason: `${outcome.reason} (Marketo ${reason.code})` };
  return {
    status: 'failed',
    error: new ConnectorError(outcome.kind, `marketo.${outcome.reason}`, `Marketo did not ${op} the lead of profile ${change.record.profileId}: ${reason.code} ${reason.message ?? ''}`.trim() + '.', {
      connector: CONNECTOR,
    }),
  };
}

export function missingResult(change: SinkChange): ChangeResult {
  return {
    status: 'failed',
    error: new ConnectorError('retryable', 'marketo.result_missing', `Marketo's answer had no result for profile ${change.record.profileId}; the change will be retried.`, { connector: CONNECTOR }),
  };
}

export function permanentFailure(reason: string, message: string): ChangeResult {
  return { status: 'failed', error: new ConnectorError('permanent', `marketo.${reason}`, message, { connector: CONNECTOR }) };
}

/** Marketo lead ids are integers; a vendorId that is not one cannot have come from Marketo. */
export function leadIdOf(change: SinkChange): number | undefined {
  const vendorId = change.record.vendorId;
  if (vendorId === undefined || !/^\d+$/.test(vendorId)) return undefined;
  return Number(vendorId);
}
