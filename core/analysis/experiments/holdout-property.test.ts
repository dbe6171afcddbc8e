import { describe, expect, it } from 'vitest';
import type { SinkMapping } from '../../config/sink-schema.js';
import { desiredRecord, schemaSpec, type SegmentInfo } from '../../sync/desired-state.js';
import { assignArm } from './index.js';

const segments: SegmentInfo[] = [
  { id: 'rfm/at_risk', name: 'At Risk', segmentation: 'rfm' },
  { id: 'cart', name: 'Cart abandoners', segmentation: 'cart' },
];
const sink: SinkMapping = {
  id: 'crm', type: 'hubspot', sandbox: false, mode: 'sync', identify_by: 'email', consent_categories: [],
  properties: { segflow_holdout_winback: { holdout: 'winback' } }, lists: [],
};
const experiments = [{ id: 'winback', segment: 'rfm/at_risk', holdout_share: 0.5, start: '2026-05-01', window: '30d' }];
const row = (profileId: string, segmentIds: string[]) => ({ profileId, key: `${profileId}@x`, consent: null, segmentIds, features: {}, traits: {} });

describe('the holdout as a sink property ({ holdout: <experiment id> })', () => {
  it('is an enumeration of the two arms in the vendor schema', () => {
    expect(schemaSpec(sink, segments).properties).toEqual([{ name: 'segflow_holdout_winback', label: 'Segflow holdout winback', type: 'enumeration', options: ['treatment', 'holdout'] }]);
  });

  it("holds each member's arm (salted by the experiment id) and is empty outside the segment", () => {
    const ids = Array.from({ length: 40 }, (_, index) => `u:${index}`);
    const values = ids.map((id) => desiredRecord(row(id, ['rfm/at_risk']), sink, segments, experiments).properties.segflow_holdout_winback);
    expect(values).toEqual(ids.map((id) => assignArm(id, { salt: 'winback', holdoutShare: 0.5 })));
    expect(new Set(values)).toEqual(new Set(['treatment', 'holdout']));
    expect(desiredRecord(row('u:1', ['cart']), sink, segments, experiments).properties.segflow_holdout_winback).toBeNull();
  });
});
