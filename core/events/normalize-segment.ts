import { createHash } from 'node:crypto';
import { EVENT_TYPES, type CanonicalEvent, type EventType, type JsonObject, type JsonValue } from './canonical-event.js';
import { correctedTimestamp, parseIsoTime, typeName } from './segment-timestamp.js';

export interface NormalizeOptions {
  /** Current time (ms). */
  now: number;
  /** Events further than this in the future are rejected. @default 24 h */
  maxFutureMs?: number;
  /** Events before this are rejected (usually epoch seconds sent as ms). @default 2000-01-01 */
  minTimestamp?: number;
}

export type NormalizeResult = { ok: true; event: CanonicalEvent } | { ok: false; reason: string };

const DAY_MS = 86_400_000;
const YEAR_2000 = Date.UTC(2000, 0, 1);
const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * Turns one parsed Segment-spec message into a canonical event, or says why
 * not. Never throws on user data: every rejection is a sentence a user can act
 * on, naming the field.
 */
export function normalizeSegmentMessage(input: unknown, options: NormalizeOptions, rawForId?: string): NormalizeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(`expected a JSON object, got ${typeName(input)}`);
  }
  const message = input as Record<string, unknown>;

  const type = message.type;
  if (typeof type !== 'string') return fail(type === undefined ? 'missing field "type"' : `"type" must be a string, got ${typeName(type)}`);
  if (!TYPES.has(type)) return fail(`unknown type "${type}" (expected one of ${EVENT_TYPES.join(', ')})`);

  const ids: Record<'userId' | 'anonymousId' | 'previousId', string | null> = { userId: null, anonymousId: null, previousId: null };
  for (const field of ['userId', 'anonymousId', 'previousId'] as const) {
    const value = identifier(message[field]);
    if (typeof value === 'object' && value !== null) return fail(`"${field}" ${value.reason}`);
    ids[field] = value;
  }

  const properties = objectField(message, 'properties');
  if ('reason' in properties) return fail(properties.reason);
  const traitsTop = objectField(message, 'traits');
  if ('reason' in traitsTop) return fail(traitsTop.reason);
  const context = objectField(message, 'context');
  if ('reason' in context) return fail(context.reason);
  const contextTraits = context.value.traits;
  const traits: JsonObject =
    Object.keys(traitsTop.value).length > 0
      ? traitsTop.value
      : isObject(contextTraits) ? (contextTraits as JsonObject) : {};

  const device = context.value.device;
  const deviceIdRaw = isObject(device) ? identifier((device as JsonObject).id) : null;
  const deviceId = typeof deviceIdRaw === 'string' ? deviceIdRaw : null;

  if (ids.userId === null && ids.anonymousId === null) {
    return fail('missing identity: neither "userId" nor "anonymousId" is set');
  }
  if (type === 'alias' && ids.previousId === null) return fail('alias without "previousId"');

  let name: string | null = null;
  if (type === 'track') {
    if (typeof message.event !== 'string' || message.event.trim() === '') {
      return fail(message.event === undefined ? 'track without "event" name' : `"event" must be a non-empty string, got ${typeName(message.event)}`);
    }
    name = message.event;
  } else if ((type === 'page' || type === 'screen') && typeof message.name === 'string') {
    name = message.name;
  }

  const times = { timestamp: 0, originalTimestamp: 0, sentAt: 0, receivedAt: 0 } as Record<string, number | null>;
  for (const field of ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt']) {
    const parsed = parseIsoTime(message[field], `"${field}"`);
    if (typeof parsed === 'object' && parsed !== null) return fail(parsed.reason);
    times[field] = parsed;
  }
  const timestamp = correctedTimestamp({
    timestamp: times.timestamp ?? null,
    originalTimestamp: times.originalTimestamp ?? null,
    sentAt: times.sentAt ?? null,
    receivedAt: times.receivedAt ?? null,
  });
  if (timestamp === null) return fail('missing "timestamp" (and no originalTimestamp/receivedAt to fall back on)');
  const maxFuture = options.now + (options.maxFutureMs ?? DAY_MS);
  if (timestamp > maxFuture) {
    return fail(`timestamp ${new Date(timestamp).toISOString()} is ${Math.round((timestamp - options.now) / DAY_MS)} days in the future`);
  }
  if (timestamp < (options.minTimestamp ?? YEAR_2000)) {
    return fail(`timestamp ${new Date(timestamp).toISOString()} is before ${new Date(options.minTimestamp ?? YEAR_2000).toISOString().slice(0, 10)}`);
  }

  const hot = hotFields(properties.value);
  if ('reason' in hot) return fail(hot.reason);

  let messageId: string;
  const rawId = message.messageId;
  if (typeof rawId === 'string' && rawId !== '') messageId = rawId;
  else if (rawId === undefined || rawId === null) {
    // Stable derived id: the same line re-read is the same event (dedup holds).
    messageId = `derived-${createHash('sha1').update(rawForId ?? JSON.stringify(message)).digest('hex')}`;
  } else return fail(`"messageId" must be a string, got ${typeName(rawId)}`);

  return {
    ok: true,
    event: {
      messageId,
      type: type as EventType,
      event: name,
      userId: ids.userId,
      anonymousId: ids.anonymousId,
      deviceId,
      previousId: ids.previousId,
      timestamp,
      receivedAt: times.receivedAt ?? null,
      revenue: hot.revenue,
      orderId: hot.orderId,
      category: hot.category,
      properties: properties.value,
      traits,
      context: context.value,
    },
  };
}

