import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionTargetSpec, ChangeResult, SinkAction, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { addToCampaign } from './campaign-membership.js';
import { ensureCampaigns } from './prepare-org.js';
import { queryRows, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';
import { chunkForSoqlIn, recordsByExternalIdQuery } from './soql.js';

export const CAMPAIGN_ADD_KIND = 'salesforce:campaign-add';

/**
 * Adds the action's Contact (or Lead) to the Campaign whose Name is the
 * target, e.g. to start a Campaign-triggered Flow. Naturally idempotent: a
 * retry after a lost answer meets DUPLICATE_VALUE and is `skipped` ("already
 * a member"), so no second membership exists. Payload properties are not
 * used (CampaignMember has no room for them).
 */
export async function prepareCampaignTargets(runtime: SalesforceRuntime, context: SinkContext, targets: readonly ActionTargetSpec[]): Promise<void> {
  const names = [...new Set(targets.map((spec) => spec.target))];
  const found = await ensureCampaigns(runtime, context, names.map((name) => ({ key: name, name })));
  for (const [name, id] of found) runtime.actionCampaigns.set(name, id);
}

export async function addToTargetCampaigns(runtime: SalesforceRuntime, context: SinkContext, actions: readonly SinkAction[]): Promise<ChangeResult[]> {
  const missingTargets = [...new Set(actions.map((action) => action.target).filter((target) => !runtime.actionCampaigns.has(target)))];
  if (missingTargets.length > 0) await prepareCampaignTargets(runtime, context, missingTargets.map((target) => ({ kind: CAMPAIGN_ADD_KIND, target, fields: [] })));
  const personIds = await personIdsOf(runtime, context, actions);
  const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
  const byTarget = new Map<string, number[]>();
  actions.forEach((action, index) => {
    if (personIds.has(action.record.key)) byTarget.set(action.target, [...(byTarget.get(action.target) ?? []), index]);
    else results[index] = notYetInSalesforce(runtime, action);
  });
  for (const [target, indexes] of byTarget) {
    const changes: SinkChange[] = indexes.map((index) => {
      const action = actions[index] as SinkAction;
      return { op: 'list-add', list: target, record: { ...action.record, vendorId: personIds.get(action.record.key) ?? '' } };
    });
    const outcomes = await addToCampaign(runtime, context, runtime.actionCampaigns.get(target) ?? '', changes);
    indexes.forEach((index, position) => (results[index] = outcomes[position]));
  }
  return results.map((result) => result ?? notYetInSalesforce(runtime, undefined));
}

/** Record key → Contact/Lead id: the acknowledged vendor id, else found by the External ID field. */
async function personIdsOf(runtime: SalesforceRuntime, context: SinkContext, actions: readonly SinkAction[]): Promise<Map<string, string>> {
  const { object, externalIdField } = runtime.settings;
  const ids = new Map<string, string>();
  for (const action of actions) if (action.record.vendorId) ids.set(action.record.key, action.record.vendorId);
  const unknown = [...new Set(actions.map((action) => action.record.key).filter((key) => !ids.has(key)))];
  const pages = await Promise.all(chunkForSoqlIn(unknown).map((part) => queryRows(runtime, context, 'salesforce.query.records', recordsByExternalIdQuery(object, externalIdField, part))));
  for (const row of pages.flat()) {
    const key = row[externalIdField];
    if (typeof key === 'string' && typeof row.Id === 'string' && !ids.has(key)) ids.set(key, row.Id);
  }
  return ids;
}

/** The trigger can fire before the record sync created the person: a later attempt may find it. */
function notYetInSalesforce(runtime: SalesforceRuntime, action: SinkAction | undefined): ChangeResult {
  const { object, externalIdField } = runtime.settings;
  const who = action ? `profile ${action.record.profileId}` : 'a profile';
  return { status: 'failed', error: new ConnectorError('retryable', 'salesforce.person_missing', `Salesforce has no ${object} for ${who} (by ${externalIdField}) to add to a campaign yet; the record sync creates it.`, { connector: SALESFORCE_CONNECTOR }) };
}
