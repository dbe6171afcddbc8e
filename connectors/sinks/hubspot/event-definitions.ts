import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import { failureStatus } from './hubspot-error-mapping.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';
import { rawJson } from './raw-request.js';

/**
 * Finds or creates the custom behavioral event definition a trigger sends
 * to (vendor-facts.md 1.5), and adds the payload fields it lacks as string
 * properties. The SDK wraps no event-definitions API, so calls go through
 * `apiRequest` (still queued, refreshed and mapped by the session). A 409 on
 * create means another run created it first, so it is read again.
 */
export interface KnownEventDefinition {
  /** The internal name the mapping uses (the action target). */
  name: string;
  /** What the send endpoints expect: `pe{portalId}_{name}`. */
  fullyQualifiedName: string;
  properties: ReadonlySet<string>;
}

const DefinitionSchema = z.looseObject({
  name: z.string(),
  fullyQualifiedName: z.string(),
  properties: z.array(z.looseObject({ name: z.string() })).optional(),
});

const PATH = '/events/v3/event-definitions';

export async function ensureEventDefinition(name: string, fields: readonly string[], session: HubSpotSession, context: SinkContext): Promise<KnownEventDefinition> {
  const found = (await readDefinition(name, session, context)) ?? (await createDefinition(name, fields, session, context));
  const properties = new Set(found.properties);
  for (const field of fields) {
    if (properties.has(field)) continue;
    try {
      await session.call(context, 'event-definitions.property.create', (apis) =>
        rawJson(apis, 'event-definitions.property.create', { method: 'POST', path: `${PATH}/${encodeURIComponent(name)}/property`, body: { name: field, label: field, type: 'string' } }),
      );
    } catch (error) {
      // 409: another run added it first. Anything else that is not worth a retry means the payload cannot be sent.
      if (failureStatus(error) !== 409) throw cannotAdd(name, field, error);
    }
    properties.add(field);
  }
  return { ...found, properties };
}

async function readDefinition(name: string, session: HubSpotSession, context: SinkContext): Promise<KnownEventDefinition | undefined> {
  try {
    const body = await session.call(context, 'event-definitions.get', (apis) => rawJson(apis, 'event-definitions.get', { method: 'GET', path: `${PATH}/${encodeURIComponent(name)}` }));
    return parseDefinition(body, 'event-definitions.get');
  } catch (error) {
    if (failureStatus(error) === 404) return undefined;
    throw error;
  }
}

async function createDefinition(name: string, fields: readonly string[], session: HubSpotSession, context: SinkContext): Promise<KnownEventDefinition> {
  const body = { label: name, name, primaryObject: 'CONTACT', propertyDefinitions: fields.map((field) => ({ name: field, label: field, type: 'string' })) };
  try {
    const created = await session.call(context, 'event-definitions.create', (apis) => rawJson(apis, 'event-definitions.create', { method: 'POST', path: PATH, body }));
    return parseDefinition(created, 'event-definitions.create');
  } catch (error) {
    if (failureStatus(error) !== 409) throw cannotCreate(name, error);
  }
  const raced = await readDefinition(name, session, context);
  if (raced) return raced;
  throw new ConnectorError('retryable', 'hubspot.event_definition_race', `HubSpot said event definition "${name}" exists, then did not find it; retrying.`, { connector: HUBSPOT_CONNECTOR });
}

function parseDefinition(body: unknown, label: string): KnownEventDefinition {
  const parsed = DefinitionSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConnectorError('retryable', 'hubspot.unexpected_response', `HubSpot answered ${label} without an event definition (${parsed.error.issues[0]?.message ?? 'invalid'}).`, { connector: HUBSPOT_CONNECTOR });
  }
  return { name: parsed.data.name, fullyQualifiedName: parsed.data.fullyQualifiedName, properties: new Set((parsed.data.properties ?? []).map((property) => property.name)) };
}

function cannotCreate(name: string, error: unknown): ConnectorError {
  if (!(error instanceof ConnectorError) || error.kind !== 'permanent') return error instanceof ConnectorError ? error : new ConnectorError('retryable', 'hubspot.unexpected', String(error), { connector: HUBSPOT_CONNECTOR });
  return new ConnectorError('config', 'hubspot.event_definition_invalid', `HubSpot refused to create the custom event definition "${name}" that a trigger sends to: ${error.message} Fix the event name or the payload field names (lowercase letters, digits, underscores).`, {
    connector: HUBSPOT_CONNECTOR,
    cause: error.details.cause,
  });
}

function cannotAdd(name: string, field: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError && error.kind !== 'permanent') return error;
  const reason = error instanceof ConnectorError ? error.message : String(error);
  return new ConnectorError('config', 'hubspot.event_property_missing', `HubSpot event definition "${name}" has no property "${field}", which the trigger's payload fills, and segflow could not add it: ${reason} Add the property in HubSpot or remove the field from the payload.`, {
    connector: HUBSPOT_CONNECTOR,
    ...(error instanceof ConnectorError ? { cause: error.details.cause } : {}),
  });
}
