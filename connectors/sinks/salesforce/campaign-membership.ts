import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { chunk, COLLECTION_LIMIT, failedResult, failure, parseSaveResults, queryRows, recordCode, settleChunk, vendorCall, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';
import { campaignMembersQuery, chunkForSoqlIn } from './soql.js';

/** Delete answers meaning "that row is already gone". */
const GONE_CODES = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * Segment membership = a CampaignMember row linking the list's Campaign to
 * the Contact or Lead. Adding creates rows (a second add is DUPLICATE_VALUE,
 * so the desired state already holds); removing finds the rows by SOQL and
 * deletes them.
 */
export function addMembers(runtime: SalesforceRuntime, context: SinkContext, list: string, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  return addToCampaign(runtime, context, campaignOf(runtime, list), changes);
}

/** Adds the changes' records (by vendor id) to one Campaign; an existing member is `skipped`. */
export async function addToCampaign(runtime: SalesforceRuntime, context: SinkContext, campaignId: string, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  const personField = runtime.settings.object === 'Lead' ? 'LeadId' : 'ContactId';
  const results: ChangeResult[] = changes.map(() => failure('salesforce.no_vendor_id', 'no vendor id'));
  const pending = changes.flatMap((change, index) => (change.record.vendorId ? [{ index, personId: change.record.vendorId, profileId: change.record.profileId }] : []));
  await Promise.all(
    chunk(pending, COLLECTION_LIMIT).map(async (part) => {
      const records = part.map((member) => ({ CampaignId: campaignId, [personField]: member.personId, ...(runtime.settings.campaignMemberStatus ? { Status: runtime.settings.campaignMemberStatus } : {}) }));
      const action = `adding ${part.length} members to campaign ${campaignId}`;
      const outcomes = await settleChunk(part.length, async () => {
        const answer = await vendorCall(runtime, context, 'salesforce.members.add', action, (connection) => connection.sobject('CampaignMember').create(records, { allOrNone: false }));
        return parseSaveResults(answer, part.length, action).map((result, index): ChangeResult => {
          if (result.success) return { status: 'applied' };
          if (recordCode(result) === 'DUPLICATE_VALUE') return { status: 'skipped', reason: 'already a member' };
          return failedResult(result, `campaign membership of profile ${part[index]?.profileId ?? index}`);
        });
      });
      outcomes.forEach((outcome, index) => (results[part[index]?.index ?? -1] = outcome));
    }),
  );
  return results;
}

export async function removeMembers(runtime: SalesforceRuntime, context: SinkContext, list: string, changes: readonly SinkChange[]): Promise<ChangeResult[]> {
  const campaignId = campaignOf(runtime, list);
  const personField = runtime.settings.object === 'Lead' ? 'LeadId' : 'ContactId';
  const results: ChangeResult[] = changes.map((change) => (change.record.vendorId ? { status: 'skipped', reason: 'not a member' } : failure('salesforce.no_vendor_id', 'no vendor id')));
  const personIds = [...new Set(changes.flatMap((change) => (change.record.vendorId ? [change.record.vendorId] : [])))];
  const pages = await Promise.all(chunkForSoqlIn(personIds).map((part) => queryRows(runtime, context, 'salesforce.query.members', campaignMembersQuery(campaignId, personField, part))));
  const memberOf = new Map<string, string>();
  for (const row of pages.flat()) {
    const person = row[personField];
    if (typeof person === 'string' && typeof row.Id === 'string') memberOf.set(person, row.Id);
  }
  const found = changes.flatMap((change, index) => {
    const memberId = memberOf.get(change.record.vendorId ?? '');
    return memberId ? [{ index, memberId, profileId: change.record.profileId }] : [];
  });
  await Promise.all(
    chunk(found, COLLECTION_LIMIT).map(async (part) => {
      const action = `removing ${part.length} members from campaign ${campaignId}`;
      const outcomes = await settleChunk(part.length, async () => {
        const answer = await vendorCall(runtime, context, 'salesforce.members.remove', action, (connection) => connection.sobject('CampaignMember').destroy(part.map((member) => member.memberId), { allOrNone: false }));
        return parseSaveResults(answer, part.length, action).map((result, index): ChangeResult => {
          if (result.success) return { status: 'applied' };
          if (GONE_CODES.has(recordCode(result) ?? '')) return { status: 'skipped', reason: 'not a member' };
          return failedResult(result, `campaign membership of profile ${part[index]?.profileId ?? index}`);
        });
      });
      outcomes.forEach((outcome, index) => (results[part[index]?.index ?? -1] = outcome));
    }),
  );
  return results;
}

function campaignOf(runtime: SalesforceRuntime, list: string): string {
  const campaignId = runtime.campaigns.get(list);
  if (!campaignId) {
    throw new ConnectorError('config', 'salesforce.list_unprepared', `Salesforce sink: list "${list}" has no campaign; prepare() must run before membership changes (it finds or creates the campaign).`, { connector: SALESFORCE_CONNECTOR });
  }
  return campaignId;
}
