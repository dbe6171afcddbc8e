import type { FaultPlan, SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { Journal, OrgState, StoredRecord } from './org-state.js';
import { coerceFieldValue, isPersonObject } from './sobject-schema.js';

/**
 * Per-record write semantics shared by sObject Collections (JSON) and Bulk
 * API 2.0 (CSV): what Salesforce does to one record and the per-record error
 * it answers with. Callers decide the request-level shape.
 */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type WriteOutcome = { success: true; id: string; created: boolean } | { success: false; id?: string; errors: RecordError[] };

export interface WriteContext {
  org: OrgState;
  faults: FaultPlan;
  stats: SimulatorStats;
  journal: Journal;
  source: 'json' | 'csv';
}

const failure = (statusCode: string, message: string, fields: string[] = [], id?: string): WriteOutcome => ({ success: false, ...(id ? { id } : {}), errors: [{ statusCode, message, fields }] });

/** Upsert by external id: create when no record holds the value, update when one does. */
export function upsertRecord(context: WriteContext, type: string, externalIdField: string, input: Record<string, unknown>): WriteOutcome {
  const rawKey = input[externalIdField];
  const key = rawKey === null || rawKey === undefined ? '' : String(rawKey);
  if (key === '') return failure('MISSING_ARGUMENT', `${externalIdField} not specified`, [externalIdField]);
  const rejection = validationRejection(context, key);
  if (rejection) return rejection;
  const changes = coerceAll(context, type, input);
  if (!changes.ok) return changes.outcome;
  const matches = context.org.findByExternalId(type, externalIdField, key);
  if (matches.length > 1) return failure('DUPLICATE_EXTERNAL_ID', `${externalIdField}: more than one record found for external id field: [${matches.join(', ')}]`, [externalIdField]);
  const existing = matches[0] === undefined ? undefined : context.org.get(matches[0]);
  if (existing) {
    context.org.update(existing, changes.values, context.journal);
    return { success: true, id: existing.Id, created: false };
  }
  const created = context.org.insert(type, { ...changes.values, [externalIdField]: key }, context.journal);
  return { success: true, id: created.Id, created: true };
}

/** Insert (POST /composite/sobjects, Bulk `insert`): always a new record, so a repeated insert duplicates. */
export function insertRecord(context: WriteContext, type: string, input: Record<string, unknown>): WriteOutcome {
  if (type === 'CampaignMember') return insertCampaignMember(context, input);
  if (type === 'Campaign' && (typeof input.Name !== 'string' || input.Name === '')) return failure('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', ['Name']);
  for (const key of externalKeysOf(context, type, input)) {
    const rejection = validationRejection(context, key);
    if (rejection) return rejection;
  }
  const changes = coerceAll(context, type, input);
  if (!changes.ok) return changes.outcome;
  const created = context.org.insert(type, { ...(type === 'Campaign' ? { IsActive: false } : {}), ...changes.values }, context.journal);
  return { success: true, id: created.Id, created: true };
}

/** Update by record id (Bulk `update`). */
export function updateRecordById(context: WriteContext, type: string, id: string, input: Record<string, unknown>): WriteOutcome {
  const existing = findLive(context, id, type);
  if ('error' in existing) return existing.error;
  for (const key of externalKeysOf(context, type, existing.record.fields)) {
    const rejection = validationRejection(context, key);
    if (rejection) return rejection;
  }
  const changes = coerceAll(context, type, input);
  if (!changes.ok) return changes.outcome;
  context.org.update(existing.record, changes.values, context.journal);
  return { success: true, id, created: false };
}

export function deleteRecordById(context: WriteContext, id: string): WriteOutcome {
  const existing = findLive(context, id);
  if ('error' in existing) return existing.error;
  context.org.remove(id, context.journal);
  return { success: true, id, created: false };
}

function insertCampaignMember(context: WriteContext, input: Record<string, unknown>): WriteOutcome {
  const campaignId = input.CampaignId;
  if (typeof campaignId !== 'string' || campaignId === '') return failure('REQUIRED_FIELD_MISSING', 'Required fields are missing: [CampaignId]', ['CampaignId']);
  const personField = typeof input.ContactId === 'string' ? 'ContactId' : typeof input.LeadId === 'string' ? 'LeadId' : undefined;
  if (!personField) return failure('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ContactId, LeadId]', ['ContactId', 'LeadId']);
  const campaign = findLive(context, campaignId, 'Campaign', 'CampaignId');
  if ('error' in campaign) return campaign.error;
  const personId = String(input[personField]);
  const person = findLive(context, personId, personField === 'ContactId' ? 'Contact' : 'Lead', personField);
  if ('error' in person) return person.error;
  if (context.org.memberId(campaignId, personId)) return failure('DUPLICATE_VALUE', 'Already a campaign member.');
  const status = typeof input.Status === 'string' ? input.Status : 'Sent';
  const created = context.org.insert('CampaignMember', { CampaignId: campaignId, [personField]: personId, Status: status }, context.journal);
  return { success: true, id: created.Id, created: true };
}

function findLive(context: WriteContext, id: string, type?: string, field?: string): { record: StoredRecord } | { error: WriteOutcome } {
  const fields = field ? [field] : [];
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return { error: failure('MALFORMED_ID', `malformed id ${id}`, fields) };
  if (context.org.wasDeleted(id)) return { error: failure('ENTITY_IS_DELETED', 'entity is deleted', fields) };
  const record = context.org.get(id);
  if (!record || (type !== undefined && record.type !== type)) return { error: failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', fields) };
  return { record };
}

/** A validation rule the test asked for (FaultPlan.rejectKeys), as an admin-authored rule would answer. */
function validationRejection(context: WriteContext, key: string): WriteOutcome | undefined {
  if (!context.faults.rejects(key)) return undefined;
  context.stats.rejectedRecords += 1;
  return failure('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Records from this source are blocked by the validation rule Block_Test_Profiles.');
}

function externalKeysOf(context: WriteContext, type: string, fields: Record<string, unknown>): string[] {
  if (!isPersonObject(type)) return [];
  const definitions = context.org.schema.get(type)?.fields.values() ?? [];
  return [...definitions].filter((field) => field.externalId && typeof fields[field.name] === 'string').map((field) => String(fields[field.name]));
}

function coerceAll(context: WriteContext, type: string, input: Record<string, unknown>): { ok: true; values: Record<string, unknown> } | { ok: false; outcome: WriteOutcome } {
  const definitions = context.org.schema.get(type)?.fields;
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(input)) {
    const field = definitions?.get(name);
    if (!field) return { ok: false, outcome: failure('INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`, [name]) };
    if (field.readOnly) return { ok: false, outcome: failure('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [name]) };
    const coerced = coerceFieldValue(field, raw, context.source);
    if (!coerced.ok) {
      context.stats.rejectedRecords += 1;
      return { ok: false, outcome: failure('INVALID_TYPE_ON_FIELD_IN_RECORD', coerced.message, [name]) };
    }
    if ('value' in coerced) values[name] = coerced.value;
  }
  return { ok: true, values };
}
