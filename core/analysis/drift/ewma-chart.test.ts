import { describe, expect, it } from 'vitest';
import { cusumChart } from './cusum-chart.js';
import { ewmaChart } from './ewma-chart.js';
import { loadDriftFixture, maxRelativeError } from './oracle-fixtures.test-support.js';

interface ChartCase {
  chart: 'ewma' | 'cusum';
  lambda: number;
  limitWidth: number;
  k: number;
  h: number;
  mean: number;
  sigma: number;
  series: number[];
  statistic: number[];
  lower: number[];
  upper: number[];
}

const cases = loadDriftFixture<ChartCase>('charts');

describe('ewmaChart', () => {
  it.each(cases.filter((c) => c.chart === 'ewma').map((c) => [c.lambda, c]))('matches the oracle statistic and exact limits (λ=%s)', (_, c) => {
    const chart = ewmaChart(c.series, { mean: c.mean, sigma: c.sigma, lambda: c.lambda, limitWidth: c.limitWidth });
    expect(maxRelativeError(chart.statistic, c.statistic)).toBeLessThan(1e-12);
    expect(maxRelativeError(chart.lower, c.lower)).toBeLessThan(1e-12);
    expect(maxRelativeError(chart.upper, c.upper)).toBeLessThan(1e-12);
  });

  it('starts with limits narrower than the asymptotic ones and converges to them', () => {
    const chart = ewmaChart(new Array<number>(200).fill(0), { mean: 0, sigma: 1, lambda: 0.1, limitWidth: 3 });
    expect(chart.upper[0]).toBeCloseTo(3 * 0.1, 12); // L·σ·λ at t = 1
    expect(chart.upper[199]).toBeCloseTo(chart.asymptoticUpper, 8);
    expect(chart.firstAlarm).toBeUndefined();
  });

  it('alarms on an early jump that the asymptotic limits would miss', () => {
    const series = [2.5, 2.5, 0, 0];
    const chart = ewmaChart(series, { mean: 0, sigma: 1, lambda: 0.2, limitWidth: 3 });
    expect(chart.firstAlarm).toBe(1);
    expect(chart.statistic[1]).toBeLessThan(chart.asymptoticUpper);
  });

  it('rejects λ outside (0, 1]', () => {
    expect(() => ewmaChart([1], { mean: 0, sigma: 1, lambda: 0 })).toThrow(/lambda/);
  });
});

describe('cusumChart', () => {
  it.each(cases.filter((c) => c.chart === 'cusum').map((c) => [c.h, c]))('matches the oracle C+ and C− (h=%s)', (_, c) => {
    const chart = cusumChart(c.series, { mean: c.mean, sigma: c.sigma, k: c.k, h: c.h });
    expect(maxRelativeError(chart.upper, c.upper)).toBeLessThan(1e-12);
    expect(maxRelativeError(chart.lower, c.lower)).toBeLessThan(1e-12);
    expect(chart.threshold).toBe(c.h * c.sigma);
  });

  it('signals a downward shift on the lower side only', () => {
    const series = [...new Array<number>(5).fill(10), ...new Array<number>(10).fill(8)];
    const chart = cusumChart(series, { mean: 10, sigma: 1, k: 0.5, h: 4 });
    // Each low run adds 2 − 0.5 = 1.5σ, so C− passes 4σ on the third one.
    expect(chart.firstAlarm).toEqual({ index: 7, direction: 'down' });
    expect(chart.upperAlarms).toEqual([]);
  });
});
