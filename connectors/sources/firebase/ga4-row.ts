import { z } from 'zod';

/**
 * One GA4 BigQuery export row (https://developers.google.com/analytics/bigquery/event-schema),
 * as both readers deliver it: the BigQuery client with INT64 cast to strings,
 * or a `bq extract` NDJSON line (INT64 as strings, FLOAT as numbers, nested
 * records as objects, absent fields omitted or null). The schema accepts
 * both spellings and normalizes INT64 to digit strings, so a row read either
 * way parses to the same value (and the same messageId).
 *
 * Only the fields the mapping reads are declared; the rest are dropped.
 */

const INT64_MESSAGE = 'expected an INT64 (an integer, or a string of digits as BigQuery exports it)';
const FLOAT_MESSAGE = 'expected a finite number (or a numeric string)';

/** INT64 → canonical digit string (no precision lost past 2^53). */
const int64 = z.union(
  [
    z.string().regex(/^-?\d{1,19}$/).transform((value) => BigInt(value).toString()),
    z.number().refine(Number.isSafeInteger).transform((value) => String(value)),
  ],
  { error: INT64_MESSAGE },
);

const float = z.union(
  [
    z.number().refine(Number.isFinite),
    z.string().regex(/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/).transform(Number),
  ],
  { error: FLOAT_MESSAGE },
);

/** GA4 STRING identifiers occasionally arrive as numbers from hand-made exports. */
const text = z.union([z.string(), z.number().refine(Number.isFinite).transform(String)], { error: 'expected a string' });

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);

/** An empty id is no id (as in the Segment normalizer): it must not merge every such row into one profile. */
const identifier = nullable(text).transform((value) => (value === '' ? null : value));

const ParamValueSchema = z.object({
  string_value: nullable(z.string()),
  int_value: nullable(int64),
  float_value: nullable(float),
  double_value: nullable(float),
});

const ParamSchema = z.object({ key: z.string().min(1, 'a parameter key must not be empty'), value: nullable(ParamValueSchema) });

const UserPropertySchema = z.object({
  key: z.string().min(1, 'a user property key must not be empty'),
  value: nullable(ParamValueSchema.extend({ set_timestamp_micros: nullable(int64) })),
});

const storage = nullable(z.enum(['Yes', 'No'], { error: 'expected "Yes" or "No"' }));

const ItemSchema = z.object({
  item_id: nullable(text),
  item_name: nullable(z.string()),
  item_brand: nullable(z.string()),
  item_variant: nullable(z.string()),
  item_category: nullable(z.string()),
  price: nullable(float),
  quantity: nullable(int64),
  item_revenue: nullable(float),
  coupon: nullable(z.string()),
  affiliation: nullable(z.string()),
  item_list_name: nullable(z.string()),
  item_list_index: nullable(text),
});

const EcommerceSchema = z.object({
  transaction_id: nullable(text),
  purchase_revenue: nullable(float),
  refund_value: nullable(float),
  shipping_value: nullable(float),
  tax_value: nullable(float),
  total_item_quantity: nullable(int64),
  unique_items: nullable(int64),
});

const DeviceSchema = z.object({
  category: nullable(z.string()),
  mobile_brand_name: nullable(z.string()),
  mobile_model_name: nullable(z.string()),
  operating_system: nullable(z.string()),
  operating_system_version: nullable(z.string()),
  language: nullable(z.string()),
  web_info: nullable(z.object({ browser: nullable(z.string()), browser_version: nullable(z.string()), hostname: nullable(z.string()) })),
});

export const Ga4RowSchema = z.object({
  event_date: nullable(z.string().regex(/^\d{8}$/, 'expected YYYYMMDD')),
  event_timestamp: int64,
  event_name: z.string({ error: 'expected the event name (a string)' }).min(1, 'must not be empty'),
  event_params: nullable(z.array(ParamSchema)),
  user_id: identifier,
  user_pseudo_id: identifier,
  user_properties: nullable(z.array(UserPropertySchema)),
  privacy_info: nullable(z.object({ analytics_storage: storage, ads_storage: storage, uses_transient_token: nullable(z.string()) })),
  device: nullable(DeviceSchema),
  geo: nullable(z.object({ country: nullable(z.string()), region: nullable(z.string()), city: nullable(z.string()) })),
  traffic_source: nullable(z.object({ name: nullable(z.string()), medium: nullable(z.string()), source: nullable(z.string()) })),
  stream_id: nullable(text),
  platform: nullable(z.string()),
  ecommerce: nullable(EcommerceSchema),
  items: nullable(z.array(ItemSchema)),
});

export type Ga4Row = z.infer<typeof Ga4RowSchema>;
export type Ga4Param = z.infer<typeof ParamSchema>;
export type Ga4ParamValue = z.infer<typeof ParamValueSchema>;
export type Ga4Item = z.infer<typeof ItemSchema>;

export type Ga4RowResult = { ok: true; row: Ga4Row } | { ok: false; reason: string };

const MAX_REPORTED_ISSUES = 3;

/** Parses one decoded row; never throws. The reason names each bad field by its path. */
export function parseGa4Row(input: unknown): Ga4RowResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: `expected a GA4 export row (a JSON object), got ${describe(input)}` };
  }
  const parsed = Ga4RowSchema.safeParse(input);
  if (parsed.success) return { ok: true, row: parsed.data };
  const issues = parsed.error.issues;
  const listed = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => `${fieldPath(issue.path)}: ${issueMessage(issue, input)}`);
  const more = issues.length > MAX_REPORTED_ISSUES ? ` (and ${issues.length - MAX_REPORTED_ISSUES} more)` : '';
  return { ok: false, reason: `${listed.join('; ')}${more}` };
}

/** `event_params[2].value.int_value`, the way a user finds it in the row. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out === '' ? '(row)' : out;
}

function issueMessage(issue: z.core.$ZodIssue, input: object): string {
  const value = valueAt(input, issue.path);
  if (value === undefined) return issue.path.length === 1 ? 'missing (required)' : issue.message;
  return `${issue.message}, got ${describe(value)}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
