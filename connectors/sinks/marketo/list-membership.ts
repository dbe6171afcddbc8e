import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';
import { leadIdOf, parseRecordResults, permanentFailure, toChangeResult } from './record-results.js';

/**
 * Segment membership as static-list membership (vendor-facts.md §3 "Static
 * lists"): add is POST, remove is DELETE on `/rest/v1/lists/{id}/leads.json`
 * with `{input:[{id}]}`, by lead id. Results are matched by id, with the
 * position as a fallback, since Marketo returns one per input.
 */
export async function changeListMembership(
  client: MarketoClient,
  listId: number,
  op: 'list-add' | 'list-remove',
  changes: readonly SinkChange[],
  context: SinkContext,
): Promise<ChangeResult[]> {
  const results: Array<ChangeResult | undefined> = changes.map((change) =>
    leadIdOf(change) === undefined ? permanentFailure('no_vendor_id', `Profile ${change.record.profileId} has no Marketo lead id yet, so it cannot join or leave a static list.`) : undefined,
  );
  const sendable = changes.flatMap((change, index) => {
    const id = leadIdOf(change);
    return id === undefined ? [] : [{ change, index, id }];
  });
  if (sendable.length > 0) {
    const label = op === 'list-add' ? 'marketo.lists.add' : 'marketo.lists.remove';
    const method = op === 'list-add' ? 'POST' : 'DELETE';
    const response = await context.request(label, () =>
      client.send({ method, path: `/rest/v1/lists/${listId}/leads.json`, json: { input: sendable.map(({ id }) => ({ id })) } }, context.signal),
    );
    const records = parseRecordResults(response.result);
    sendable.forEach(({ change, index, id }, position) => {
      const record = records.find((candidate) => candidate?.id === id) ?? records[position];
      results[index] = toChangeResult(change, record, op);
    });
  }
  return results as ChangeResult[];
}
