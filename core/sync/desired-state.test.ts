import { describe, expect, it } from 'vitest';
import type { SinkMapping } from '../config/sink-schema.js';
import { consentAllows, desiredRecord, normalizeKey, schemaSpec, type SegmentInfo } from './desired-state.js';

const segments: SegmentInfo[] = [
  { id: 'rfm/new_customers', name: 'New Customers', segmentation: 'rfm' },
  { id: 'rfm/champions', name: 'Champions', segmentation: 'rfm' },
  { id: 'behavior-3', name: 'New customers', segmentation: 'behavior' },
  { id: 'cart', name: 'Cart abandoners', segmentation: 'cart' },
];
const mapping = (properties: SinkMapping['properties'], lists: SinkMapping['lists'] = []): SinkMapping => ({
  id: 'crm', type: 'hubspot', sandbox: false, mode: 'sync', identify_by: 'email', consent_categories: [], properties, lists,
});

describe('desired state (pure parts)', () => {
  it('qualifies segment names that clash across segmentations, in options and values alike', () => {
    const sink = mapping({ tags: { segments: 'all' } });
    expect(schemaSpec(sink, segments).properties[0]?.options).toEqual(['New Customers (rfm)', 'Champions', 'New customers (behavior)', 'Cart abandoners']);
    const record = desiredRecord({ profileId: 'u:1', key: 'a@b.c', consent: null, segmentIds: ['rfm/new_customers', 'behavior-3', 'cart'], features: {}, traits: {} }, sink, segments);
    expect(record.properties.tags).toBe('Cart abandoners;New Customers (rfm);New customers (behavior)');
  });

  it('maps segment_of, features (rounded) and lists; a profile in nothing gets empty values', () => {
    const sink = mapping({ rfm: { segment_of: 'rfm' }, spend: { feature: 'monetary' } }, [{ segment: 'rfm' }, { segment: 'cart', name: 'Abandoned carts' }]);
    expect(schemaSpec(sink, segments).lists).toEqual([
      { key: 'rfm/new_customers', name: 'segflow: New Customers' },
      { key: 'rfm/champions', name: 'segflow: Champions' },
      { key: 'cart', name: 'Abandoned carts' },
    ]);
    const member = desiredRecord({ profileId: 'u:1', key: 'k', consent: null, segmentIds: ['rfm/champions', 'cart'], features: { monetary: 12.3456789 }, traits: {} }, sink, segments);
    expect(member.properties).toEqual({ rfm: 'Champions', spend: 12.345679 });
    expect([...member.lists].sort()).toEqual(['cart', 'rfm/champions']);
    const nobody = desiredRecord({ profileId: 'u:2', key: 'k2', consent: null, segmentIds: [], features: { monetary: null }, traits: {} }, sink, segments);
    expect(nobody.properties).toEqual({ rfm: null, spend: null });
  });

  it('applies Segment consent semantics: no consent object, no filter; empty preferences deny; every category must be true', () => {
    expect(consentAllows(null, ['Marketing'])).toBe(true);
    expect(consentAllows('{"categoryPreferences":{}}', ['Marketing'])).toBe(false);
    expect(consentAllows('{"categoryPreferences":{"Marketing":true,"Ads":false}}', ['Marketing'])).toBe(true);
    expect(consentAllows('{"categoryPreferences":{"Marketing":true,"Ads":false}}', ['Marketing', 'Ads'])).toBe(false);
    expect(consentAllows('{"categoryPreferences":{"Marketing":true}}', [])).toBe(true);
  });

  it('normalizes keys: emails trimmed and lowercased, blanks dropped', () => {
    expect(normalizeKey('email', '  Ann@Example.COM ')).toBe('ann@example.com');
    expect(normalizeKey('email', '   ')).toBeNull();
    expect(normalizeKey('crm_id', ' AbC ')).toBe('AbC');
  });
});
