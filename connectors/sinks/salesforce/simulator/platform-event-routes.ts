import type { FaultPlan, SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import type { RoutedCall } from './api-router.js';
import { COLLECTION_LIMIT } from './collections-routes.js';
import type { EventBus, PublishOutcome } from './event-bus.js';
import { salesforceError } from './request-gate.js';
import { describeSObject } from './sobject-schema.js';

export interface PlatformEventDependencies {
  bus: EventBus;
  faults: FaultPlan;
  /** Destroys this request's connection without an answer (the `lostResponses` fault). */
}

const ROLLED_BACK = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };

/**
 * Platform Event calls (publish = insert of an `__e` sObject): describe, the
 * single-record POST and sObject Collections create whose records are all
 * events. `undefined` when the call is not about Platform Events, so the
 * record routes handle it. A collection mixing events and records is left to
 * the record routes (which refuse the event type): segflow never sends one.
 */
export function routePlatformEventCall(request: SimRequest, segments: readonly string[], apiPath: string, dependencies: PlatformEventDependencies): RoutedCall | undefined {
  const method = request.method.toUpperCase();
  const [first, second, third] = segments;
  const { bus } = dependencies;
  if (first === 'sobjects' && second?.endsWith('__e')) {
    if (third === 'describe' && segments.length === 3 && method === 'GET') {
      const definition = bus.definition(second);
      return {
        route: 'platform-event.describe',
        records: 0,
        respond: () => (definition ? { status: 200, body: { ...describeSObject(definition, apiPath), custom: true, updateable: false, deletable: false, queryable: false } } : salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist')),
      };
    }
    if (segments.length === 2 && method === 'POST') return { route: 'platform-event.publish', records: 1, respond: () => publishOne(dependencies, second, request.body) };
    return undefined;
  }
  if (first === 'composite' && second === 'sobjects' && segments.length === 2 && method === 'POST' && isEventCollection(request.body)) {
    const records = (request.body as { records: unknown[] }).records.length;
    return { route: 'platform-event.publish-collection', records, respond: () => publishCollection(dependencies, request.body as EventCollection) };
  }
  return undefined;
}

/** `POST /sobjects/X__e`: 201 with OPERATION_ENQUEUED in `errors` (the publish is asynchronous), or 400 with the error array. */
function publishOne(dependencies: PlatformEventDependencies, name: string, body: unknown): SimResponse {
  const { bus } = dependencies;
  if (!bus.definition(name)) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return salesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  const { attributes: _attributes, ...fields } = body as Record<string, unknown>;
  const unknown = bus.unknownField(name, fields);
  if (unknown !== undefined) return { status: 400, body: [{ message: `No such column '${unknown}' on sobject of type ${name}`, errorCode: 'INVALID_FIELD', fields: [unknown] }] };
  const outcome = bus.publish(name, fields, bus.takeUnavailable());
  const response: SimResponse = outcome.success
    ? { status: 201, body: saveResult(outcome) }
    : { status: 400, body: outcome.errors.map((error) => ({ message: error.message, errorCode: error.statusCode, fields: error.fields })) };
  return loseAnswerIfPlanned(dependencies, response);
}

interface EventCollection {
  allOrNone?: unknown;
  records: Array<Record<string, unknown>>;
}

/** `POST /composite/sobjects` with `__e` records: 200 with one SaveResult per event, in order. */
function publishCollection(dependencies: PlatformEventDependencies, body: EventCollection): SimResponse {
  const { bus } = dependencies;
  if (body.records.length > COLLECTION_LIMIT) return salesforceError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`);
  const events: Array<{ name: string; fields: Record<string, unknown> }> = [];
  for (const record of body.records) {
    const { attributes, ...fields } = record;
    const name = String((attributes as { type?: unknown }).type);
    if (!bus.definition(name)) return salesforceError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`);
    const unknown = bus.unknownField(name, fields);
    // The JSON cannot be deserialized into the event: the whole call fails, naming the field.
    if (unknown !== undefined) return { status: 400, body: [{ message: `No such column '${unknown}' on sobject of type ${name}`, errorCode: 'INVALID_FIELD', fields: [unknown] }] };
    events.push({ name, fields });
  }
  if (body.allOrNone === true) {
    const rejections = events.map((event) => bus.rejection(event.name, event.fields));
    if (rejections.some((rejection) => rejection !== undefined)) {
      return { status: 200, body: rejections.map((rejection) => ({ success: false, errors: [rejection ?? ROLLED_BACK] })) };
    }
  }
  const unavailable = bus.takeUnavailable();
  const outcomes = events.map((event) => bus.publish(event.name, event.fields, unavailable));
  return loseAnswerIfPlanned(dependencies, { status: 200, body: outcomes.map((outcome) => (outcome.success ? saveResult(outcome) : { id: null, success: false, errors: outcome.errors })) });
}

function saveResult(outcome: Extract<PublishOutcome, { success: true }>): Record<string, unknown> {
  return { id: outcome.id, success: true, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: outcome.eventUuid, fields: [] }] };
}

/** The call was applied (events are on the bus); when the fault plan says so, its answer never arrives. */
function loseAnswerIfPlanned(dependencies: PlatformEventDependencies, response: SimResponse): SimResponse {
  return dependencies.faults.takeLostResponse() ? { ...response, lose: true } : response;
}

function isEventCollection(body: unknown): body is EventCollection {
  if (typeof body !== 'object' || body === null) return false;
  const records = (body as { records?: unknown }).records;
  if (!Array.isArray(records) || records.length === 0) return false;
  return records.every((record) => {
    const type = typeof record === 'object' && record !== null ? (record as { attributes?: { type?: unknown } }).attributes?.type : undefined;
    return typeof type === 'string' && type.endsWith('__e');
  });
}
