import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkBatch, SinkCapabilities, SinkContext } from '../../../core/sync/sink.js';
import { addMembers, removeMembers } from './campaign-membership.js';
import { deleteChanges } from './delete-records.js';
import { prepareOrg } from './prepare-org.js';
import { SALESFORCE_ACTION_KINDS, salesforceActions } from './salesforce-actions.js';
import { COLLECTION_LIMIT, type SalesforceRuntime } from './salesforce-runtime.js';
import { createSalesforceSession } from './salesforce-session.js';
import { resolveSalesforceSettings, SALESFORCE_CONNECTOR, type SalesforceSinkSettings } from './salesforce-sink-config.js';
import { updateChanges, upsertChanges } from './upsert-records.js';

/** One Bulk API 2.0 job takes any size; 10,000 rows is one Salesforce batch and a sane unit of retry. */
const BULK_MAX_BATCH = 10_000;

/**
 * Salesforce Contacts (or Leads) keyed by an External ID field, with segment
 * membership as CampaignMember rows, on jsforce. See the folder's README-ish
 * notes in each file; vendor facts in /work/shared/vendor-facts.md §2.
 */
export function createSalesforceSink(config: Record<string, unknown>): Sink {
  const settings = resolveSalesforceSettings(config);
  const runtime: SalesforceRuntime = { settings, session: createSalesforceSession(settings), campaigns: new Map(), actionCampaigns: new Map(), platformEvents: new Map() };
  return {
    kind: 'sink:salesforce',
    account: `salesforce:${settings.instanceUrl ?? settings.loginUrl}:${settings.clientId}`,
    identify: (context) => identifyOrg(runtime, context),
    capabilities: () => salesforceCapabilities(settings),
    actions: salesforceActions(runtime),
    async prepare(spec, context) {
      await runtime.session.ensureToken(context);
      await prepareOrg(runtime, context, spec);
    },
    async apply(batch, context) {
      if (batch.changes.length === 0) return [];
      await runtime.session.ensureToken(context);
      const results = await applyBatch(runtime, batch, context);
      if (results.length !== batch.changes.length || results.some((result) => result === undefined)) {
        throw new ConnectorError('permanent', 'salesforce.internal', `Salesforce sink produced ${results.length} results for ${batch.changes.length} changes`, { connector: SALESFORCE_CONNECTOR });
      }
      return results;
    },
  };
}

export function salesforceCapabilities(settings: SalesforceSinkSettings): SinkCapabilities {
  const recordBatch = settings.bulkThreshold === null ? COLLECTION_LIMIT : BULK_MAX_BATCH;
  return {
    operations: {
      upsert: { maxBatch: recordBatch },
      update: { maxBatch: recordBatch },
      'list-add': { maxBatch: COLLECTION_LIMIT },
      'list-remove': { maxBatch: COLLECTION_LIMIT },
      delete: { maxBatch: COLLECTION_LIMIT },
    },
    // The only published request limit is the rolling 24 h allocation, which a sync cannot pace against.
    rateLimit: settings.rateLimit,
    concurrency: settings.concurrency,
    membershipNeedsVendorId: true,
    triggerKinds: SALESFORCE_ACTION_KINDS,
  };
}

/**
 * The org behind the credentials: a token answer names it (the identity URL
 * `…/id/<orgId>/<userId>`), so minting the first token is the only call.
 * A sandbox refreshed from production keeps its own org id.
 */
async function identifyOrg(runtime: SalesforceRuntime, context: SinkContext): Promise<string> {
  await runtime.session.ensureToken(context);
  const orgId = runtime.session.organizationId();
  if (orgId === undefined) {
    throw new ConnectorError('retryable', 'salesforce.auth_unexpected', `Salesforce token endpoint ${runtime.settings.loginUrl} answered without an identity URL (id), so the org cannot be told apart from another.`, { connector: SALESFORCE_CONNECTOR });
  }
  return `salesforce:${new URL(runtime.session.connection.instanceUrl).host}:org-${orgId}`;
}

function applyBatch(runtime: SalesforceRuntime, batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> {
  switch (batch.op) {
    case 'upsert':
      return upsertChanges(runtime, context, batch.changes);
    case 'update':
      return updateChanges(runtime, context, batch.changes);
    case 'list-add':
      return addMembers(runtime, context, listOf(batch), batch.changes);
    case 'list-remove':
      return removeMembers(runtime, context, listOf(batch), batch.changes);
    case 'delete':
      return deleteChanges(runtime, context, batch.changes);
  }
}

function listOf(batch: SinkBatch): string {
  if (batch.list === undefined) throw new ConnectorError('permanent', 'salesforce.batch_without_list', `A ${batch.op} batch came without its list`, { connector: SALESFORCE_CONNECTOR });
  return batch.list;
}
