import { createHash } from 'node:crypto';
import type { JsonValue } from '../../../core/events/canonical-event.js';

export interface DedupKey {
  projectId: string;
  event: string;
  /** Epoch ms (seconds and milliseconds exports of one event give the same value). */
  timeMs: number;
  distinctId: string | null;
  insertId: string | null;
  /** Only read when there is no `$insert_id`. */
  properties: { [key: string]: JsonValue };
}

/**
 * The messageId of an exported event. Mixpanel treats events with the same
 * (event, time, distinct_id, $insert_id) as one and the raw export does not
 * deduplicate them (vendor-facts.md §4), so the id is a hash of exactly that
 * tuple: every copy of an event, and every re-read of a day, lands on one id.
 * The project id is part of it because Mixpanel deduplicates per project.
 *
 * Without `$insert_id` Mixpanel does not deduplicate at all, so two such
 * events stay two unless every property is equal: the properties (keys
 * sorted, so the export's key order does not matter) join the tuple.
 */
export function mixpanelMessageId(key: DedupKey): string {
  const tuple: JsonValue[] = [key.projectId, key.event, key.timeMs, key.distinctId, key.insertId];
  if (key.insertId === null) tuple.push(stableJson(key.properties));
  const digest = createHash('sha256').update(JSON.stringify(tuple)).digest('hex');
  return `mixpanel:${digest.slice(0, 40)}`;
}

/** JSON with object keys sorted at every level. */
export function stableJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