function fail(reason: string): NormalizeResult {
  return { ok: false, reason };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Segment accepts numeric ids and stores them as strings; anything else is an error. */
function identifier(value: unknown): string | null | { reason: string } {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return { reason: `must be a string, got ${typeName(value)}` };
}

function objectField(message: Record<string, unknown>, field: string): { value: JsonObject } | { reason: string } {
  const value = message[field];
  if (value === undefined || value === null) return { value: {} };
  if (!isObject(value)) return { reason: `"${field}" must be an object, got ${typeName(value)}` };
  return { value: value as JsonObject };
}

function finiteNumber(value: JsonValue | undefined, field: string): number | null | { reason: string } {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { reason: `${field} is not finite` };
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return { reason: `${field} must be a number, got ${typeName(value)}${typeof value === 'string' ? ` "${value.slice(0, 20)}"` : ''}` };
}

type HotFields = { revenue: number | null; orderId: string | null; category: string | null };

function hotFields(properties: JsonObject): HotFields | { reason: string } {
  let revenue = finiteNumber(properties.revenue, 'properties.revenue');
  if (typeof revenue === 'object' && revenue !== null) return revenue;
  if (revenue === null) {
    revenue = finiteNumber(properties.total, 'properties.total');
    if (typeof revenue === 'object' && revenue !== null) return revenue;
  }
  const products = properties.products;
  let category = typeof properties.category === 'string' ? properties.category : null;
  if (products !== undefined && products !== null) {
    if (!Array.isArray(products)) return { reason: `properties.products must be an array, got ${typeName(products)}` };
    let sum = 0;
    for (let index = 0; index < products.length; index++) {
      const product = products[index];
      if (!isObject(product)) return { reason: `properties.products[${index}] must be an object` };
      const item = product as JsonObject;
      const price = finiteNumber(item.price, `properties.products[${index}].price`);
      if (typeof price === 'object' && price !== null) return price;
      const quantity = finiteNumber(item.quantity ?? 1, `properties.products[${index}].quantity`);
      if (typeof quantity === 'object' && quantity !== null) return quantity;
      sum += (price ?? 0) * (quantity ?? 1);
      if (category === null && typeof item.category === 'string') category = item.category;
    }
    if (revenue === null && products.length > 0) revenue = sum;
  }
  // An empty order_id is no order id (not an error), like an empty userId.
  const rawOrder = (properties.order_id === '' ? null : properties.order_id) ?? properties.orderId;
  let orderId: string | null = null;
  if (typeof rawOrder === 'string' && rawOrder !== '') orderId = rawOrder;
  else if (typeof rawOrder === 'number') orderId = String(rawOrder);
  else if (rawOrder !== undefined && rawOrder !== null && rawOrder !== '') return { reason: `properties.order_id must be a string, got ${typeName(rawOrder)}` };
  return { revenue, orderId, category };
}
