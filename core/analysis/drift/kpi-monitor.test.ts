import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { monitorSegmentKpis } from './kpi-monitor.js';

function runs(seed: number, count: number, mean: number, sigma: number, shiftAt?: number, shiftBy = 0): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, index) => mean + sigma * rng.normal() + (shiftAt !== undefined && index >= shiftAt ? shiftBy : 0));
}

describe('monitorSegmentKpis', () => {
  it('alarms after a segment share shifts by 2σ and not before', () => {
    const [vip, churn] = monitorSegmentKpis({
      vip: runs(1, 60, 0.12, 0.004, 30, 0.008),
      churned: runs(2, 60, 0.3, 0.01),
    }, { baselineRuns: 20 });
    expect(vip?.status).toBe('monitored');
    if (vip?.status !== 'monitored') return;
    expect(vip.alarm).toBe(true);
    expect(vip.cusumFirstAlarm?.direction).toBe('up');
    expect(vip.cusumFirstAlarm?.index).toBeGreaterThanOrEqual(30);
    expect(vip.ewmaFirstAlarm).toBeGreaterThanOrEqual(30);
    expect(churn).toMatchObject({ segment: 'churned', status: 'monitored', alarm: false });
  });

  it('explains when a baseline cannot set limits', () => {
    const statuses = monitorSegmentKpis({ short: [1, 2, 3], flat: new Array<number>(15).fill(4) }, { baselineRuns: 10 });
    expect(statuses.map((status) => status.status)).toEqual(['insufficient-baseline', 'insufficient-baseline']);
    expect(statuses[1]).toMatchObject({ reason: expect.stringMatching(/constant/) });
  });
});
