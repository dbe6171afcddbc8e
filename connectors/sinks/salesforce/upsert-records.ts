import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { bulkUpsert } from './bulk-upsert.js';
import { chunk, COLLECTION_LIMIT, failedResult, failure, parseSaveResults, queryRows, settleChunk, vendorCall, type SalesforceRuntime } from './salesforce-runtime.js';
import { chunkForSoqlIn, recordsByExternalIdQuery } from './soql.js';
import type { UpsertRow } from './upsert-row.js';

/**
 * `upsert`: create or update by external id, so a replayed batch can never
 * create a second record. Small batches use sObject Collections (≤200 per
 * call); batches at or above `bulk_threshold` use Bulk API 2.0.
 */
export async function upsertChanges(runtime: SalesforceRuntime, context: SinkContext, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  const results: ChangeResult[] = new Array<ChangeResult>(changes.length);
  const rows: UpsertRow[] = [];
  const positions: number[] = [];
  changes.forEach((change, index) => {
    const row = rowOf(change);
    if (typeof row === 'string') results[index] = failure('salesforce.invalid_change', `${row} (profile ${change.record.profileId})`);
    else {
      rows.push(row);
      positions.push(index);
    }
  });
  const written = await upsertRows(runtime, context, rows);
  written.forEach((result, index) => (results[positions[index] ?? -1] = result));
  return results;
}

/**
 * `update` (sync mode enrich): never creates. Looks the keys up first and
 * upserts only the records Salesforce already has; the rest are skipped.
 * A record deleted between the lookup and the write would be re-created:
 * that window is one call long, and accepted.
 */
export async function updateChanges(runtime: SalesforceRuntime, context: SinkContext, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  const keys = changes.map((change) => change.record.key).filter((key) => key !== '');
  const existing = await findRecordIds(runtime, context, keys);
  const present: SinkChange[] = [];
  const positions: number[] = [];
  const results: ChangeResult[] = changes.map((change, index) => {
    if (!existing.has(change.record.key)) return { status: 'skipped', reason: 'not found' };
    present.push(change);
    positions.push(index);
    return { status: 'skipped', reason: 'not found' };
  });
  const written = await upsertChanges(runtime, context, present);
  written.forEach((result, index) => (results[positions[index] ?? -1] = result));
  return results;
}

export async function upsertRows(runtime: SalesforceRuntime, context: SinkContext, rows: readonly UpsertRow[]): Promise<ChangeResult[]> {
  if (rows.length === 0) return [];
  const { bulkThreshold } = runtime.settings;
  if (bulkThreshold !== null && rows.length >= bulkThreshold) return bulkUpsert(runtime, context, rows);
  const parts = await Promise.all(chunk(rows, COLLECTION_LIMIT).map((part) => settleChunk(part.length, () => upsertChunk(runtime, context, part))));
  return parts.flat();
}

/** External id value → record ids (more than one when the org holds duplicates). */
export async function findRecordIds(runtime: SalesforceRuntime, context: SinkContext, keys: readonly string[]): Promise<Map<string, string[]>> {
  const { object, externalIdField } = runtime.settings;
  const found = new Map<string, string[]>();
  const pages = await Promise.all(chunkForSoqlIn([...new Set(keys)]).map((part) => queryRows(runtime, context, 'salesforce.query.records', recordsByExternalIdQuery(object, externalIdField, part))));
  for (const row of pages.flat()) {
    const key = row[externalIdField];
    if (typeof key !== 'string' || typeof row.Id !== 'string') continue;
    found.set(key, [...(found.get(key) ?? []), row.Id]);
  }
  return found;
}

async function upsertChunk(runtime: SalesforceRuntime, context: SinkContext, rows: readonly UpsertRow[]): Promise<ChangeResult[]> {
  const { object, externalIdField } = runtime.settings;
  // The key goes last so a mapped property can never overwrite the matching value.
  const records = rows.map((row) => ({ ...row.properties, [externalIdField]: row.key }));
  const action = `upserting ${rows.length} ${object} records by ${externalIdField}`;
  const answer = await vendorCall(runtime, context, 'salesforce.upsert', action, (connection) => connection.sobject(object).upsert(records, externalIdField, { allOrNone: false }));
  return parseSaveResults(answer, rows.length, action).map((result, index): ChangeResult => {
    if (!result.success) return failedResult(result, `${object} for profile ${rows[index]?.profileId ?? index}`);
    return { status: 'applied', ...(result.id ? { vendorId: result.id } : {}), created: result.created ?? false };
  });
}

function rowOf(change: SinkChange): UpsertRow | string {
  if (change.op !== 'upsert' && change.op !== 'update') return `a ${change.op} change in an upsert batch`;
  if (change.record.key === '') return 'no external id value (empty key)';
  return { key: change.record.key, profileId: change.record.profileId, properties: change.properties };
}
