import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkAction, SinkContext } from '../../../core/sync/sink.js';
import { chunk, COLLECTION_LIMIT, failedResult, parseSaveResults, vendorCall, type SalesforceRuntime, type SaveResult } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';

export const PLATFORM_EVENT_KIND = 'salesforce:platform-event';

/** Whole-call codes that mean the event (or one of its fields) is not what the mapping names. */
const SCHEMA_CODES = new Set(['salesforce.invalid_field', 'salesforce.not_found', 'salesforce.invalid_type']);
/** Each INVALID_FIELD refusal names one field; past this many rounds the rest of the chunk fails with the last refusal. */
const MAX_FIELD_ROUNDS = 5;

/**
 * Publishes one Platform Event per action through sObject Collections
 * (`POST /composite/sobjects`, ≤200 events, allOrNone false: one bad event
 * does not hold back the others). Publishing is an insert: the action's
 * payload properties are the event's fields, and the action id goes in
 * `settings.actionIdField`.
 *
 * Salesforce has no idempotency key for a publish (the answered Id "is not
 * unique", EventUuid is assigned by the platform): when an answer is lost
 * and the call is retried, the event is on the bus twice, with the same
 * action id. Delivery is at-least-once; the subscriber (a Flow) dedupes on
 * the action id field.
 */
export async function publishPlatformEvents(runtime: SalesforceRuntime, context: SinkContext, actions: readonly SinkAction[]): Promise<ChangeResult[]> {
  const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
  const byTarget = new Map<string, number[]>();
  actions.forEach((action, index) => byTarget.set(action.target, [...(byTarget.get(action.target) ?? []), index]));
  for (const [target, indexes] of byTarget) {
    const known = runtime.platformEvents.get(target);
    const sendable: number[] = [];
    for (const index of indexes) {
      const action = actions[index] as SinkAction;
      // prepare described the event: a field it lacks fails this action alone, before it costs a call.
      const missing = known ? Object.keys(action.properties).filter((field) => !known.has(field)) : [];
      if (missing.length > 0) results[index] = { status: 'failed', error: missingFieldError(target, missing, action) };
      else sendable.push(index);
    }
    for (const part of chunk(sendable, COLLECTION_LIMIT)) {
      const outcomes = await publishChunk(runtime, context, target, part.map((index) => actions[index] as SinkAction));
      part.forEach((index, position) => (results[index] = outcomes[position]));
    }
  }
  return results.map((result) => result ?? { status: 'failed', error: new ConnectorError('permanent', 'salesforce.internal', 'Salesforce sink: an action got no result', { connector: SALESFORCE_CONNECTOR }) });
}

/**
 * One collections call. A whole-call INVALID_FIELD (the org lost a field
 * since prepare) names the field: the actions that carry it fail, the
 * others are sent again without them. An unknown event fails them all.
 * Throttles, outages and auth errors fail the whole call (thrown).
 */
async function publishChunk(runtime: SalesforceRuntime, context: SinkContext, target: string, actions: readonly SinkAction[]): Promise<ChangeResult[]> {
  const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
  let pending = actions.map((action, index) => ({ action, index }));
  for (let round = 1; pending.length > 0; round += 1) {
    const records = pending.map(({ action }) => eventRecord(action, runtime.settings.actionIdField));
    const label = `publishing ${records.length} ${target} Platform Events`;
    try {
      const answer = await vendorCall(runtime, context, 'salesforce.platform-event.publish', label, (connection) => connection.sobject(target).create(records, { allOrNone: false }));
      parseSaveResults(answer, pending.length, label).forEach((result, position) => {
        const item = pending[position];
        if (item) results[item.index] = publishOutcome(result, `${target} event for action ${item.action.id} (profile ${item.action.record.profileId})`);
      });
      break;
    } catch (error) {
      if (!(error instanceof ConnectorError) || !SCHEMA_CODES.has(error.code)) throw error;
      const field = refusedField(error);
      const refused = permanentSchemaError(target, error, field);
      const carrying = field === undefined || round >= MAX_FIELD_ROUNDS ? pending : pending.filter(({ action }) => field in action.properties);
      // A refused field none of the actions sent (the action id field itself, say) fails them all.
      const failing = carrying.length > 0 ? carrying : pending;
      for (const { index } of failing) results[index] = { status: 'failed', error: refused };
      pending = pending.filter((item) => !failing.includes(item));
    }
  }
  return results.map((result) => result ?? { status: 'failed', error: new ConnectorError('permanent', 'salesforce.internal', `Salesforce sink: a ${target} event got no result`, { connector: SALESFORCE_CONNECTOR }) });
}

/**
 * One event's SaveResult. Publishing is asynchronous: a success comes with
 * `errors: [{statusCode: "OPERATION_ENQUEUED", message: <event uuid>}]`,
 * so `success` decides, never the presence of errors.
 */
export function publishOutcome(result: SaveResult, where: string): ChangeResult {
  if (result.success) return { status: 'applied' };
  return failedResult(result, where);
}

/** The event as Salesforce takes it: the payload's fields plus the action id (it wins over a payload field of the same name). */
export function eventRecord(action: SinkAction, actionIdField: string): Record<string, string | number | boolean | null> {
  return { ...action.properties, [actionIdField]: action.id };
}

function refusedField(error: ConnectorError): string | undefined {
  const data = (error.details.cause as { data?: { fields?: unknown } } | undefined)?.data;
  const fields = Array.isArray(data?.fields) ? data.fields.filter((field): field is string => typeof field === 'string') : [];
  return fields[0] ?? /No such column '([^']+)'/.exec(error.message)?.[1];
}

function permanentSchemaError(target: string, error: ConnectorError, field: string | undefined): ConnectorError {
  const what = field === undefined ? `the Platform Event ${target} does not exist or is not accessible to the integration user` : `the Platform Event ${target} has no field ${field}`;
  return new ConnectorError('permanent', error.code, `Salesforce refused publishing ${target}: ${what} (${error.message}). Create it in Setup → Platform Events; segflow cannot create Platform Events or their fields (that needs the Metadata API).`, {
    connector: SALESFORCE_CONNECTOR,
    cause: error,
  });
}

function missingFieldError(target: string, missing: readonly string[], action: SinkAction): ConnectorError {
  return new ConnectorError(
    'permanent',
    'salesforce.invalid_field',
    `Salesforce Platform Event ${target} has no field ${missing.join(', ')} (action ${action.id}, profile ${action.record.profileId}): add the field(s) in Setup → Platform Events → ${target} → Custom Fields & Relationships, or drop them from the trigger's payload.`,
    { connector: SALESFORCE_CONNECTOR },
  );
}
