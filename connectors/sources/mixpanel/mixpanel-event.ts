import type { CanonicalEvent, JsonObject, JsonValue } from '../../../core/events/canonical-event.js';
import { mixpanelMessageId } from './message-id.js';

/** One exported line after its shape was checked: `{"event": …, "properties": {"time": …, …}}`. */
export interface MixpanelRecord {
  event: string;
  properties: JsonObject;
}

export type Mapped = { ok: true; event: CanonicalEvent } | { ok: false; reason: string };

const DEVICE_PREFIX = '$device:';

/**
 * `time` is epoch seconds unless the export asked for time_in_ms (or the
 * event was imported in ms). 1e11 seconds is the year 5138, 1e11 ms is
 * March 1973, and Mixpanel refuses events before 1971: the magnitude tells
 * them apart with no ambiguity over any date Mixpanel stores.
 */
export function timeToMs(time: number): number {
  return Math.round(time < 1e11 ? time * 1_000 : time);
}

/** Latest time accepted (the year 5138 in ms): anything larger is not a time Mixpanel stores. */
const MAX_TIME_MS = 1e14;

/**
 * Simplified ID Merge (vendor-facts.md §4): `$user_id` is the user, and
 * `$device_id` (or a `$device:<id>` distinct_id) the anonymous device. An
 * event carrying both links them in identity stitching (userId + anonymousId
 * on one event join one profile). A plain distinct_id with neither property
 * (server-side tracking) is the user, unless it equals `$device_id` (the
 * anonymous id of projects on Original ID Merge).
 */
export function identitiesOf(properties: JsonObject): { userId: string | null; anonymousId: string | null; deviceId: string | null } {
  let userId = idText(properties.$user_id);
  const deviceId = idText(properties.$device_id);
  // `$anon_id`: the anonymous id an Original ID Merge `$identify` event links to its distinct_id.
  let anonymousId = deviceId ?? idText(properties.$anon_id);
  const distinctId = idText(properties.distinct_id);
  if (distinctId !== null) {
    if (distinctId.startsWith(DEVICE_PREFIX)) anonymousId ??= idText(distinctId.slice(DEVICE_PREFIX.length));
    else if (userId === null && distinctId !== deviceId) userId = distinctId;
  }
  return { userId, anonymousId, deviceId };
}

/** Maps a shape-checked record to the canonical event; the reason says why when it cannot be one. */
export function toCanonicalEvent(record: MixpanelRecord, projectId: string): Mapped {
  const { properties } = record;
  const time = properties.time;
  if (typeof time !== 'number' || !Number.isFinite(time)) return { ok: false, reason: `properties.time must be a number (epoch seconds or ms), got ${describeValue(time)}` };
  if (time <= 0) return { ok: false, reason: `properties.time must be positive, got ${time}` };
  const timestamp = timeToMs(time);
  if (timestamp > MAX_TIME_MS) return { ok: false, reason: `properties.time ${time} is beyond any date Mixpanel stores` };
  const ids = identitiesOf(properties);
  if (ids.userId === null && ids.anonymousId === null) {
    return { ok: false, reason: 'no identity: properties.distinct_id, $user_id and $device_id are all missing or empty' };
  }
  const processed = properties.mp_processing_time_ms;
  const context: JsonObject = {};
  // Opted-out users send nothing through the SDKs; a project that still
  // records the choice (a $mp_opt_out flag) gets Segment's "no category
  // consented", so sinks with consent_categories skip the profile.
  if (properties.$mp_opt_out === true || properties.$opt_out === true) context.consent = { categoryPreferences: {} };
  return {
    ok: true,
    event: {
      messageId: mixpanelMessageId({
        projectId, event: record.event, timeMs: timestamp, distinctId: idText(properties.distinct_id), insertId: idText(properties.$insert_id), properties,
      }),
      type: 'track',
      event: record.event,
      ...ids,
      previousId: null,
      timestamp,
      receivedAt: typeof processed === 'number' && Number.isFinite(processed) && processed > 0 ? Math.round(processed) : null,
      revenue: revenueOf(properties),
      orderId: idText(properties.order_id) ?? idText(properties.orderId) ?? idText(properties.transaction_id),
      category: typeof properties.category === 'string' && properties.category !== '' ? properties.category : null,
      properties,
      traits: {},
      context,
    },
  };
}

/**
 * Same lifting order as the Segment normalizer (revenue, else total, else
 * the products), plus `$amount`, Mixpanel's own revenue property. Mixpanel
 * does not type properties, so "19.99" counts as 19.99; anything else is no
 * revenue (the property itself is kept as it came).
 */
function revenueOf(properties: JsonObject): number | null {
  for (const name of ['revenue', 'total', '$amount']) {
    const value = amount(properties[name]);
    if (value !== null) return value;
  }
  const products = properties.products;
  if (!Array.isArray(products) || products.length === 0) return null;
  let sum = 0;
  for (const product of products) {
    if (typeof product !== 'object' || product === null || Array.isArray(product)) return null;
    const price = amount(product.price);
    if (price === null) return null;
    sum += price * (amount(product.quantity) ?? 1);
  }
  return Math.round(sum * 10_000) / 10_000;
}

function amount(value: JsonValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** An identifier: a non-empty string, or a number written as text (Mixpanel accepts numeric ids). */
function idText(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function describeValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
