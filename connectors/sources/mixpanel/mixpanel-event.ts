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
  const consent = mixpanelConsent(record);
  if (consent !== null) context.consent = consent;
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

/** Properties a project may use to record an opt-out (Mixpanel has no standard exported one). */
export const MIXPANEL_OPT_OUT_PROPERTIES = ['$opt_out', '$mp_opt_out', 'mp_opt_out'] as const;

/** The event mixpanel-js and the mobile SDKs track on opt_in_tracking() (track_event_name's default). */
export const MIXPANEL_OPT_IN_EVENT = '$opt_in';

/**
 * Mixpanel's consent, in Segment's shape (core/privacy/consent-decision.ts):
 *
 * - an opted-out user sends nothing through the SDKs, so an export holds an
 *   opt-out only where the project records it as a property
 *   (MIXPANEL_OPT_OUT_PROPERTIES set to true, "true" or 1): Segment's empty
 *   `categoryPreferences`, every category denied;
 * - opt_in_tracking() tracks `$opt_in`: a consent object without
 *   categories, which lifts an earlier opt-out (the latest consent wins) and
 *   reads as "no consent data". Mixpanel's opt-in names no category, so
 *   with `privacy.consent.required: true` it grants nothing: pair Mixpanel
 *   with a CMP (Segment consent) to grant categories.
 */
export function mixpanelConsent(record: MixpanelRecord): JsonObject | null {
  const optedOut = MIXPANEL_OPT_OUT_PROPERTIES.some((name) => {
    const value = record.properties[name];
    return value === true || value === 1 || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
  });
  if (optedOut) return { categoryPreferences: {} };
  if (record.event === MIXPANEL_OPT_IN_EVENT) return { mixpanelOptIn: true };
  return null;
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
