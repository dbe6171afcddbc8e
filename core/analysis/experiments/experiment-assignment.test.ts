import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { chiSquareIndependence } from '../validation/index.js';
import { armOf, experimentSegmentIds, resolveAssignment, type SegmentRecord } from './index.js';

const segments: SegmentRecord[] = [
  { id: 'rfm/at_risk', name: 'At Risk', segmentation: 'rfm' },
  { id: 'rfm/champions', name: 'Champions', segmentation: 'rfm' },
  { id: 'behavior-1', name: 'At Risk', segmentation: 'behavior' },
  { id: 'cart', name: 'Cart abandoners', segmentation: 'cart' },
];
const experiment = (id: string, segment: string, extra: { salt?: string; holdout_share?: number } = {}) =>
  ({ id, segment, holdout_share: 0.1, start: '2026-05-01', window: '30d', ...extra });

function profileIds(seed: number, size: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => `u:customer-${rng.uint32().toString(36)}-${rng.uint32().toString(36)}`);
}

describe('experiment assignment', () => {
  it('resolves the segment as a segment id, then a segmentation, then a segment name', () => {
    expect([...experimentSegmentIds('rfm/at_risk', segments)]).toEqual(['rfm/at_risk']);
    expect([...experimentSegmentIds('rfm', segments)]).toEqual(['rfm/at_risk', 'rfm/champions']);
    expect([...experimentSegmentIds('At Risk', segments)]).toEqual(['rfm/at_risk', 'behavior-1']);
    expect([...experimentSegmentIds('Nobody', segments)]).toEqual([]);
  });

  it('gives an arm only to members of the segment', () => {
    const assignment = resolveAssignment(experiment('winback', 'rfm/at_risk'), segments);
    expect(armOf(assignment, 'u:1', ['cart'])).toBeNull();
    expect(armOf(assignment, 'u:1', ['cart', 'rfm/at_risk'])).toMatch(/^(treatment|holdout)$/);
  });

  it('holds out 10% ± 1% of 10k members, the same arms on every call and whatever the segment order', () => {
    const assignment = resolveAssignment(experiment('winback', 'rfm/at_risk'), segments);
    const ids = profileIds(5, 10_000);
    const arms = ids.map((id) => armOf(assignment, id, ['rfm/at_risk']));
    expect(Math.abs(arms.filter((arm) => arm === 'holdout').length / ids.length - 0.1)).toBeLessThan(0.01);
    const again = resolveAssignment(experiment('winback', 'rfm/at_risk'), [...segments].reverse());
    expect(ids.map((id) => armOf(again, id, ['rfm/at_risk']))).toEqual(arms);
  });

  it('salts by the experiment id by default: two campaigns on one segment split independently (chi-square, p > 0.01)', () => {
    const first = resolveAssignment(experiment('spring', 'cart', { holdout_share: 0.2 }), segments);
    const second = resolveAssignment(experiment('summer', 'cart', { holdout_share: 0.5 }), segments);
    expect([first.salt, second.salt]).toEqual(['spring', 'summer']);
    const table = [[0, 0], [0, 0]];
    for (const id of profileIds(6, 10_000)) {
      const row = table[armOf(first, id, ['cart']) === 'holdout' ? 1 : 0] as number[];
      row[armOf(second, id, ['cart']) === 'holdout' ? 1 : 0] += 1;
    }
    expect(chiSquareIndependence(table).p).toBeGreaterThan(0.01);
  });

  it('a shared salt gives the same split, for campaigns meant to share one holdout', () => {
    const first = resolveAssignment(experiment('email', 'cart', { salt: 'q2' }), segments);
    const second = resolveAssignment(experiment('sms', 'cart', { salt: 'q2' }), segments);
    const ids = profileIds(7, 500);
    expect(ids.map((id) => armOf(second, id, ['cart']))).toEqual(ids.map((id) => armOf(first, id, ['cart'])));
  });
});
