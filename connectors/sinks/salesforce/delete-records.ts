import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { chunk, COLLECTION_LIMIT, failedResult, parseSaveResults, recordCode, settleChunk, vendorCall, type SalesforceRuntime, type SaveResult } from './salesforce-runtime.js';
import { findRecordIds } from './upsert-records.js';

const GONE_CODES = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * Privacy deletion. The external id is looked up even when the vendor id is
 * known: a person may hold more than one record (a duplicate someone else
 * created, a record re-created after a merge), and a deletion request covers
 * all of them. Deleting a Contact or Lead also removes its campaign members.
 */
export async function deleteChanges(runtime: SalesforceRuntime, context: SinkContext, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  const found = await findRecordIds(
    runtime,
    context,
    changes.map((change) => change.record.key).filter((key) => key !== ''),
  );
  const idsOf = changes.map((change) => [...new Set([...(found.get(change.record.key) ?? []), ...(change.record.vendorId ? [change.record.vendorId] : [])])]);
  const allIds = [...new Set(idsOf.flat())];
  const outcomes = new Map<string, SaveResult>();
  const thrown = new Map<string, ChangeResult>();
  await Promise.all(
    chunk(allIds, COLLECTION_LIMIT).map(async (part) => {
      const action = `deleting ${part.length} ${runtime.settings.object} records`;
      const settled = await settleChunk(part.length, async () => {
        const answer = await vendorCall(runtime, context, 'salesforce.delete', action, (connection) => connection.sobject(runtime.settings.object).destroy(part, { allOrNone: false }));
        parseSaveResults(answer, part.length, action).forEach((result, index) => outcomes.set(part[index] ?? '', result));
        return [];
      });
      // A whole-call permanent failure fails every change with an id in this part.
      settled.forEach((result, index) => thrown.set(part[index] ?? '', result));
    }),
  );
  return changes.map((change, index): ChangeResult => {
    const ids = idsOf[index] ?? [];
    let deleted = false;
    for (const id of ids) {
      const failedCall = thrown.get(id);
      if (failedCall) return failedCall;
      const outcome = outcomes.get(id);
      if (!outcome) continue;
      if (outcome.success) deleted = true;
      else if (!GONE_CODES.has(recordCode(outcome) ?? '')) return failedResult(outcome, `${runtime.settings.object} deletion for profile ${change.record.profileId}`);
    }
    return deleted ? { status: 'applied' } : { status: 'skipped', reason: 'not found' };
  });
}
