import type { SimResponse } from '../../../../core/sync/simulation/index.js';
import { Journal } from './org-state.js';
import { deleteRecordById, insertRecord, upsertRecord, type WriteContext, type WriteOutcome } from './record-writes.js';
import { salesforceError } from './request-gate.js';
import { isPersonObject } from './sobject-schema.js';

/** sObject Collections: at most this many records (or ids) per call. */
export const COLLECTION_LIMIT = 200;

type Context = Omit<WriteContext, 'journal' | 'source'>;

const ROLLED_BACK = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };
const overLimit = () => salesforceError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`);

interface CollectionBody {
  allOrNone: boolean;
  records: Array<Record<string, unknown>>;
}

/** `PATCH /composite/sobjects/{SObject}/{ExternalIdField}`: 200 with one result per record, in order, even when some fail. */
export function upsertCollection(context: Context, type: string, externalIdField: string, body: unknown): SimResponse {
  if (!isPersonObject(type)) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (!context.org.schema.get(type)?.fields.get(externalIdField)?.externalId) {
    return salesforceError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalIdField}`);
  }
  const parsed = parseBody(context, body, type);
  if ('status' in parsed) return parsed;
  // Salesforce refuses to guess which of two same-key records in one call wins.
  const counts = new Map<string, number>();
  for (const record of parsed.records) counts.set(String(record[externalIdField]), (counts.get(String(record[externalIdField])) ?? 0) + 1);
  const outcomes = applyAll(context, parsed, (record, writes) => {
    const key = String(record[externalIdField]);
    if ((counts.get(key) ?? 0) > 1) return { success: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: `Duplicate external id specified: ${key}`, fields: [externalIdField] }] };
    return upsertRecord(writes, type, externalIdField, record);
  });
  return { status: 200, body: outcomes.map((outcome) => (outcome.success ? { id: outcome.id, success: true, errors: [], created: outcome.created } : { success: false, errors: outcome.errors, created: false })) };
}

/** `POST /composite/sobjects`: creates; each record names its type in `attributes.type`. */
export function createCollection(context: Context, body: unknown): SimResponse {
  const parsed = parseBody(context, body);
  if ('status' in parsed) return parsed;
  const outcomes = applyAll(context, parsed, (record, writes, original) => insertRecord(writes, typeOf(original), record));
  return { status: 200, body: outcomes.map(toSaveResult) };
}

/** `DELETE /composite/sobjects?ids=a,b&allOrNone=true`. */
export function deleteCollection(context: Context, idsParameter: string | null, allOrNone: boolean): SimResponse {
  if (!idsParameter) return salesforceError(400, 'MISSING_ARGUMENT', 'ids parameter not specified');
  const ids = idsParameter.split(',');
  if (ids.length > COLLECTION_LIMIT) return overLimit();
  const outcomes = applyAll(context, { allOrNone, records: ids.map((id) => ({ Id: id })) }, (record, writes) => {
    const id = String(record.Id);
    const outcome = deleteRecordById(writes, id);
    return outcome.success ? outcome : { ...outcome, id };
  });
  return { status: 200, body: outcomes.map(toSaveResult) };
}

/** `POST /sobjects/{SObject}`: a single create; 201, or 400 with the record's errors. */
export function createOne(context: Context, type: string, body: unknown): SimResponse {
  if (!context.org.schema.has(type)) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return salesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  const fields: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  delete fields.attributes;
  const unknown = unknownField(context, type, fields);
  if (unknown) return unknown;
  const outcome = insertRecord({ ...context, journal: new Journal(), source: 'json' }, type, fields);
  if (outcome.success) return { status: 201, body: { id: outcome.id, success: true, errors: [] } };
  return { status: 400, body: outcome.errors.map((error) => ({ message: error.message, errorCode: error.statusCode, fields: error.fields })) };
}

function toSaveResult(outcome: WriteOutcome): Record<string, unknown> {
  return outcome.success ? { id: outcome.id, success: true, errors: [] } : { ...(outcome.id ? { id: outcome.id } : {}), success: false, errors: outcome.errors };
}

function applyAll(context: Context, parsed: CollectionBody, write: (fields: Record<string, unknown>, writes: WriteContext, original: Record<string, unknown>) => WriteOutcome): WriteOutcome[] {
  const journal = new Journal();
  const writes: WriteContext = { ...context, journal, source: 'json' };
  const outcomes = parsed.records.map((record) => write(stripAttributes(record), writes, record));
  if (!parsed.allOrNone || outcomes.every((outcome) => outcome.success)) return outcomes;
  journal.rollback();
  return outcomes.map((outcome) => (outcome.success ? { success: false, errors: [ROLLED_BACK] } : outcome));
}

function parseBody(context: Context, body: unknown, expectedType?: string): CollectionBody | SimResponse {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { records?: unknown }).records)) {
    return salesforceError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object with a records array.');
  }
  const { records, allOrNone } = body as { records: unknown[]; allOrNone?: unknown };
  if (records.length > COLLECTION_LIMIT) return overLimit();
  const typed: Array<Record<string, unknown>> = [];
  for (const record of records) {
    if (typeof record !== 'object' || record === null) return salesforceError(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object.');
    const type = typeOf(record as Record<string, unknown>);
    if (!type || !context.org.schema.has(type) || (expectedType !== undefined && type !== expectedType)) {
      return salesforceError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    }
    const unknown = unknownField(context, type, stripAttributes(record as Record<string, unknown>));
    if (unknown) return unknown;
    typed.push(record as Record<string, unknown>);
  }
  return { allOrNone: allOrNone === true, records: typed };
}

/** A field the org lacks fails the whole call (the JSON cannot be deserialized into the sObject). */
function unknownField(context: Context, type: string, fields: Record<string, unknown>): SimResponse | undefined {
  const definitions = context.org.schema.get(type)?.fields;
  const missing = Object.keys(fields).find((name) => !definitions?.has(name));
  return missing === undefined ? undefined : salesforceError(400, 'INVALID_FIELD', `No such column '${missing}' on sobject of type ${type}`);
}

function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes;
  const type = typeof attributes === 'object' && attributes !== null ? (attributes as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : '';
}

function stripAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}
