import type { CanonicalEvent, JsonObject, JsonValue } from '../../../core/events/canonical-event.js';
import { consentFromPrivacyInfo } from './ga4-consent.js';
import { ecommerceProperties, GA4_ECOMMERCE_EVENTS } from './ga4-ecommerce.js';
import { ga4MessageId } from './ga4-message-id.js';
import { flattenParams } from './ga4-params.js';
import { parseGa4Row, type Ga4Row } from './ga4-row.js';

export interface Ga4MappingOptions {
  /** The injected clock (ms): rows further in the future than maxFutureMs are rejected. */
  now: number;
  /** @default 86_400_000 (24 h, as for Segment events) */
  maxFutureMs?: number;
  /** Earlier rows are rejected (a timestamp in seconds or ms read as µs). @default 2000-01-01 */
  minTimestamp?: number;
}

export type Ga4EventResult = { ok: true; event: CanonicalEvent } | { ok: false; reason: string };

const DAY_MS = 86_400_000;
const YEAR_2000 = Date.UTC(2000, 0, 1);

/** Parse and map one decoded row (a BigQuery row object or a parsed NDJSON line). Never throws. */
export function ga4RecordToEvent(input: unknown, options: Ga4MappingOptions): Ga4EventResult {
  const parsed = parseGa4Row(input);
  return parsed.ok ? mapGa4Row(parsed.row, options) : parsed;
}

/**
 * One GA4 export row → one canonical `track` event, named by the Segment
 * e-commerce spec where GA4 has a recommended equivalent. Pure.
 */
export function mapGa4Row(row: Ga4Row, options: Ga4MappingOptions): Ga4EventResult {
  if (row.user_id === null && row.user_pseudo_id === null) {
    return { ok: false, reason: 'neither user_id nor user_pseudo_id is set (a consent-mode cookieless ping?): no profile to attach the event to' };
  }
  const timestamp = microsToMillis(row.event_timestamp);
  const minimum = options.minTimestamp ?? YEAR_2000;
  if (timestamp < minimum) {
    return { ok: false, reason: `event_timestamp ${row.event_timestamp} (µs) is ${iso(timestamp)}, before ${iso(minimum).slice(0, 10)}: GA4 writes microseconds; was it seconds or milliseconds?` };
  }
  if (timestamp > options.now + (options.maxFutureMs ?? DAY_MS)) {
    return { ok: false, reason: `event_timestamp ${row.event_timestamp} (µs) is ${iso(timestamp)}, ${Math.ceil((timestamp - options.now) / DAY_MS)} day(s) in the future` };
  }

  const params = flattenParams(row.event_params);
  const canonicalName = GA4_ECOMMERCE_EVENTS[row.event_name];
  const properties: JsonObject = canonicalName === undefined ? { ...params } : { ...params, ...ecommerceProperties(row, params) };
  const session = params.ga_session_id;
  // ga_session_id is unique per device, not globally: the pair names the session.
  if ((typeof session === 'number' || typeof session === 'string') && row.user_pseudo_id !== null) {
    properties.session_id = `${row.user_pseudo_id}.${session}`;
  }
  const hot = hotFields(properties);
  return {
    ok: true,
    event: {
      messageId: ga4MessageId(row),
      type: 'track',
      event: canonicalName ?? row.event_name,
      userId: row.user_id,
      anonymousId: row.user_pseudo_id,
      deviceId: null,
      previousId: null,
      timestamp,
      receivedAt: null,
      revenue: hot.revenue,
      orderId: hot.orderId,
      category: hot.category,
      properties,
      traits: flattenParams(row.user_properties),
      context: contextOf(row),
    },
  };
}

/** µs (digit string) → ms, without going through a double first. */
export function microsToMillis(micros: string): number {
  return Number(BigInt(micros) / 1000n);
}

/** The Segment normalizer's lifting rule (revenue, else total, else Σ price × quantity; first category). */
function hotFields(properties: JsonObject): { revenue: number | null; orderId: string | null; category: string | null } {
  const products = Array.isArray(properties.products) ? (properties.products as JsonObject[]) : [];
  let revenue = numberOrNull(properties.revenue) ?? numberOrNull(properties.total);
  if (revenue === null && products.length > 0) {
    const sum = products.reduce((total, product) => total + (numberOrNull(product.price) ?? 0) * (numberOrNull(product.quantity) ?? 1), 0);
    // Summing floats (2.55 × 6 + …) leaves noise in the last digits.
    revenue = Math.round(sum * 10_000) / 10_000;
  }
  const firstCategory = products.find((product) => typeof product.category === 'string')?.category;
  const category = typeof properties.category === 'string' ? properties.category : typeof firstCategory === 'string' ? firstCategory : null;
  const orderId = typeof properties.order_id === 'string' ? properties.order_id : null;
  return { revenue, orderId, category };
}

function contextOf(row: Ga4Row): JsonObject {
  const context: JsonObject = {};
  const consent = consentFromPrivacyInfo(row.privacy_info);
  if (consent !== null) context.consent = consent;
  const device = row.device;
  if (device !== null) {
    put(context, 'device', compact({ type: device.category, manufacturer: device.mobile_brand_name, model: device.mobile_model_name }));
    put(context, 'os', compact({ name: device.operating_system, version: device.operating_system_version }));
    if (device.language !== null) context.locale = device.language;
  }
  if (row.geo !== null) put(context, 'location', compact({ country: row.geo.country, region: row.geo.region, city: row.geo.city }));
  put(context, 'ga4', compact({
    event_date: row.event_date,
    platform: row.platform,
    stream_id: row.stream_id,
    // traffic_source is the user's first touch, not this event's campaign.
    first_touch: row.traffic_source === null ? null : compact({ ...row.traffic_source }),
  }));
  return context;
}

function compact(fields: Record<string, JsonValue | null>): JsonObject | null {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null) out[key] = value;
  return Object.keys(out).length === 0 ? null : out;
}

function put(target: JsonObject, key: string, value: JsonObject | null): void {
  if (value !== null) target[key] = value;
}

function numberOrNull(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}
