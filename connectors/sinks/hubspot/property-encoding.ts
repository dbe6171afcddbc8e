import type { PropertyValue, SinkPropertySpec } from '../../../core/sync/sink.js';

/**
 * How segflow's property specs and values become HubSpot's (vendor-facts
 * 1.4): types and field types, option internal values, and the string
 * forms HubSpot stores. Pure functions, so the rules are tested without
 * HTTP.
 */
export interface HubSpotPropertyType {
  type: 'string' | 'number' | 'bool' | 'datetime' | 'enumeration';
  fieldType: 'text' | 'number' | 'booleancheckbox' | 'date' | 'checkbox' | 'select';
}

/** What upsert needs to know about a prepared property to encode its values. */
export interface PropertyEncoding {
  spec: SinkPropertySpec;
  /** Option display name → internal value. */
  optionValues: ReadonlyMap<string, string>;
}

export function hubspotPropertyType(spec: SinkPropertySpec): HubSpotPropertyType {
  switch (spec.type) {
    case 'enumeration':
      return { type: 'enumeration', fieldType: spec.multiple ? 'checkbox' : 'select' };
    case 'number':
      return { type: 'number', fieldType: 'number' };
    case 'bool':
      return { type: 'bool', fieldType: 'booleancheckbox' };
    // HubSpot's date-time properties are type `datetime` shown with the `date` field type (the SDK has no `date-time` field type).
    case 'datetime':
      return { type: 'datetime', fieldType: 'date' };
    default:
      return { type: 'string', fieldType: 'text' };
  }
}

/**
 * The internal value of an option: a stable slug of its name, so a
 * segment keeps its option across runs and renames of the label do not
 * orphan stored values. Names without any ASCII letter or digit get a hash.
 */
export function optionValue(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return slug.length > 0 ? slug : `option_${fnv1a(name)}`;
}

/** Option names whose slugs collide (two names would share one HubSpot option). */
export function collidingOptions(names: readonly string[]): Array<[string, string]> {
  const byValue = new Map<string, string>();
  const collisions: Array<[string, string]> = [];
  for (const name of names) {
    const value = optionValue(name);
    const earlier = byValue.get(value);
    if (earlier !== undefined && earlier !== name) collisions.push([earlier, name]);
    else byValue.set(value, name);
  }
  return collisions;
}

export function optionInputs(names: readonly string[], firstDisplayOrder = 0): Array<{ label: string; value: string; hidden: boolean; displayOrder: number }> {
  return names.map((name, index) => ({ label: name, value: optionValue(name), hidden: false, displayOrder: firstDisplayOrder + index }));
}

export function encodingFor(spec: SinkPropertySpec): PropertyEncoding {
  return { spec, optionValues: new Map((spec.options ?? []).map((name) => [name, optionValue(name)])) };
}

/**
 * One value as HubSpot expects it: text. `null` becomes the empty string,
 * which clears the property. Enumeration values arrive as option names
 * (several joined with `;`) and leave as option internal values.
 */
export function encodeValue(value: PropertyValue, encoding: PropertyEncoding | undefined): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (encoding?.spec.type !== 'enumeration') return value;
  const parts = encoding.spec.multiple ? value.split(';') : [value];
  return parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => encoding.optionValues.get(part) ?? optionValue(part))
    .join(';');
}

export function encodeProperties(properties: Record<string, PropertyValue>, encodings: ReadonlyMap<string, PropertyEncoding>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) encoded[name] = encodeValue(value, encodings.get(name));
  return encoded;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
