import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkAction, SinkContext } from '../../../core/sync/sink.js';
import type { KnownEventDefinition } from './event-definitions.js';
import { actionUuid } from './event-uuid.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * `hubspot:event` actions: custom behavioral event occurrences, sent in one
 * `POST /events/v3/send/batch` (≤500 inputs, 204, no per-input answer).
 * What HubSpot would refuse (a property the definition lacks, a value over
 * 256 characters, more than 50 properties, no record to attach it to) fails
 * that action here, so one bad action does not refuse its whole batch.
 * Each occurrence carries `uuid` = a UUID derived from the action id, so
 * HubSpot keeps one occurrence however often a lost answer makes us resend.
 */
export const MAX_EVENT_BATCH = 500;
const MAX_PROPERTIES = 50;
const MAX_VALUE_LENGTH = 256;

export interface EventInput {
  eventName: string;
  uuid: string;
  occurredAt: Date;
  properties: Record<string, string>;
  objectId?: string;
  email?: string;
}

/** The input for one action, or why HubSpot would refuse it (pure). */
export function eventInput(action: SinkAction, definition: KnownEventDefinition): { ok: true; input: EventInput } | { ok: false; error: ConnectorError } {
  const where = `trigger action ${action.id} (profile ${action.record.profileId}) for HubSpot event "${definition.name}"`;
  const refuse = (code: string, why: string) => ({ ok: false as const, error: new ConnectorError('permanent', `hubspot.${code}`, `Cannot send ${where}: ${why}`, { connector: HUBSPOT_CONNECTOR }) });
  const objectId = action.record.vendorId || undefined;
  const email = action.record.key.trim() || undefined;
  // HubSpot matches objectId before email; the record id survives an email change.
  if (!objectId && !email) return refuse('no_record_key', 'the profile has neither a HubSpot contact id nor an email to attach the occurrence to.');
  const occurredAt = new Date(action.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) return refuse('invalid_occurred_at', `occurredAt "${action.occurredAt}" is not a timestamp.`);
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.properties)) {
    if (value === null) continue; // an occurrence cannot clear a value: an absent property has none
    if (!definition.properties.has(name)) return refuse('event_property_unknown', `the event definition has no property "${name}"; add the field to the trigger's payload so prepare creates it, or define it in HubSpot.`);
    const text = String(value);
    if (text.length > MAX_VALUE_LENGTH) return refuse('event_value_too_long', `property "${name}" is ${text.length} characters; HubSpot accepts at most ${MAX_VALUE_LENGTH}.`);
    properties[name] = text;
  }
  if (Object.keys(properties).length > MAX_PROPERTIES) return refuse('event_too_many_properties', `it sets ${Object.keys(properties).length} properties; HubSpot accepts at most ${MAX_PROPERTIES}.`);
  return { ok: true, input: { eventName: definition.fullyQualifiedName, uuid: actionUuid(action.id), occurredAt, properties, ...(objectId ? { objectId } : { email }) } };
}

export async function sendEvents(actions: readonly SinkAction[], definition: KnownEventDefinition, session: HubSpotSession, context: SinkContext): Promise<ChangeResult[]> {
  const results = new Array<ChangeResult>(actions.length);
  const sent: number[] = [];
  const inputs: EventInput[] = [];
  actions.forEach((action, index) => {
    const judged = eventInput(action, definition);
    if (!judged.ok) results[index] = { status: 'failed', error: judged.error };
    else {
      sent.push(index);
      inputs.push(judged.input);
    }
  });
  for (let start = 0; start < inputs.length; start += MAX_EVENT_BATCH) {
    const part = inputs.slice(start, start + MAX_EVENT_BATCH);
    await session.call(context, 'events.send.batch', (apis) => apis.eventsBatch.send({ inputs: part }));
  }
  for (const index of sent) results[index] = { status: 'applied', ...(actions[index]?.record.vendorId ? { vendorId: actions[index].record.vendorId } : {}) };
  return results;
}
