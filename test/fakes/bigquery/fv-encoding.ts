import type { SchemaField } from './ga4-export-schema.js';

/**
 * The REST wire format of tabledata.list and query results: a row is
 * `{f: [{v}, …]}` in schema order; every scalar is a string (INTEGER "12",
 * FLOAT "1.5"); a RECORD is `{v: {f: […]}}`; a REPEATED field is
 * `{v: [{v: …}, …]}` (an empty array when unset, never null); a NULL is
 * `{v: null}`. https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list
 */
export type WireCell = { v: WireValue };
export type WireValue = string | null | { f: WireCell[] } | WireCell[];

export function encodeRow(fields: readonly SchemaField[], row: Record<string, unknown>): { f: WireCell[] } {
  return { f: fields.map((field) => ({ v: encodeField(field, row[field.name]) })) };
}

function encodeField(field: SchemaField, value: unknown): WireValue {
  if (field.mode === 'REPEATED') {
    const items = Array.isArray(value) ? value : [];
    return items.map((item) => ({ v: encodeScalarOrRecord(field, item) }));
  }
  return encodeScalarOrRecord(field, value);
}

function encodeScalarOrRecord(field: SchemaField, value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (field.type === 'RECORD') return encodeRow(field.fields ?? [], value as Record<string, unknown>);
  if (field.type === 'BOOLEAN') return value ? 'true' : 'false';
  return String(value);
}
