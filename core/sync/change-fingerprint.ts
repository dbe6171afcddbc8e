import { createHash } from 'node:crypto';
import type { PropertyValue, SinkChange } from './sink.js';

/** Identifies a change by its content: a dead letter stays parked until the record's desired state changes. */
export function fingerprint(change: SinkChange): string {
  const content = JSON.stringify([change.op, change.record.profileId, change.record.key, 'list' in change ? change.list : null, 'properties' in change ? sortedEntries(change.properties) : null]);
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}

function sortedEntries(properties: Readonly<Record<string, PropertyValue>>): Array<[string, PropertyValue]> {
  return Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
