import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { type AccountState, type Route, isObject, optionalString } from './account-state.js';
import { type EventPropertyDefinition, MAX_EVENT_DEFINITIONS, publicDefinition, publicEventProperty } from './event-store.js';

/**
 * Event definitions v3 (vendor-facts.md 1.5): list, read by internal name,
 * create (with `propertyDefinitions`), add one property, delete. Property
 * names follow the send guide's rule (start with a letter, `[a-z0-9_]`,
 * at most 50 characters); types are the four the API documents.
 */
const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,49}$/;
const PROPERTY_TYPES = new Set(['string', 'number', 'enumeration', 'datetime']);
const PRIMARY_OBJECTS = new Set(['CONTACT', 'COMPANY', 'DEAL', 'TICKET']);

type Judged<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

function judgeProperty(raw: unknown, account: AccountState): Judged<EventPropertyDefinition> {
  if (!isObject(raw)) return { ok: false, response: account.errors.validation('Each property definition must be an object.') };
  const label = optionalString(raw['label']);
  const type = optionalString(raw['type']);
  const name = optionalString(raw['name']) ?? slug(label ?? '');
  if (!label) return { ok: false, response: account.errors.validation('Property definition "label" is required.', { label: ['This property is required'] }) };
  if (!type || !PROPERTY_TYPES.has(type)) {
    return { ok: false, response: account.errors.validation(`Property "${name}" has type "${type ?? ''}"; it must be one of string, number, enumeration, datetime.`, { type: [type ?? ''] }) };
  }
  if (!PROPERTY_NAME.test(name)) {
    return { ok: false, response: account.errors.validation(`Property name "${name}" is invalid: it must start with a letter and contain only lowercase letters, digits and underscores (at most 50).`, { name: [name] }) };
  }
  return { ok: true, value: { name, label, type, description: optionalString(raw['description']) ?? '' } };
}

function createDefinition(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const body = request.body;
  if (!isObject(body)) return account.errors.validation('Invalid input JSON.');
  const label = optionalString(body['label']);
  if (!label) return account.errors.validation('"label" is required.', { label: ['This property is required'] });
  const name = optionalString(body['name']) ?? slug(label);
  const primaryObject = optionalString(body['primaryObject']) ?? 'CONTACT';
  if (!PRIMARY_OBJECTS.has(primaryObject)) return account.errors.validation(`"primaryObject" must be one of ${[...PRIMARY_OBJECTS].join(', ')}.`, { primaryObject: [primaryObject] });
  if (account.events.get(name)) return account.errors.respond(409, 'CONFLICT', `An event definition named "${name}" already exists.`);
  if (account.events.size >= MAX_EVENT_DEFINITIONS) {
    return account.errors.validation(`This account already has ${MAX_EVENT_DEFINITIONS} event definitions, the most HubSpot allows.`, { limit: [String(MAX_EVENT_DEFINITIONS)] });
  }
  const rawProperties = body['propertyDefinitions'] ?? [];
  if (!Array.isArray(rawProperties)) return account.errors.validation('"propertyDefinitions" must be an array.');
  const properties: EventPropertyDefinition[] = [];
  for (const raw of rawProperties) {
    const judged = judgeProperty(raw, account);
    if (!judged.ok) return judged.response;
    properties.push(judged.value);
  }
  const definition = account.events.create({ name, label, description: optionalString(body['description']) ?? '', primaryObject, properties });
  return { status: 201, body: publicDefinition(definition) };
}

function definitionNotFound(name: string, account: AccountState): SimResponse {
  return account.errors.notFound(`Event definition "${name}" does not exist.`);
}

function getDefinition(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  const name = params[0] ?? '';
  const definition = account.events.get(name);
  return definition ? { status: 200, body: publicDefinition(definition) } : definitionNotFound(name, account);
}

function listDefinitions(_request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const results = account.events.all().map(publicDefinition);
  return { status: 200, body: { total: results.length, results } };
}

function addProperty(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const name = params[0] ?? '';
  const definition = account.events.get(name);
  if (!definition) return definitionNotFound(name, account);
  const judged = judgeProperty(request.body, account);
  if (!judged.ok) return judged.response;
  if (definition.properties.has(judged.value.name)) return account.errors.respond(409, 'CONFLICT', `Event definition "${name}" already has a property "${judged.value.name}".`);
  definition.properties.set(judged.value.name, judged.value);
  return { status: 201, body: publicEventProperty(judged.value) };
}

function deleteDefinition(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  const name = params[0] ?? '';
  return account.events.remove(name) ? { status: 204 } : definitionNotFound(name, account);
}

/** HubSpot derives the internal name from the label when none is given. */
function slug(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const EVENT_DEFINITIONS_SCOPE = 'behavioral_events.event_definitions.read_write';

export const EVENT_DEFINITION_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/events\/v3\/event-definitions\/?$/, label: 'event-definitions.list', scope: EVENT_DEFINITIONS_SCOPE, handle: listDefinitions },
  { method: 'POST', pattern: /^\/events\/v3\/event-definitions\/?$/, label: 'event-definitions.create', scope: EVENT_DEFINITIONS_SCOPE, handle: createDefinition },
  { method: 'GET', pattern: /^\/events\/v3\/event-definitions\/([^/]+)$/, label: 'event-definitions.get', scope: EVENT_DEFINITIONS_SCOPE, handle: getDefinition },
  { method: 'DELETE', pattern: /^\/events\/v3\/event-definitions\/([^/]+)$/, label: 'event-definitions.delete', scope: EVENT_DEFINITIONS_SCOPE, handle: deleteDefinition },
  { method: 'POST', pattern: /^\/events\/v3\/event-definitions\/([^/]+)\/property$/, label: 'event-definitions.property.create', scope: EVENT_DEFINITIONS_SCOPE, handle: addProperty },
];
