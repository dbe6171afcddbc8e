import { MarketoRequestError, assertBatchSize, success } from './envelope.js';
import { CREATABLE_DATA_TYPES, STRING_FIELD_LENGTH, type LeadDataType } from './lead-store.js';
import { planLeadSync } from './lead-sync.js';
import { DEFAULT_LEAD_FIELDS, commaList, inputIds, leadOutput, type RouteHandler } from './route-context.js';

/** Lead Database routes: describe, field creation, sync, query, delete. */

export const describeLeads: RouteHandler = async ({ leads, requestId, latency }) => {
  await latency();
  const result = leads.fields().map((field) => ({
    id: field.id,
    displayName: field.displayName,
    dataType: field.dataType,
    ...(field.length === undefined ? {} : { length: field.length }),
    rest: { name: field.name, readOnly: field.readOnly },
    soap: { name: field.name.charAt(0).toUpperCase() + field.name.slice(1), readOnly: field.readOnly },
  }));
  return success(requestId, result);
};

type FieldInput = { name?: unknown; displayName?: unknown; dataType?: unknown };

/**
 * `POST /rest/v1/leads/schema/fields.json` (Create Lead Fields): what an admin does in Field Management.
 * A `dataType` outside the documented enum fails the whole request before any field is made. The docs
 * name no code for it; 1003 "Invalid data" is the documented one for "data submitted is not a valid
 * type for the given endpoint" (rest-api/error-codes.md).
 */
export const createLeadFields: RouteHandler = async ({ request, leads, requestId, latency }) => {
  const input = (request.body as { input?: unknown } | undefined)?.input;
  if (!Array.isArray(input) || input.length === 0) throw new MarketoRequestError('1003', 'Invalid value: input must be a non-empty array of fields');
  assertBatchSize(input.length, 'input');
  const specs = input.map((item: unknown) => (typeof item === 'object' && item !== null ? item : {}) as FieldInput);
  const refused = specs.find((spec) => typeof spec.dataType !== 'string' || !CREATABLE_DATA_TYPES.has(spec.dataType));
  if (refused) throw new MarketoRequestError('1003', `Invalid data: dataType '${String(refused.dataType)}' is not one of ${[...CREATABLE_DATA_TYPES].join(', ')}`);
  await latency();
  const result = specs.map((spec) => {
    const name = typeof spec.name === 'string' ? spec.name : '';
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return { name, status: 'skipped', reasons: [{ code: '1003', message: 'Invalid value for field name' }] };
    const dataType = spec.dataType as LeadDataType;
    const displayName = typeof spec.displayName === 'string' && spec.displayName.length > 0 ? spec.displayName : name;
    const created = leads.addField({ name, displayName, dataType, ...(dataType === 'string' ? { length: STRING_FIELD_LENGTH } : {}) });
    return created ? { name, status: 'created' } : { name, status: 'skipped', reasons: [{ code: '1005', message: 'Field already exists' }] };
  });
  return success(requestId, result);
};

export const syncLeads: RouteHandler = async ({ request, leads, faults, stats, requestId, latency }) => {
  const planned = planLeadSync(request.body, { store: leads, rejects: (key) => faults.rejects(key) });
  // Lookups happened on arrival; writes land after the latency (see lead-sync.ts on duplicates).
  await latency();
  stats.rejectedRecords += planned.rejected;
  return success(requestId, planned.commit());
};

export const getLeads: RouteHandler = async ({ request, leads, requestId, latency }) => {
  const filterType = request.query.get('filterType');
  if (!filterType || (filterType !== 'id' && !leads.field(filterType))) throw new MarketoRequestError('1003', `Invalid value for filterType: ${filterType ?? '(missing)'}`);
  const values = commaList(request.query.get('filterValues'));
  if (values.length === 0) throw new MarketoRequestError('1003', 'Invalid value: filterValues is empty');
  assertBatchSize(values.length, 'filterValues');
  const fieldNames = request.query.has('fields') ? commaList(request.query.get('fields')) : DEFAULT_LEAD_FIELDS;
  await latency();
  const seen = new Set<number>();
  const result: Record<string, unknown>[] = [];
  for (const value of values) {
    for (const lead of leads.find(filterType, filterType === 'id' ? Number(value) : value)) {
      if (seen.has(lead.id)) continue;
      seen.add(lead.id);
      result.push(leadOutput(lead, fieldNames));
    }
  }
  return success(requestId, result);
};

export const deleteLeads: RouteHandler = async ({ request, leads, lists, requestId, latency }) => {
  const ids = inputIds(request);
  if (ids.length === 0) throw new MarketoRequestError('1003', 'Invalid value: input is empty');
  assertBatchSize(ids.length, 'input');
  await latency();
  const result = ids.map((id) => {
    if (typeof id !== 'number' || !leads.delete(id)) return { id, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] };
    lists.forgetLead(id);
    return { id, status: 'deleted' };
  });
  return success(requestId, result);
};
