import { RollingWindow } from '../../../../core/sync/simulation/index.js';
import type { RecordError } from './record-writes.js';
import { coerceFieldValue, type FieldDefinition, type FieldType, type SObjectDefinition } from './sobject-schema.js';

/**
 * The fake org's Platform Events: the definitions an admin created in Setup
 * (`Cart_Abandoned__e` and its custom fields) and the event bus that keeps
 * every accepted publish with its ReplayId, so tests read what a Flow
 * subscriber would receive. Salesforce has no idempotency key for a publish:
 * publishing the same payload twice puts two events on the bus, and so does
 * this fake.
 */
export interface PlatformEventFieldSpec {
  name: string;
  /** @default 'string' */
  type?: FieldType;
}

export interface PublishedEvent {
  /** Position in the event stream, what subscribers checkpoint on (increasing, not contiguous in Salesforce). */
  replayId: string;
  /** The UUID the publish call answered with (in the OPERATION_ENQUEUED "error"). */
  eventUuid: string;
  publishedAt: string;
  fields: Record<string, unknown>;
}

export type PublishOutcome = { success: true; id: string; eventUuid: string } | { success: false; errors: RecordError[] };

/** Fields every Platform Event has, set by the platform. */
const SYSTEM_FIELDS: ReadonlyArray<[string, FieldType]> = [
  ['ReplayId', 'string'],
  ['CreatedDate', 'datetime'],
  ['CreatedById', 'reference'],
  ['EventUuid', 'string'],
];

const HOUR_MS = 3_600_000;

export class EventBus {
  private readonly definitions = new Map<string, SObjectDefinition>();
  private readonly published = new Map<string, PublishedEvent[]>();
  private readonly allocation: RollingWindow;
  private sequence = 0;
  private unavailableCalls = 0;

  constructor(
    hourlyAllocation: number,
    private readonly now: () => number,
  ) {
    this.allocation = new RollingWindow(hourlyAllocation, HOUR_MS);
  }

  /** Creates (or adds fields to) a Platform Event, as an admin would in Setup → Platform Events. */
  define(name: string, fields: readonly PlatformEventFieldSpec[]): void {
    if (!name.endsWith('__e')) throw new Error(`simulator: a Platform Event API name ends in __e, not ${name}`);
    let definition = this.definitions.get(name);
    if (!definition) {
      const system = new Map<string, FieldDefinition>(SYSTEM_FIELDS.map(([field, type]) => [field, { name: field, type, label: field, externalId: false, readOnly: true }]));
      definition = { name, keyPrefix: 'e01', fields: system };
      this.definitions.set(name, definition);
    }
    for (const field of fields) {
      definition.fields.set(field.name, { name: field.name, type: field.type ?? 'string', label: field.name.replace(/__c$/, '').replaceAll('_', ' '), externalId: false, readOnly: false });
    }
  }

  definition(name: string): SObjectDefinition | undefined {
    return this.definitions.get(name);
  }

  /** The next `calls` publish calls fail with PLATFORM_EVENT_PUBLISHING_UNAVAILABLE (the event bus is down). */
  makeUnavailable(calls: number): void {
    this.unavailableCalls = calls;
  }

  /** True (and counts one down) when this publish call meets an unavailable bus. */
  takeUnavailable(): boolean {
    if (this.unavailableCalls <= 0) return false;
    this.unavailableCalls -= 1;
    return true;
  }

  /** The first field of `fields` the event does not have, if any (that fails the whole call). */
  unknownField(name: string, fields: Record<string, unknown>): string | undefined {
    const definition = this.definitions.get(name);
    return Object.keys(fields).find((field) => !definition?.fields.has(field));
  }

  /** Publishes one event: validated, counted against the hourly allocation, then stored with a ReplayId. */
  publish(name: string, input: Record<string, unknown>, unavailable: boolean): PublishOutcome {
    const validated = this.validate(name, input);
    if (!validated.ok) return { success: false, errors: [validated.error] };
    if (unavailable) return failure('PLATFORM_EVENT_PUBLISHING_UNAVAILABLE', 'Publishing platform event messages failed because a service was temporarily unavailable. Try again later.');
    const now = this.now();
    if (!this.allocation.tryAcquire(now)) return failure('LIMIT_EXCEEDED', 'The number of published platform event messages exceeded the hourly publishing limit.');
    this.sequence += 1;
    const eventUuid = `5e9f1c2a-0000-4000-8000-${this.sequence.toString(16).padStart(12, '0')}`;
    // Replay ids grow but skip values, as Salesforce's do; subscribers must not assume they are contiguous.
    const replayId = String(this.sequence * 7 + 1000);
    const events = this.published.get(name) ?? [];
    events.push({ replayId, eventUuid, publishedAt: new Date(now).toISOString(), fields: validated.values });
    this.published.set(name, events);
    return { success: true, id: `e01xx${this.sequence.toString(36).toUpperCase().padStart(10, '0')}AAA`, eventUuid };
  }

  /** The record error a publish of `input` would meet before the bus (bad field, wrong type), for all-or-none calls. */
  rejection(name: string, input: Record<string, unknown>): RecordError | undefined {
    const validated = this.validate(name, input);
    return validated.ok ? undefined : validated.error;
  }

  /** Every event published to `name`, oldest first (copies). */
  publishedEvents(name: string): PublishedEvent[] {
    return structuredClone(this.published.get(name) ?? []);
  }

  private validate(name: string, input: Record<string, unknown>): { ok: true; values: Record<string, unknown> } | { ok: false; error: RecordError } {
    const fields = this.definitions.get(name)?.fields;
    const values: Record<string, unknown> = {};
    for (const [field, raw] of Object.entries(input)) {
      const definition = fields?.get(field);
      if (!definition) return { ok: false, error: { statusCode: 'INVALID_FIELD', message: `No such column '${field}' on sobject of type ${name}`, fields: [field] } };
      if (definition.readOnly) return { ok: false, error: { statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: `Unable to create/update fields: ${field}.`, fields: [field] } };
      const coerced = coerceFieldValue(definition, raw, 'json');
      if (!coerced.ok) return { ok: false, error: { statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: coerced.message, fields: [field] } };
      if ('value' in coerced) values[field] = coerced.value;
    }
    return { ok: true, values };
  }
}

function failure(statusCode: string, message: string): PublishOutcome {
  return { success: false, errors: [{ statusCode, message, fields: [] }] };
}
