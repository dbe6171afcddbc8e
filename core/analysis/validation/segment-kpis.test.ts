import { describe, expect, it } from 'vitest';
import { segmentKpis, wilsonInterval, type SegmentMember } from './index.js';

function member(segment: string, converted: boolean, retained: boolean, orderValues: number[] = []): SegmentMember {
  return { segment, converted, retained, orderValues };
}

describe('segmentKpis', () => {
  const members: SegmentMember[] = [
    member('vip', true, true, [120, 80]),
    member('vip', true, false, [100]),
    member('vip', false, true),
    member('new', false, false),
    member('new', true, true, [20]),
    member('new', false, true),
    member('new', false, false),
  ];
  const [vip, fresh] = segmentKpis(members);

  it('reports one row per segment in first-seen order', () => {
    expect(segmentKpis(members).map((row) => [row.segment, row.members])).toEqual([['vip', 3], ['new', 4]]);
  });

  it('gives conversion, retention and churn as Wilson intervals', () => {
    expect(vip?.conversionRate).toEqual(wilsonInterval(2, 3));
    expect(vip?.retentionRate).toEqual(wilsonInterval(2, 3));
    expect(fresh?.churnRate).toEqual(wilsonInterval(2, 4));
    expect(fresh?.conversionRate.estimate).toBe(0.25);
  });

  it('averages order values over orders, with a t interval around the mean', () => {
    expect(vip?.averageOrderValue?.mean).toBe(100);
    expect(vip?.averageOrderValue?.count).toBe(3);
    // s = 20, n = 3, t(0.975, 2) = 4.302652729749464.
    expect(vip?.averageOrderValue?.high).toBeCloseTo(100 + (4.302652729749464 * 20) / Math.sqrt(3), 10);
    // One order: a mean without a finite interval.
    expect(fresh?.averageOrderValue?.low).toBe(-Infinity);
  });

  it('leaves AOV undefined for a segment without orders', () => {
    expect(segmentKpis([member('idle', false, true)])[0]?.averageOrderValue).toBeUndefined();
  });
});
