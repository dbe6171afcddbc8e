import type { JsonValue } from '../events/canonical-event.js';

/**
 * One text for one value, whatever order its keys were built in: object keys
 * sorted, no whitespace, `undefined` properties left out (as JSON.stringify
 * does). Hashes are taken over this text, so a trail written on one machine
 * verifies on another, and a value read back from SQLite or PostgreSQL
 * hashes as it did when it was sealed.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}
