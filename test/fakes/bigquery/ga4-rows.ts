import { GA4_EXPORT_SCHEMA, type SchemaField } from './ga4-export-schema.js';

/**
 * Hand-written GA4 export rows (no public dump of real rows exists; see
 * vendor-facts §5), shaped as the export documents them, and their NDJSON
 * spelling as `bq extract --destination_format NEWLINE_DELIMITED_JSON`
 * writes it: INT64 as strings, FLOAT as numbers, NULL fields left out.
 */
export type Ga4TestRow = Record<string, unknown>;

export interface RowSpec {
  day: string;
  /** Seconds after midnight UTC of `day` (plus micros, so timestamps are µs-precise). */
  second: number;
  name: string;
  pseudoId?: string | null;
  userId?: string | null;
  sessionId?: number;
  params?: Record<string, string | number>;
  items?: Array<Record<string, unknown>>;
  ecommerce?: Record<string, unknown>;
  privacy?: { analytics_storage: 'Yes' | 'No' | null; ads_storage: 'Yes' | 'No' | null };
}

export function ga4Row(spec: RowSpec): Ga4TestRow {
  const midnight = Date.UTC(Number(spec.day.slice(0, 4)), Number(spec.day.slice(4, 6)) - 1, Number(spec.day.slice(6, 8)));
  const micros = BigInt(midnight) * 1000n + BigInt(spec.second) * 1_000_000n + 123n;
  const params: Array<{ key: string; value: Record<string, unknown> }> = [];
  if (spec.sessionId !== undefined) params.push({ key: 'ga_session_id', value: { int_value: spec.sessionId } });
  for (const [key, value] of Object.entries(spec.params ?? {})) {
    params.push({ key, value: typeof value === 'string' ? { string_value: value } : Number.isInteger(value) ? { int_value: value } : { double_value: value } });
  }
  return {
    event_date: spec.day,
    event_timestamp: micros.toString(),
    event_name: spec.name,
    event_params: params,
    event_bundle_sequence_id: 7,
    user_id: spec.userId ?? null,
    user_pseudo_id: spec.pseudoId === undefined ? '1234567890.1700000000' : spec.pseudoId,
    privacy_info: spec.privacy === undefined ? null : { ...spec.privacy, uses_transient_token: 'No' },
    user_properties: [],
    device: { category: 'desktop', operating_system: 'Windows', language: 'en-us', web_info: { browser: 'Chrome', browser_version: '120.0', hostname: 'shop.example' } },
    geo: { continent: 'Europe', country: 'France', region: 'Ile-de-France', city: 'Paris' },
    traffic_source: { name: '(direct)', medium: '(none)', source: '(direct)' },
    stream_id: '2100450278',
    platform: 'WEB',
    ecommerce: spec.ecommerce ?? null,
    items: spec.items ?? [],
  };
}

/** One row as a `bq extract` NDJSON line. */
export function extractLine(row: Ga4TestRow): string {
  return JSON.stringify(extractValue(GA4_EXPORT_SCHEMA.fields, row));
}

function extractValue(fields: readonly SchemaField[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = row[field.name];
    if (value === null || value === undefined) continue;
    out[field.name] = field.mode === 'REPEATED' ? (value as unknown[]).map((item) => scalar(field, item)) : scalar(field, value);
  }
  return out;
}

function scalar(field: SchemaField, value: unknown): unknown {
  if (field.type === 'RECORD') return extractValue(field.fields ?? [], value as Record<string, unknown>);
  if (field.type === 'INTEGER') return String(value);
  if (field.type === 'FLOAT') return Number(value);
  return value;
}
