import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { queryRows, vendorCall, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';
import { campaignsByNameQuery, chunkForSoqlIn } from './soql.js';

const DescribeSchema = z.object({ fields: z.array(z.object({ name: z.string(), externalIdField: z.boolean().optional(), updateable: z.boolean().optional() }).loose()) }).loose();
const CreatedSchema = z.object({ id: z.string(), success: z.literal(true) }).loose();

/**
 * Makes the org ready for a sync. Fields cannot be created from here (that
 * needs the Metadata API and an admin's consent), so they are checked with
 * `describe` and every missing one is named at once. Lists are Campaigns:
 * found by Name, created (active) when missing. Idempotent.
 */
export async function prepareOrg(runtime: SalesforceRuntime, context: SinkContext, spec: SinkSchemaSpec): Promise<void> {
  await checkFields(runtime, context, spec);
  runtime.campaigns = await ensureCampaigns(runtime, context, spec.lists);
}

async function checkFields(runtime: SalesforceRuntime, context: SinkContext, spec: SinkSchemaSpec): Promise<void> {
  const { object, externalIdField } = runtime.settings;
  const answer = await vendorCall(runtime, context, 'salesforce.describe', `describing ${object}`, (connection) => connection.describe(object));
  const parsed = DescribeSchema.safeParse(answer);
  if (!parsed.success) throw new ConnectorError('retryable', 'salesforce.unexpected_response', `Salesforce describe of ${object}: unexpected answer`, { connector: SALESFORCE_CONNECTOR });
  const fields = new Map(parsed.data.fields.map((field) => [field.name, field]));
  const problems: string[] = [];
  const key = fields.get(externalIdField);
  if (!key) problems.push(`${externalIdField} (the external id field) does not exist: create a Text field with "External ID" checked`);
  else if (key.externalIdField !== true) problems.push(`${externalIdField} is not marked "External ID": edit the field and check it`);
  const missing = spec.properties.map((property) => property.name).filter((name) => name !== externalIdField && !fields.has(name));
  if (missing.length > 0) problems.push(`missing field(s) ${missing.join(', ')}: create them (API names must match the mapping)`);
  const readOnly = spec.properties.map((property) => property.name).filter((name) => fields.get(name)?.updateable === false);
  if (readOnly.length > 0) problems.push(`field(s) ${readOnly.join(', ')} are read-only for the integration user: grant edit access in its permission set`);
  if (problems.length > 0) {
    throw new ConnectorError('config', 'salesforce.fields_missing', `Salesforce ${object} is not ready for this mapping: ${problems.join('; ')}. Setup → Object Manager → ${object} → Fields & Relationships.`, { connector: SALESFORCE_CONNECTOR });
  }
}

/** Finds each list's Campaign by Name, creating (active) the missing ones; list key → Campaign id. */
export async function ensureCampaigns(runtime: SalesforceRuntime, context: SinkContext, lists: SinkSchemaSpec['lists']): Promise<Map<string, string>> {
  const names = [...new Set(lists.map((list) => list.name))];
  const pages = await Promise.all(chunkForSoqlIn(names).map((part) => queryRows(runtime, context, 'salesforce.query.campaigns', campaignsByNameQuery(part))));
  const idByName = new Map<string, string>();
  // Campaign names are not unique in Salesforce; the oldest (lowest id) wins so every run picks the same one.
  const rows = pages.flat().sort((left, right) => String(left.Id).localeCompare(String(right.Id)));
  for (const row of rows) {
    if (typeof row.Name === 'string' && typeof row.Id === 'string' && !idByName.has(row.Name)) idByName.set(row.Name, row.Id);
  }
  await Promise.all(
    names
      .filter((name) => !idByName.has(name))
      .map(async (name) => {
        const answer = await vendorCall(runtime, context, 'salesforce.campaign.create', `creating campaign for list "${name}"`, (connection) => connection.sobject('Campaign').create({ Name: name, IsActive: true }));
        const created = CreatedSchema.safeParse(answer);
        if (!created.success) throw new ConnectorError('retryable', 'salesforce.unexpected_response', `Salesforce did not confirm the campaign for list "${name}"`, { connector: SALESFORCE_CONNECTOR });
        idByName.set(name, created.data.id);
      }),
  );
  return new Map(lists.map((list) => [list.key, idByName.get(list.name) ?? '']));
}
