import type { PropertyValue } from '../../../core/sync/sink.js';

/**
 * One record to write: its external id value, the profile (for messages) and
 * the fields segflow owns. Its own file because both write paths (sObject
 * Collections in upsert-records.ts, Bulk API 2.0 in bulk-upsert.ts) take it.
 */
export interface UpsertRow {
  key: string;
  profileId: string;
  properties: Record<string, PropertyValue>;
}
