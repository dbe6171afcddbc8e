import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { relativeError } from '../stats/index.js';
import { proportionUplift, welchTTest } from './index.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/stats/${name}`, import.meta.url), 'utf8')) as T;
}
type Counts = [number, number];
const groupTests = fixture<{
  proportions_ztest: Array<{ treatment: Counts; control: Counts; z: number; p: number }>;
  welch: Array<{ a: number[]; b: number[]; t: number; p: number; df: number }>;
}>('group-tests.json');
const intervals = fixture<{ newcombe: Array<{ treatment: Counts; control: Counts; alpha: number; low: number; high: number }> }>('intervals.json');

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  expect(relativeError(actual, expected), `got ${actual}, oracle says ${expected}`).toBeLessThan(tolerance);
}
const arm = ([conversions, n]: Counts) => ({ conversions, n });

describe('conversion uplift matches statsmodels (test/oracles/stats_oracle.py) to 1e-9 relative', () => {
  it('includes a p-value below 1e-20', () => {
    expect(groupTests.proportions_ztest.some((row) => row.p < 1e-20)).toBe(true);
  });
  it.each(groupTests.proportions_ztest)('proportions_ztest $treatment vs $control', ({ treatment, control, z, p }) => {
    const result = proportionUplift(arm(treatment), arm(control));
    expectRelative(result.z, z);
    expectRelative(result.p, p);
  });
  it.each(intervals.newcombe)('Newcombe interval $treatment vs $control, alpha=$alpha', ({ treatment, control, alpha, low, high }) => {
    const { newcombe } = proportionUplift(arm(treatment), arm(control), { alpha });
    expectRelative(newcombe.low, low);
    expectRelative(newcombe.high, high);
  });
  it('reports the Wald interval around the observed difference', () => {
    const result = proportionUplift({ conversions: 150, n: 1000 }, { conversions: 120, n: 1000 });
    expect(result.difference).toBeCloseTo(0.03, 15);
    expect(result.relativeUplift).toBeCloseTo(0.25, 12);
    expect((result.wald.low + result.wald.high) / 2).toBeCloseTo(0.03, 15);
    // Half-width 1.96 · √(0.15·0.85/1000 + 0.12·0.88/1000).
    expect(result.wald.high - result.difference).toBeCloseTo(1.959963984540054 * Math.sqrt(0.1275e-3 + 0.1056e-3), 14);
  });
});

describe("revenue uplift: Welch's t matches scipy ttest_ind(equal_var=False)", () => {
  it.each(groupTests.welch.map((row) => ({ ...row, sizes: `${row.a.length} vs ${row.b.length}` })))('samples of $sizes', ({ a, b, t, p, df }) => {
    const result = welchTTest(a, b);
    expectRelative(result.t, t);
    expectRelative(result.p, p);
    expectRelative(result.degreesOfFreedom, df);
  });
});
