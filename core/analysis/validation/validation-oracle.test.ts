import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { relativeError } from '../stats/index.js';
import { chiSquareIndependence, kruskalWallis, meanInterval, oneWayAnova, pearsonCorrelation, spearmanCorrelation, wilsonInterval } from './index.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/stats/${name}`, import.meta.url), 'utf8')) as T;
}
interface GroupTests {
  chi2_contingency: Array<{ table: number[][]; statistic: number; p: number; df: number; cramers_v: number }>;
  kruskal: Array<{ groups: number[][]; h: number; p: number; epsilon_squared: number }>;
  f_oneway: Array<{ groups: number[][]; f: number; p: number; eta_squared: number }>;
  correlation: Array<{ x: number[]; y: number[]; pearson: { r: number; p: number }; spearman: { rho: number; p: number } }>;
}
interface Intervals {
  wilson: Array<{ count: number; n: number; alpha: number; low: number; high: number }>;
  mean_t_interval: Array<{ values: number[]; alpha: number; mean: number; low: number; high: number }>;
}
const groupTests = fixture<GroupTests>('group-tests.json');
const intervals = fixture<Intervals>('intervals.json');

const TOLERANCE = 1e-9;
function expectRelative(actual: number, expected: number, tolerance = TOLERANCE): void {
  expect(relativeError(actual, expected), `got ${actual}, oracle says ${expected}`).toBeLessThan(tolerance);
}

describe('segment difference tests match scipy (test/oracles/stats_oracle.py) to 1e-9 relative', () => {
  it('includes p-values below 1e-20', () => {
    const ps = [...groupTests.chi2_contingency, ...groupTests.kruskal, ...groupTests.f_oneway].map((row) => row.p);
    expect(ps.filter((p) => p < 1e-20).length).toBeGreaterThanOrEqual(3);
  });
  it.each(groupTests.chi2_contingency)('chi-square independence on $table', ({ table, statistic, p, df, cramers_v: cramersV }) => {
    const result = chiSquareIndependence(table);
    expectRelative(result.statistic, statistic);
    expectRelative(result.p, p);
    expect(result.degreesOfFreedom).toBe(df);
    expectRelative(result.cramersV, cramersV);
  });
  it.each(groupTests.kruskal.map((row, index) => ({ ...row, index })))('Kruskal–Wallis with ties, case $index', ({ groups, h, p, epsilon_squared: epsilonSquared }) => {
    const result = kruskalWallis(groups);
    expectRelative(result.statistic, h);
    expectRelative(result.p, p);
    expectRelative(result.epsilonSquared, epsilonSquared);
  });
  it.each(groupTests.f_oneway.map((row, index) => ({ ...row, index })))('one-way ANOVA, case $index', ({ groups, f, p, eta_squared: etaSquared }) => {
    const result = oneWayAnova(groups);
    expectRelative(result.statistic, f);
    expectRelative(result.p, p);
    expectRelative(result.etaSquared, etaSquared);
  });
  it.each(groupTests.correlation.map((row, index) => ({ ...row, index })))('Pearson and Spearman, case $index', ({ x, y, pearson, spearman }) => {
    const r = pearsonCorrelation(x, y);
    expectRelative(r.coefficient, pearson.r);
    expectRelative(r.p, pearson.p);
    const rho = spearmanCorrelation(x, y);
    expectRelative(rho.coefficient, spearman.rho);
    expectRelative(rho.p, spearman.p);
  });
});

describe('KPI intervals match statsmodels and scipy', () => {
  it.each(intervals.wilson)('Wilson interval for $count/$n at alpha=$alpha', ({ count, n, alpha, low, high }) => {
    const interval = wilsonInterval(count, n, { alpha });
    // An interval end at exactly 0 or 1 can only be matched absolutely.
    expect(Math.abs(interval.low - low)).toBeLessThan(1e-15 + TOLERANCE * Math.abs(low));
    expect(Math.abs(interval.high - high)).toBeLessThan(1e-15 + TOLERANCE * Math.abs(high));
  });
  it.each(intervals.mean_t_interval.map((row) => ({ ...row, n: row.values.length })))('t interval of a mean, n=$n, alpha=$alpha', ({ values, alpha, mean, low, high }) => {
    const interval = meanInterval(values, { alpha });
    expectRelative(interval.mean, mean);
    // Half-widths, not ends: a low end near 0 magnifies scipy's own t.ppf
    // error (~1e-10, see special-functions.test.ts) past 1e-9.
    expectRelative(interval.high - interval.mean, high - mean);
    expectRelative(interval.mean - interval.low, mean - low);
  });
});
