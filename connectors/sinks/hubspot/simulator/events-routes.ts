import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { type AccountState, type Route, isObject, optionalString } from './account-state.js';
import type { EventOccurrence } from './event-store.js';

/**
 * `POST /events/v3/send` and `/events/v3/send/batch` (vendor-facts.md 1.5):
 * 204 with no body when accepted. The guide says exceeding a limit "fails
 * the request", and the batch answer has no per-input results, so one bad
 * input refuses the whole call (400, HubSpot's VALIDATION_ERROR envelope)
 * and nothing of it is stored. The send endpoints have their own limit,
 * 1,250 requests per second, on top of the account's usual limits.
 */
export const MAX_SEND_INPUTS = 500;
export const MAX_EVENT_PROPERTIES = 50;
export const MAX_EVENT_VALUE_LENGTH = 256;

type Judged = { ok: true; occurrence: EventOccurrence } | { ok: false; response: SimResponse };

function refuse(account: AccountState, where: string, field: string, message: string): Judged {
  const context = { [field]: [message] };
  return { ok: false, response: account.errors.validation(`${where}${message}`, context) };
}

/** One occurrence checked against its definition; `where` prefixes messages in a batch ("inputs[3]: "). */
function judgeOccurrence(raw: unknown, where: string, account: AccountState): Judged {
  if (!isObject(raw)) return refuse(account, where, 'body', 'Each event occurrence must be a JSON object.');
  const eventName = optionalString(raw['eventName']);
  if (!eventName) return refuse(account, where, 'eventName', 'eventName: This property is required');
  const definition = account.events.byFullyQualifiedName(eventName);
  if (!definition) return refuse(account, where, 'eventName', `Event "${eventName}" does not exist in this account; send the fullyQualifiedName of an existing event definition.`);
  const email = optionalString(raw['email']);
  const objectId = raw['objectId'] === undefined ? undefined : String(raw['objectId']);
  const utk = optionalString(raw['utk']);
  if (!email && !objectId && !utk) return refuse(account, where, 'objectId', `Event "${eventName}" names no record: one of objectId, email or utk is required.`);
  const rawProperties = raw['properties'] ?? {};
  if (!isObject(rawProperties)) return refuse(account, where, 'properties', 'properties must be an object of property names to values.');
  const names = Object.keys(rawProperties);
  if (names.length > MAX_EVENT_PROPERTIES) return refuse(account, where, 'properties', `Too many properties: ${names.length}; an event occurrence can have at most ${MAX_EVENT_PROPERTIES}.`);
  const properties: Record<string, string> = {};
  for (const name of names) {
    if (!definition.properties.has(name)) return refuse(account, where, 'propertyName', `Property "${name}" is not defined on event "${eventName}".`);
    const value = rawProperties[name];
    if (value === null || value === undefined) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
    if (text.length > MAX_EVENT_VALUE_LENGTH) return refuse(account, where, 'propertyName', `Value of property "${name}" on event "${eventName}" is ${text.length} characters; at most ${MAX_EVENT_VALUE_LENGTH} are allowed.`);
    properties[name] = text;
  }
  const occurredAt = readOccurredAt(raw['occurredAt'], account.now());
  if (occurredAt === undefined) return refuse(account, where, 'occurredAt', `occurredAt must be an ISO 8601 timestamp or epoch milliseconds.`);
  const uuid = optionalString(raw['uuid']) ?? account.errors.correlationId();
  return { ok: true, occurrence: { name: definition.name, uuid, occurredAt, properties, ...(email ? { email } : {}), ...(objectId ? { objectId } : {}), ...(utk ? { utk } : {}) } };
}

function readOccurredAt(raw: unknown, now: number): string | undefined {
  if (raw === undefined || raw === null) return new Date(now).toISOString();
  const time = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

function secondlyLimited(account: AccountState): SimResponse | undefined {
  if (account.sendWindow.tryAcquire(account.now())) return undefined;
  account.stats.rateLimited += 1;
  return {
    status: 429,
    body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: account.errors.correlationId(), policyName: 'SECONDLY' },
  };
}

function sendOne(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const limited = secondlyLimited(account);
  if (limited) return limited;
  const judged = judgeOccurrence(request.body, '', account);
  if (!judged.ok) return judged.response;
  account.events.record(judged.occurrence);
  return { status: 204 };
}

function sendBatch(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const limited = secondlyLimited(account);
  if (limited) return limited;
  const inputs = isObject(request.body) ? request.body['inputs'] : undefined;
  if (!Array.isArray(inputs)) return account.errors.validation('inputs: This property is required', { inputs: ['This property is required'] });
  if (inputs.length > MAX_SEND_INPUTS) {
    return account.errors.validation(`Too many inputs: ${inputs.length}. A batch can send at most ${MAX_SEND_INPUTS} event occurrences.`, { limit: [String(MAX_SEND_INPUTS)] });
  }
  const accepted: EventOccurrence[] = [];
  for (const [index, input] of inputs.entries()) {
    const judged = judgeOccurrence(input, `inputs[${index}]: `, account);
    if (!judged.ok) return judged.response;
    accepted.push(judged.occurrence);
  }
  for (const occurrence of accepted) account.events.record(occurrence);
  return { status: 204 };
}

export const EVENTS_SEND_SCOPE = 'analytics.behavioral_events.send';

export const EVENT_SEND_ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/events\/v3\/send\/?$/, label: 'events.send', scope: EVENTS_SEND_SCOPE, actionEndpoint: true, handle: sendOne },
  { method: 'POST', pattern: /^\/events\/v3\/send\/batch\/?$/, label: 'events.send.batch', scope: EVENTS_SEND_SCOPE, actionEndpoint: true, handle: sendBatch },
];
