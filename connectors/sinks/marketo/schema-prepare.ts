import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext, SinkPropertySpec, SinkSchemaSpec } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';
import type { ResolvedMarketoConfig } from './marketo-sink-config.js';

/**
 * `prepare`: the lead fields the mapping writes must exist (Describe is
 * Marketo's source of truth for that) and each segflow list must exist as a
 * static list, found by name or created in `list_folder_id`. Idempotent:
 * a second run finds everything and creates nothing.
 */
const CONNECTOR = 'sink:marketo';
const LIST_PAGE_SIZE = 300;

interface DescribedField {
  name: string;
  readOnly: boolean;
  /** Characters the field holds, when Describe says (string-like fields). */
  length?: number;
}

/**
 * Create Lead Fields takes only boolean, currency, date, datetime, email,
 * float, integer, percent, phone, score, string and url (no `text`: a Text
 * Area is made in Field Management). A multi-value enumeration is written as
 * its values joined with ";", so it is a string field too; its 255-character
 * limit is enforced per record (value-length.ts).
 */
const FIELD_TYPES: Record<SinkPropertySpec['type'], string> = { string: 'string', number: 'float', bool: 'boolean', datetime: 'datetime', enumeration: 'string' };

/** Makes sure the spec's lead fields exist; returns field name → the characters it holds, for the fields Describe gives a length. */
export async function ensureLeadFields(client: MarketoClient, config: ResolvedMarketoConfig, spec: SinkSchemaSpec, context: SinkContext): Promise<Map<string, number>> {
  let fields = await describe(client, context);
  const wanted = [{ name: config.lookupField, label: config.lookupField, type: 'string' as const }, ...spec.properties];
  let missing = wanted.filter((property) => !fields.has(property.name));
  if (missing.length > 0 && config.createMissingFields) {
    const input = missing.map((property) => ({
      name: property.name,
      displayName: property.label,
      dataType: FIELD_TYPES[property.type],
    }));
    await context.request('marketo.fields.create', () => client.send({ method: 'POST', path: '/rest/v1/leads/schema/fields.json', json: { input } }, context.signal));
    // Describe again rather than trusting per-field statuses: "already exists" then counts as success.
    fields = await describe(client, context);
    missing = wanted.filter((property) => !fields.has(property.name));
  }
  const readOnly = wanted.filter((property) => fields.get(property.name)?.readOnly && property.name !== config.lookupField);
  const problems: string[] = [];
  if (missing.length > 0) {
    const names = missing.map((property) => property.name).join(', ');
    problems.push(
      `Marketo has no lead field with the REST API name ${names}; create ${missing.length === 1 ? 'it' : 'them'} in Admin > Field Management${config.createMissingFields ? ' (the API user may lack the "Read-Write Schema Custom Field" permission)' : ' or set create_missing_fields: true'}`,
    );
  }
  if (readOnly.length > 0) problems.push(`lead field ${readOnly.map((property) => property.name).join(', ')} is read-only through the REST API`);
  if (problems.length > 0) throw new ConnectorError('config', 'marketo.field_missing', `${problems.join('; ')} (sink at ${config.baseUrl}).`, { connector: CONNECTOR });
  const lengths = new Map<string, number>();
  for (const property of spec.properties) {
    const length = fields.get(property.name)?.length;
    if (length !== undefined) lengths.set(property.name, length);
  }
  return lengths;
}

async function describe(client: MarketoClient, context: SinkContext): Promise<Map<string, DescribedField>> {
  const response = await context.request('marketo.leads.describe', () => client.send({ method: 'GET', path: '/rest/v1/leads/describe.json' }, context.signal));
  const fields = new Map<string, DescribedField>();
  for (const item of response.result) {
    const { rest, length } = item as { rest?: { name?: unknown; readOnly?: unknown }; length?: unknown };
    if (typeof rest?.name !== 'string') continue;
    fields.set(rest.name, { name: rest.name, readOnly: rest.readOnly === true, ...(typeof length === 'number' && length > 0 ? { length } : {}) });
  }
  return fields;
}

/** Returns list key → static list id for every list of `spec`. */
export async function ensureStaticLists(client: MarketoClient, config: ResolvedMarketoConfig, spec: SinkSchemaSpec, context: SinkContext): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (spec.lists.length === 0) return ids;
  const found = await findListsByName(client, spec.lists.map((list) => list.name), context);
  for (const list of spec.lists) {
    let id = found.get(list.name.toLowerCase());
    if (id === undefined) id = await createStaticList(client, config, list.name, context);
    ids.set(list.key, id);
  }
  return ids;
}

async function findListsByName(client: MarketoClient, names: readonly string[], context: SinkContext): Promise<Map<string, number>> {
  // `name` takes a comma-separated list; a name that itself holds a comma can only be found by reading every list.
  const plain = names.filter((name) => !name.includes(','));
  const needsScan = plain.length < names.length;
  const query: Record<string, string> = needsScan ? {} : { name: plain.join(',') };
  const found = new Map<string, number>();
  let nextPageToken: string | undefined;
  do {
    const pageQuery: Record<string, string> = { ...query, batchSize: String(LIST_PAGE_SIZE), ...(nextPageToken ? { nextPageToken } : {}) };
    const response = await context.request('marketo.lists.find', () => client.send({ method: 'GET', path: '/rest/v1/lists.json', query: pageQuery }, context.signal));
    for (const item of response.result) {
      const list = item as { id?: unknown; name?: unknown };
      if (typeof list.id === 'number' && typeof list.name === 'string') found.set(list.name.toLowerCase(), list.id);
    }
    // Some Marketo endpoints send a nextPageToken on the last page too; only a full page can have a successor.
    nextPageToken = response.result.length >= LIST_PAGE_SIZE ? response.nextPageToken : undefined;
  } while (nextPageToken);
  return found;
}

async function createStaticList(client: MarketoClient, config: ResolvedMarketoConfig, name: string, context: SinkContext): Promise<number> {
  if (config.listFolderId === undefined) {
    throw new ConnectorError('config', 'marketo.list_folder_missing', `Static list "${name}" does not exist in Marketo and no list_folder_id is set to create it in; set list_folder_id (a folder id from Marketing Activities).`, {
      connector: CONNECTOR,
    });
  }
  const form = { name, folder: JSON.stringify({ id: config.listFolderId, type: 'Folder' }), description: 'Segment membership managed by segflow.' };
  try {
    const response = await context.request('marketo.lists.create', () => client.send({ method: 'POST', path: '/rest/asset/v1/staticLists.json', form }, context.signal));
    const created = response.result[0] as { id?: unknown } | undefined;
    if (typeof created?.id === 'number') return created.id;
    throw new ConnectorError('retryable', 'marketo.bad_response', `Marketo created static list "${name}" but did not return its id.`, { connector: CONNECTOR });
  } catch (error) {
    // 709: another run created it between our lookup and our create; use that one.
    if (!(error instanceof ConnectorError) || error.code !== 'marketo.business_rule') throw error;
    const id = (await findListsByName(client, [name], context)).get(name.toLowerCase());
    if (id === undefined) throw error;
    return id;
  }
}
