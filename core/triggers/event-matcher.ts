import type { Condition, EventMatcher, FieldSnapshot, JsonValue, TriggerEvent } from './trigger-types.js';

/**
 * Does an event match a step of a trigger? Names are a set (O(1) routing of
 * every event type a pending match waits for); conditions read properties by
 * dot path. A condition on a missing property fails, except `exists: false`
 * and `ne`, so "price >= 200" never matches an event without a price.
 */
export function matchesEvent(matcher: EventMatcher, event: TriggerEvent): boolean {
  const name = event.event;
  if (name === null || !matcher.names.has(name)) return false;
  for (const condition of matcher.conditions) {
    if (!holds(condition, readPath(event.properties, condition.path))) return false;
  }
  return true;
}

function holds(condition: Condition, actual: JsonValue | undefined): boolean {
  switch (condition.op) {
    case 'exists':
      return (actual !== undefined && actual !== null) === condition.value;
    case 'eq':
      return actual !== undefined && sameValue(actual, condition.value);
    case 'ne':
      return actual === undefined || !sameValue(actual, condition.value);
    case 'in':
      return actual !== undefined && condition.values.some((value) => sameValue(actual, value));
    default: {
      const number = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN;
      if (Number.isNaN(number)) return false;
      if (condition.op === 'gt') return number > condition.value;
      if (condition.op === 'gte') return number >= condition.value;
      if (condition.op === 'lt') return number < condition.value;
      return number <= condition.value;
    }
  }
}

function sameValue(left: JsonValue, right: JsonValue): boolean {
  // Sources disagree on "42" vs 42 for ids; compare scalars by their text.
  if (left === null || right === null) return left === right;
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return String(left) === String(right);
}

/** Paths split once: a mapping names a handful, and every event reads them (a split per read was garbage per event). */
const SPLIT_PATHS = new Map<string, readonly string[]>();

function partsOf(path: string): readonly string[] {
  let parts = SPLIT_PATHS.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    // Paths come from mappings, not from data, so this stays small; the bound is a guard against misuse.
    if (SPLIT_PATHS.size > 10_000) SPLIT_PATHS.clear();
    SPLIT_PATHS.set(path, parts);
  }
  return parts;
}

/** Reads `a.b.c` inside a JSON object; undefined when any step is missing. */
export function readPath(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const part of partsOf(path)) {
    if (current === null || current === undefined || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** The match key of an event: the key property as text, '' when the trigger is unkeyed, undefined when the event lacks it. */
export function keyOf(event: TriggerEvent, key: string | undefined): string | undefined {
  if (key === undefined) return '';
  const value = readPath(event.properties, key);
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The event fields a payload will read (`event.properties.cart_id`,
 * `event.timestamp`), captured now: a timer fires long after the event is
 * gone, and keeping only these paths keeps the state small.
 */
export function snapshotEvent(event: TriggerEvent, paths: readonly string[]): FieldSnapshot {
  const snapshot: FieldSnapshot = {};
  for (const path of paths) {
    const value = eventField(event, path.slice('event.'.length));
    if (value !== undefined) snapshot[path] = value;
  }
  return snapshot;
}

function eventField(event: TriggerEvent, path: string): JsonValue | undefined {
  if (path === 'name' || path === 'event') return event.event;
  if (path === 'messageId') return event.messageId;
  if (path === 'timestamp') return new Date(event.timestamp).toISOString();
  if (path === 'type') return event.type;
  if (path.startsWith('properties.')) return readPath(event.properties, path.slice('properties.'.length));
  return undefined;
}
