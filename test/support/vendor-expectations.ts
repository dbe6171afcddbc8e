import { expect } from 'vitest';
import type { DesiredRecord } from '../../core/sync/planner.js';
import { encodeValue, encodingFor } from '../../connectors/sinks/hubspot/property-encoding.js';
import { LIST_KEYS, listName, SEGMENT_NAMES, type ScenarioFields } from './sync-scenario.js';
import type { SinkHarness, VendorView } from './sink-harness.js';

/** Vendor field names the scenario writes, per vendor's naming rules. */
export const SCENARIO_FIELDS: Record<string, ScenarioFields> = {
  hubspot: { segments: 'segflow_segments', score: 'segflow_score' },
  salesforce: { segments: 'Segflow_Segments__c', score: 'Segflow_Score__c' },
  marketo: { segments: 'segflowSegments', score: 'segflowScore' },
};

/** How a vendor reports back a value segflow wrote (HubSpot keeps strings; cleared values read as empty). */
export function comparable(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return String(value);
}

/**
 * The vendor holds exactly the desired state: every desired record with its
 * values and list memberships; every departed record (synced before, out of
 * scope now) with its values cleared and in none of segflow's lists; no key
 * created twice.
 */
/** How each vendor stores what segflow sent: HubSpot keeps enumeration values as option internal values (slugs). */
const WRITTEN_AS: Record<string, (field: string, value: unknown) => string> = {
  hubspot: (field, value) =>
    field === SCENARIO_FIELDS.hubspot!.segments && typeof value === 'string'
      ? encodeValue(value, encodingFor({ name: field, label: field, type: 'enumeration', multiple: true, options: [...SEGMENT_NAMES] }))
      : comparable(value),
};

export function expectVendorMatches(view: VendorView, harness: SinkHarness, desired: readonly DesiredRecord[], departed: readonly string[] = []): void {
  const written = WRITTEN_AS[harness.name] ?? ((_field: string, value: unknown) => comparable(value));
  const records = view.records();
  const mismatches: string[] = [];
  for (const record of desired) {
    const stored = records.get(record.key);
    if (!stored) {
      mismatches.push(`${record.key}: missing`);
      continue;
    }
    for (const [field, value] of Object.entries(record.properties)) {
      const want = written(field, value);
      const got = comparable(stored.properties[field]);
      if (want !== got) mismatches.push(`${record.key}.${field}: want "${want}", vendor has "${got}"`);
    }
  }
  for (const key of departed) {
    const stored = records.get(key);
    if (!stored) continue;
    for (const [field, value] of Object.entries(stored.properties)) {
      if (Object.values(SCENARIO_FIELDS[harness.name] ?? {}).includes(field) && comparable(value) !== '') mismatches.push(`${key}.${field}: should be cleared, vendor has "${comparable(value)}"`);
    }
  }
  for (const list of LIST_KEYS) {
    const want = new Set(desired.filter((record) => record.lists.has(list)).map((record) => record.key));
    const got = view.listMembers(listName(list));
    const missing = [...want].filter((key) => !got.has(key));
    const extra = [...got].filter((key) => !want.has(key));
    if (missing.length > 0) mismatches.push(`list ${list}: ${missing.length} member(s) missing, e.g. ${missing.slice(0, 3).join(', ')}`);
    if (extra.length > 0) mismatches.push(`list ${list}: ${extra.length} unexpected member(s), e.g. ${extra.slice(0, 3).join(', ')}`);
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  expect(view.duplicateKeys()).toEqual([]);
}
