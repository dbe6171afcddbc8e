import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { type AccountState, type Route, isObject } from './account-state.js';
import { FIELD_TYPES_BY_TYPE, PROPERTY_GROUPS, type PropertyOption } from './property-store.js';

/** Properties API v3 for contacts (vendor-facts.md 1.4). `objectType` may be `contacts` or `0-1`. */

type Parsed<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

function parseOptions(raw: unknown, account: AccountState): Parsed<PropertyOption[]> {
  if (raw === undefined) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return { ok: false, response: account.errors.validation('"options" must be an array.') };
  const options: PropertyOption[] = [];
  const values = new Set<string>();
  for (const [index, option] of raw.entries()) {
    if (!isObject(option) || typeof option['label'] !== 'string' || typeof option['value'] !== 'string' || option['value'] === '') {
      return { ok: false, response: account.errors.validation(`Option ${index} needs a "label" and a non-empty "value".`) };
    }
    if (values.has(option['value'])) return { ok: false, response: account.errors.validation(`Duplicate option value "${option['value']}".`) };
    values.add(option['value']);
    options.push({
      label: option['label'],
      value: option['value'],
      hidden: option['hidden'] === true,
      displayOrder: typeof option['displayOrder'] === 'number' ? option['displayOrder'] : index,
      ...(typeof option['description'] === 'string' ? { description: option['description'] } : {}),
    });
  }
  return { ok: true, value: options };
}

function listProperties(_request: SimRequest, _params: string[], account: AccountState): SimResponse {
  return { status: 200, body: { results: account.properties.list() } };
}

function getProperty(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  const name = params[0] ?? '';
  const definition = account.properties.get(name);
  return definition ? { status: 200, body: definition } : account.errors.notFound(`Unable to find property with name ${name} for object type 0-1.`);
}

function createProperty(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const body = request.body;
  if (!isObject(body)) return account.errors.validation('Invalid input JSON.');
  const { name, label, type, fieldType, groupName } = body;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]{0,99}$/.test(name)) {
    return account.errors.validation(`Property name "${String(name)}" is invalid: use lowercase letters, digits and underscores, starting with a letter.`);
  }
  if (typeof label !== 'string' || label.trim() === '') return account.errors.validation('"label" is required.');
  const allowedFieldTypes = typeof type === 'string' ? FIELD_TYPES_BY_TYPE[type] : undefined;
  if (!allowedFieldTypes) return account.errors.validation(`"${String(type)}" is not a valid property type.`);
  if (typeof fieldType !== 'string' || !allowedFieldTypes.includes(fieldType)) {
    return account.errors.validation(`fieldType "${String(fieldType)}" is not valid for a property of type ${String(type)}.`);
  }
  if (typeof groupName !== 'string' || !PROPERTY_GROUPS.includes(groupName)) return account.errors.validation(`PropertyGroup ${String(groupName)} does not exist.`);
  const options = parseOptions(body['options'], account);
  if (!options.ok) return options.response;
  if (account.properties.get(name)) {
    return account.errors.respond(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, { subCategory: 'PropertyValidationError.PROPERTY_EXISTS' });
  }
  const definition = account.properties.create({
    name,
    label,
    type: type as string,
    fieldType,
    groupName,
    options: options.value,
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
  });
  return { status: 201, body: definition };
}

function updateProperty(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const name = params[0] ?? '';
  const definition = account.properties.get(name);
  if (!definition) return account.errors.notFound(`Unable to find property with name ${name} for object type 0-1.`);
  if (definition.modificationMetadata.readOnlyDefinition) return account.errors.validation(`Property ${name} is a HubSpot-defined property and cannot be changed.`);
  const body = request.body;
  if (!isObject(body)) return account.errors.validation('Invalid input JSON.');
  const options = parseOptions(body['options'], account);
  if (!options.ok) return options.response;
  const patch: Parameters<typeof account.properties.update>[1] = {};
  if (body['options'] !== undefined) patch.options = options.value;
  if (typeof body['label'] === 'string') patch.label = body['label'];
  if (typeof body['description'] === 'string') patch.description = body['description'];
  if (typeof body['hidden'] === 'boolean') patch.hidden = body['hidden'];
  return { status: 200, body: account.properties.update(name, patch) };
}

const READ = 'crm.schemas.contacts.read';
const WRITE = 'crm.schemas.contacts.write';
const BASE = String.raw`^\/crm\/v3\/properties\/(?:contacts|0-1)`;

export const PROPERTY_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: new RegExp(`${BASE}$`), label: 'properties.list', scope: READ, handle: listProperties },
  { method: 'POST', pattern: new RegExp(`${BASE}$`), label: 'properties.create', scope: WRITE, handle: createProperty },
  { method: 'GET', pattern: new RegExp(`${BASE}\\/([^/]+)$`), label: 'properties.get', scope: READ, handle: getProperty },
  { method: 'PATCH', pattern: new RegExp(`${BASE}\\/([^/]+)$`), label: 'properties.update', scope: WRITE, handle: updateProperty },
];
