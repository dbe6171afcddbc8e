import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * Adds or removes contacts (by record id) on one MANUAL list in one call,
 * the body a bare array of ids. HubSpot answers which ids it added
 * (`recordsIdsAdded`, the vendor's spelling), removed, or could not find;
 * ids in none of those were already in (add) or already out (remove), so
 * the desired state holds and the change is skipped.
 */
export async function changeMemberships(
  op: 'list-add' | 'list-remove',
  listId: string,
  changes: readonly SinkChange[],
  session: HubSpotSession,
  context: SinkContext,
): Promise<ChangeResult[]> {
  const results = new Array<ChangeResult>(changes.length);
  const ids: string[] = [];
  changes.forEach((change, index) => {
    const vendorId = change.record.vendorId;
    if (vendorId === undefined || vendorId === '') {
      results[index] = {
        status: 'failed',
        error: new ConnectorError('permanent', 'hubspot.no_vendor_id', `Profile ${change.record.profileId} has no HubSpot record id yet, so it cannot join or leave a list; upsert it first.`, {
          connector: HUBSPOT_CONNECTOR,
        }),
      };
    } else {
      ids.push(vendorId);
    }
  });
  if (ids.length === 0) return results;
  const unique = [...new Set(ids)];
  const answer =
    op === 'list-add'
      ? await session.call(context, 'lists.memberships.add', (apis) => apis.memberships.add(listId, unique))
      : await session.call(context, 'lists.memberships.remove', (apis) => apis.memberships.remove(listId, unique));
  const changed = new Set(op === 'list-add' ? (answer.recordsIdsAdded ?? []) : (answer.recordIdsRemoved ?? []));
  const missing = new Set(answer.recordIdsMissing ?? []);
  changes.forEach((change, index) => {
    if (results[index]) return;
    const vendorId = change.record.vendorId as string;
    if (changed.has(vendorId)) results[index] = { status: 'applied', vendorId };
    else if (missing.has(vendorId)) {
      results[index] = {
        status: 'failed',
        error: new ConnectorError('permanent', 'hubspot.record_missing', `HubSpot has no contact ${vendorId} (profile ${change.record.profileId}) any more; it was deleted or merged in HubSpot.`, {
          connector: HUBSPOT_CONNECTOR,
        }),
      };
    } else results[index] = { status: 'skipped', reason: op === 'list-add' ? 'already a member' : 'not a member' };
  });
  return results;
}
