import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext, SinkPropertySpec } from '../../../core/sync/sink.js';
import type { HubSpotApis } from './hubspot-api.js';
import { failureStatus } from './hubspot-error-mapping.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';
import { type PropertyEncoding, collidingOptions, encodingFor, hubspotPropertyType, optionInputs, optionValue } from './property-encoding.js';

/**
 * Makes every property of the spec exist on contacts with every option it
 * needs: one read of the whole contact schema, then a create per missing
 * property and a PATCH per enumeration that lacks options. A property that
 * exists with an incompatible type stops the sync (config): segflow does
 * not retype properties it may not own.
 */
type Property = Awaited<ReturnType<HubSpotApis['properties']['getByName']>>;
type PropertyCreate = Parameters<HubSpotApis['properties']['create']>[1];

const GROUP = 'contactinformation';

export async function ensureProperties(specs: readonly SinkPropertySpec[], session: HubSpotSession, context: SinkContext): Promise<Map<string, PropertyEncoding>> {
  const problems = specs.flatMap((spec) =>
    collidingOptions(spec.options ?? []).map(([first, second]) => `options "${first}" and "${second}" of property ${spec.name} share the internal value "${optionValue(first)}"; rename one`),
  );
  if (problems.length > 0) throw configError(problems);
  if (specs.length === 0) return new Map();

  const all = await session.call(context, 'properties.list', (apis) => apis.properties.getAll('contacts'));
  const existing = new Map(all.results.map((property) => [property.name, property]));
  for (const spec of specs) {
    const found = existing.get(spec.name) ?? (await createProperty(spec, session, context));
    const mismatch = typeMismatch(spec, found);
    if (mismatch) {
      problems.push(mismatch);
      continue;
    }
    if (spec.type === 'enumeration') await addMissingOptions(spec, found, session, context);
  }
  if (problems.length > 0) throw configError(problems);
  return new Map(specs.map((spec) => [spec.name, encodingFor(spec)]));
}

async function createProperty(spec: SinkPropertySpec, session: HubSpotSession, context: SinkContext): Promise<Property> {
  const { type, fieldType } = hubspotPropertyType(spec);
  const options =
    spec.type === 'bool'
      ? [
          { label: 'Yes', value: 'true', hidden: false, displayOrder: 0 },
          { label: 'No', value: 'false', hidden: false, displayOrder: 1 },
        ]
      : spec.type === 'enumeration'
        ? optionInputs(spec.options ?? [])
        : undefined;
  const body: PropertyCreate = {
    name: spec.name,
    label: spec.label,
    type: type as PropertyCreate['type'],
    fieldType: fieldType as PropertyCreate['fieldType'],
    groupName: GROUP,
    description: 'Managed by segflow.',
    ...(options ? { options } : {}),
  };
  try {
    return await session.call(context, 'properties.create', (apis) => apis.properties.create('contacts', body));
  } catch (error) {
    // Another run created it between our read and our create: use theirs.
    if (failureStatus(error) === 409) return session.call(context, 'properties.get', (apis) => apis.properties.getByName('contacts', spec.name));
    throw asConfig(error);
  }
}

async function addMissingOptions(spec: SinkPropertySpec, property: Property, session: HubSpotSession, context: SinkContext): Promise<void> {
  const present = new Set(property.options.map((option) => option.value));
  const missing = (spec.options ?? []).filter((name) => !present.has(optionValue(name)));
  if (missing.length === 0) return;
  // PATCH replaces the option list, so send the existing options too.
  const kept = property.options.map(({ label, value, hidden, displayOrder, description }) => ({ label, value, hidden, ...(displayOrder !== undefined ? { displayOrder } : {}), ...(description ? { description } : {}) }));
  const options = [...kept, ...optionInputs(missing, kept.length)];
  try {
    await session.call(context, 'properties.update', (apis) => apis.properties.update('contacts', spec.name, { options }));
  } catch (error) {
    throw asConfig(error);
  }
}

function typeMismatch(spec: SinkPropertySpec, property: Property): string | undefined {
  const wanted = hubspotPropertyType(spec);
  const accepted: Record<SinkPropertySpec['type'], (type: string, fieldType: string) => boolean> = {
    string: (type) => type === 'string',
    number: (type) => type === 'number',
    bool: (type, fieldType) => type === 'bool' || (type === 'enumeration' && fieldType === 'booleancheckbox'),
    datetime: (type) => type === 'datetime' || type === 'date',
    enumeration: (type, fieldType) => type === 'enumeration' && (fieldType === 'checkbox') === Boolean(spec.multiple),
  };
  if (accepted[spec.type](property.type, property.fieldType)) return undefined;
  return `property ${spec.name} exists in HubSpot as ${property.type}/${property.fieldType} but the mapping needs ${wanted.type}/${wanted.fieldType}; rename the mapping's property or change it in HubSpot`;
}

function configError(problems: readonly string[]): ConnectorError {
  return new ConnectorError('config', 'hubspot.property_conflict', `HubSpot contact properties do not fit the mapping: ${problems.join('; ')}.`, { connector: HUBSPOT_CONNECTOR });
}

/** A 4xx while shaping the schema (bad property name, read-only property) is the mapping's problem: stop, do not dead-letter. */
function asConfig(error: unknown): unknown {
  if (!(error instanceof ConnectorError) || error.kind !== 'permanent') return error;
  return new ConnectorError('config', error.code, error.message, error.details);
}
