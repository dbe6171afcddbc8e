import type { OrgState, StoredRecord } from './org-state.js';
import { parseSoql, SoqlSyntaxError, type SoqlQuery } from './soql-parser.js';

export type QueryAnswer =
  | { ok: true; body: { totalSize: number; done: true; records: Array<Record<string, unknown>> } }
  | { ok: false; errorCode: 'MALFORMED_QUERY' | 'INVALID_TYPE' | 'INVALID_FIELD'; message: string };

/**
 * Runs one `GET /query?q=` against the org. Every result fits one page here
 * (the shapes a sync emits return at most a few hundred rows), so `done` is
 * always true and no `nextRecordsUrl` is issued.
 */
export function runSoql(org: OrgState, soql: string, apiPath: string): QueryAnswer {
  let query: SoqlQuery;
  try {
    query = parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlSyntaxError) return { ok: false, errorCode: 'MALFORMED_QUERY', message: `\n${soql}\n^\nERROR at Row:1:Column:1\n${error.message}` };
    throw error;
  }
  const object = org.schema.get(query.object);
  if (!object) {
    return { ok: false, errorCode: 'INVALID_TYPE', message: `sObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.` };
  }
  for (const field of [...query.fields, ...query.conditions.map((condition) => condition.field)]) {
    if (!object.fields.has(field)) {
      return { ok: false, errorCode: 'INVALID_FIELD', message: `No such column '${field}' on entity '${query.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.` };
    }
  }
  const matches = candidates(org, query).filter((record) => query.conditions.every((condition) => condition.values.some((value) => valueOf(record, condition.field) === value)));
  const limited = query.limit === undefined ? matches : matches.slice(0, query.limit);
  const records = limited.map((record) => {
    const row: Record<string, unknown> = { attributes: { type: record.type, url: `${apiPath}/sobjects/${record.type}/${record.Id}` } };
    for (const field of query.fields) row[field] = valueOf(record, field) ?? null;
    return row;
  });
  return { ok: true, body: { totalSize: records.length, done: true, records } };
}

/** Narrows the scan with the indexes Salesforce would use (Id, external ids, campaign membership). */
function candidates(org: OrgState, query: SoqlQuery): StoredRecord[] {
  const fields = org.schema.get(query.object)?.fields;
  for (const condition of query.conditions) {
    const strings = condition.values.filter((value): value is string => typeof value === 'string');
    if (condition.field === 'Id') return strings.flatMap((id) => live(org, [id], query.object));
    if (fields?.get(condition.field)?.externalId) return strings.flatMap((value) => live(org, org.findByExternalId(query.object, condition.field, value), query.object));
    if (query.object === 'CampaignMember' && ['CampaignId', 'ContactId', 'LeadId'].includes(condition.field)) {
      return strings.flatMap((owner) => live(org, org.membersOf(owner), query.object));
    }
  }
  return [...org.ofType(query.object)];
}

function live(org: OrgState, ids: string[], type: string): StoredRecord[] {
  return ids.map((id) => org.get(id)).filter((record): record is StoredRecord => record?.type === type);
}

function valueOf(record: StoredRecord, field: string): unknown {
  return field === 'Id' ? record.Id : record.fields[field];
}
