/**
 * The fake portal's custom behavioral events (vendor-facts.md 1.5): event
 * definitions (at most 500 per portal) and the occurrences the send
 * endpoints accepted, which tests read back (`control.events`).
 *
 * Dedup by `uuid`: HubSpot's send reference says the uuid "must be unique
 * within the event type … When multiple events have the same ID within a
 * year, the first will be accepted and all others will be rejected"
 * (developers.hubspot.com/docs/api-reference/latest/events/send-event-data/send-event-occurrence).
 * The send endpoints answer 204 on receipt and process asynchronously, so
 * our reading is that the later copy is dropped without failing the request
 * that carried it: the fake answers 204 and counts it in `duplicatesDropped`,
 * not as an occurrence.
 */
export const MAX_EVENT_DEFINITIONS = 500;

export interface EventPropertyDefinition {
  name: string;
  label: string;
  type: string;
  description: string;
}

export interface StoredEventDefinition {
  id: string;
  name: string;
  label: string;
  description: string;
  primaryObject: string;
  fullyQualifiedName: string;
  properties: Map<string, EventPropertyDefinition>;
  createdAt: string;
}

export interface EventOccurrence {
  /** The internal name (without `pe{portal}_`). */
  name: string;
  uuid: string;
  occurredAt: string;
  properties: Record<string, string>;
  email?: string;
  objectId?: string;
  utk?: string;
}

export class EventStore {
  private readonly definitions = new Map<string, StoredEventDefinition>();
  private readonly accepted: EventOccurrence[] = [];
  private readonly seenUuids = new Set<string>();
  private nextId = 1;
  duplicatesDropped = 0;

  constructor(
    readonly portalId: number,
    private readonly now: () => number,
  ) {}

  get(name: string): StoredEventDefinition | undefined {
    return this.definitions.get(name);
  }

  /** The definition a send names by its fully qualified name, `pe{portal}_{name}`. */
  byFullyQualifiedName(eventName: string): StoredEventDefinition | undefined {
    const prefix = `pe${this.portalId}_`;
    return eventName.startsWith(prefix) ? this.definitions.get(eventName.slice(prefix.length)) : undefined;
  }

  all(): StoredEventDefinition[] {
    return [...this.definitions.values()];
  }

  get size(): number {
    return this.definitions.size;
  }

  create(input: { name: string; label: string; description: string; primaryObject: string; properties: readonly EventPropertyDefinition[] }): StoredEventDefinition {
    const definition: StoredEventDefinition = {
      id: String(this.nextId++),
      name: input.name,
      label: input.label,
      description: input.description,
      primaryObject: input.primaryObject,
      fullyQualifiedName: `pe${this.portalId}_${input.name}`,
      properties: new Map(input.properties.map((property) => [property.name, property])),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.definitions.set(definition.name, definition);
    return definition;
  }

  remove(name: string): boolean {
    return this.definitions.delete(name);
  }

  /** Stores an accepted occurrence; false when its uuid was already accepted for this event type (dropped). */
  record(occurrence: EventOccurrence): boolean {
    const key = `${occurrence.name}\u001f${occurrence.uuid}`;
    if (this.seenUuids.has(key)) {
      this.duplicatesDropped += 1;
      return false;
    }
    this.seenUuids.add(key);
    this.accepted.push(occurrence);
    return true;
  }

  /** Accepted occurrences, all or of one event (internal name), in arrival order. */
  occurrences(name?: string): EventOccurrence[] {
    return this.accepted.filter((occurrence) => name === undefined || occurrence.name === name).map((occurrence) => ({ ...occurrence, properties: { ...occurrence.properties } }));
  }
}

/** A definition as the event-definitions API returns it. */
export function publicDefinition(definition: StoredEventDefinition): Record<string, unknown> {
  return {
    id: definition.id,
    name: definition.name,
    fullyQualifiedName: definition.fullyQualifiedName,
    labels: { singular: definition.label, plural: null },
    description: definition.description,
    primaryObject: definition.primaryObject,
    primaryObjectId: definition.primaryObject === 'CONTACT' ? '0-1' : definition.primaryObject,
    objectTypeId: `6-${definition.id}`,
    trackingType: 'MANUAL',
    archived: false,
    createdAt: definition.createdAt,
    properties: [...definition.properties.values()].map(publicEventProperty),
    associations: [],
  };
}

export function publicEventProperty(property: EventPropertyDefinition): Record<string, unknown> {
  return { name: property.name, label: property.label, type: property.type, fieldType: property.type === 'number' ? 'number' : 'text', description: property.description, options: [], hidden: false, hubspotDefined: false, archived: false };
}
