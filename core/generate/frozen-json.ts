import type { JsonObject } from '../events/canonical-event.js';

/**
 * Frozen objects are the generator's shared parts (device contexts, product
 * properties, pages): the devices and the catalog freeze them, the message
 * writer stringifies each once. Its own file so that the objects' builders
 * and message-json.ts both depend on it rather than on each other.
 */
const fragments = new WeakMap<object, string>();

/** JSON text of an object; cached when the object is frozen (shared, so worth caching, and safe because it cannot change). */
export function jsonOf(value: JsonObject): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = fragments.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    fragments.set(value, text);
  }
  return text;
}

/** Freezes an object and everything in it, marking it shared for {@link jsonOf}. */
export function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
