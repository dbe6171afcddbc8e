/**
 * The SOQL this sink sends, built in one place: values are quoted and
 * escaped here, and `IN (…)` lists are split so each GET stays far below
 * Salesforce's 16 KB URI limit.
 */

/** A SOQL string literal: backslash and quote escaped. */
export function soqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t')}'`;
}

/** Most values per `IN (…)`. */
export const SOQL_IN_MAX_VALUES = 200;
/** Budget for the URL-encoded `IN` list; the rest of the query and URL fit in what is left of 16 KB. */
const SOQL_IN_MAX_ENCODED_CHARS = 12_000;

/** Splits values into `IN` lists of at most 200 values and ~12 KB once URL-encoded. */
export function chunkForSoqlIn(values: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const value of values) {
    const cost = encodeURIComponent(soqlString(value)).length + 3;
    if (current.length > 0 && (current.length >= SOQL_IN_MAX_VALUES || size + cost > SOQL_IN_MAX_ENCODED_CHARS)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(value);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function inList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

export function recordsByExternalIdQuery(object: string, externalIdField: string, keys: readonly string[]): string {
  return `SELECT Id, ${externalIdField} FROM ${object} WHERE ${externalIdField} IN ${inList(keys)}`;
}

export function campaignsByNameQuery(names: readonly string[]): string {
  return `SELECT Id, Name FROM Campaign WHERE Name IN ${inList(names)}`;
}

export function campaignMembersQuery(campaignId: string, personField: 'ContactId' | 'LeadId', personIds: readonly string[]): string {
  return `SELECT Id, ${personField} FROM CampaignMember WHERE CampaignId = ${soqlString(campaignId)} AND ${personField} IN ${inList(personIds)}`;
}
