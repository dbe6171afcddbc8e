import { expect } from 'vitest';
import type { DesiredRecord } from '../../core/sync/planner.js';
import { LIST_KEYS, listName, storedText, type SinkHarness, type VendorView } from '../../core/sync/simulation/index.js';

/**
 * The vendor holds exactly the desired state: every desired record with its
 * values (as the harness says the vendor stores them) and list memberships;
 * every departed record (synced before, out of scope now) with the
 * scenario's fields cleared and in none of segflow's lists; no key created
 * twice.
 */
export function expectVendorMatches(view: VendorView, harness: SinkHarness, desired: readonly DesiredRecord[], departed: readonly string[] = []): void {
  const records = view.records();
  const scenarioFields = new Set(Object.values(harness.fields));
  const mismatches: string[] = [];
  for (const record of desired) {
    const stored = records.get(record.key);
    if (!stored) {
      mismatches.push(`${record.key}: missing`);
      continue;
    }
    for (const [field, value] of Object.entries(record.properties)) {
      const want = harness.writtenAs(field, value);
      const got = storedText(stored.properties[field]);
      if (want !== got) mismatches.push(`${record.key}.${field}: want "${want}", vendor has "${got}"`);
    }
  }
  for (const key of departed) {
    const stored = records.get(key);
    if (!stored) continue;
    for (const [field, value] of Object.entries(stored.properties)) {
      if (scenarioFields.has(field) && storedText(value) !== '') mismatches.push(`${key}.${field}: should be cleared, vendor has "${storedText(value)}"`);
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
