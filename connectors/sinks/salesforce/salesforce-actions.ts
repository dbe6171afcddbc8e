import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionCapability, ChangeResult, SinkAction } from '../../../core/sync/sink.js';
import { addToTargetCampaigns, CAMPAIGN_ADD_KIND, prepareCampaignTargets } from './campaign-add-action.js';
import { PLATFORM_EVENT_KIND, publishPlatformEvents } from './platform-event-publish.js';
import { preparePlatformEvents } from './platform-event-prepare.js';
import { COLLECTION_LIMIT, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';

export const SALESFORCE_ACTION_KINDS = [PLATFORM_EVENT_KIND, CAMPAIGN_ADD_KIND] as const;

/**
 * What triggers can do in Salesforce: publish a Platform Event (a Flow
 * subscribes to it) or add the person to a Campaign. Both ride on sObject
 * Collections, hence 200 per call.
 */
export function salesforceActions(runtime: SalesforceRuntime): ActionCapability {
  return {
    kinds: SALESFORCE_ACTION_KINDS,
    maxBatch: COLLECTION_LIMIT,
    async prepare(targets, context) {
      if (targets.length === 0) return;
      await runtime.session.ensureToken(context);
      await Promise.all([
        preparePlatformEvents(runtime, context, targets.filter((spec) => spec.kind === PLATFORM_EVENT_KIND)),
        prepareCampaignTargets(runtime, context, targets.filter((spec) => spec.kind === CAMPAIGN_ADD_KIND)),
      ]);
    },
    async deliver(actions, context) {
      if (actions.length === 0) return [];
      await runtime.session.ensureToken(context);
      const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
      for (const kind of new Set(actions.map((action) => action.kind))) {
        const indexes = actions.flatMap((action, index) => (action.kind === kind ? [index] : []));
        const outcomes = await deliverKind(runtime, kind, indexes.map((index) => actions[index] as SinkAction), context);
        indexes.forEach((index, position) => (results[index] = outcomes[position]));
      }
      return results.map((result) => result ?? { status: 'failed', error: new ConnectorError('permanent', 'salesforce.internal', 'Salesforce sink: an action got no result', { connector: SALESFORCE_CONNECTOR }) });
    },
  };
}

function deliverKind(runtime: SalesforceRuntime, kind: string, actions: readonly SinkAction[], context: Parameters<ActionCapability['deliver']>[1]): Promise<ChangeResult[]> {
  if (kind === PLATFORM_EVENT_KIND) return publishPlatformEvents(runtime, context, actions);
  if (kind === CAMPAIGN_ADD_KIND) return addToTargetCampaigns(runtime, context, actions);
  const error = new ConnectorError('permanent', 'salesforce.action_kind_unknown', `Salesforce sink has no action kind "${kind}" (it has: ${SALESFORCE_ACTION_KINDS.join(', ')})`, { connector: SALESFORCE_CONNECTOR });
  return Promise.resolve(actions.map(() => ({ status: 'failed', error }) as const));
}
