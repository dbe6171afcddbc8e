import { describe, expect, it } from 'vitest';
import { etsForecast, etsIntervals } from './ets-intervals.js';
import { fitHoltWinters } from './fit-holt-winters.js';
import { heuristicInitialState } from './holt-winters-initial.js';
import { holtWinters } from './holt-winters.js';
import { loadRetailOracle, maxAbsDiff } from './retail-fixture.test-support.js';
import { normalSeries } from './seeded-noise.test-support.js';

/**
 * Holt-Winters against statsmodels 0.13.5 on 374 days of Online Retail revenue
 * (fixture: test/oracles/trends_stl.py). Fixed smoothing parameters:
 * `ExponentialSmoothing(...).fit(optimized=False)` forecasts (28 days) within
 * 1e-4 absolute (revenue ~1e5; achieved ~1e-10), heuristic initial states
 * within 1e-6 absolute; ETSModel 95% prediction intervals within 1e-4.
 */
const oracle = loadRetailOracle();
const y = oracle.series.values;
const { fixed, known_initial: known, by_initialization: expected } = oracle.holt_winters;
const period = oracle.period;
const horizon = oracle.horizon;
const seasonalParameters = {
  level: fixed.seasonal.smoothing_level,
  trend: fixed.seasonal.smoothing_trend,
  seasonal: fixed.seasonal.smoothing_seasonal,
};
const holtParameters = { level: fixed.holt.smoothing_level, trend: fixed.holt.smoothing_trend };
const knownSeasonal = {
  level: known.seasonal.initial_level,
  trend: known.seasonal.initial_trend,
  seasonal: known.seasonal.initial_seasonal,
};
const knownHolt = { level: known.holt.initial_level, trend: known.holt.initial_trend, seasonal: [] };

describe('Holt-Winters with fixed parameters equals statsmodels ExponentialSmoothing', () => {
  it.each([
    ['known', knownSeasonal],
    ['heuristic', heuristicInitialState(y, period)],
  ] as const)('additive trend and season, %s initialization', (name, initial) => {
    const want = expected[name].additive;
    expect(Math.abs(initial.level - want.initial_level)).toBeLessThan(1e-6);
    expect(Math.abs(initial.trend - want.initial_trend)).toBeLessThan(1e-6);
    expect(maxAbsDiff(initial.seasonal, want.initial_seasonal ?? [])).toBeLessThan(1e-6);
    const result = holtWinters(y, seasonalParameters, initial, period, horizon);
    expect(maxAbsDiff(result.forecast, want.forecast)).toBeLessThan(1e-4);
    expect(maxAbsDiff(result.fitted, want.fitted ?? [])).toBeLessThan(1e-4);
    expect(Math.abs(result.sse / want.sse - 1)).toBeLessThan(1e-12);
  });

  it.each([
    ['known', knownHolt],
    ['heuristic', heuristicInitialState(y, undefined)],
  ] as const)("Holt's linear trend, %s initialization", (name, initial) => {
    const want = expected[name].holt;
    expect(Math.abs(initial.level - want.initial_level)).toBeLessThan(1e-6);
    expect(Math.abs(initial.trend - want.initial_trend)).toBeLessThan(1e-6);
    const result = holtWinters(y, holtParameters, initial, undefined, horizon);
    expect(maxAbsDiff(result.forecast, want.forecast)).toBeLessThan(1e-4);
    expect(Math.abs(result.sse / want.sse - 1)).toBeLessThan(1e-12);
  });
});

describe('ETS(A,A,A) prediction intervals equal statsmodels ETSModel', () => {
  it('has the same mean, σ² and 95% bounds for 28 days', () => {
    const result = holtWinters(y, seasonalParameters, knownSeasonal, period, horizon);
    const sigma2 = result.sse / y.length;
    expect(Math.abs(sigma2 / oracle.ets_intervals.sigma2 - 1)).toBeLessThan(1e-12);
    const intervals = etsIntervals(etsForecast(result, horizon), seasonalParameters, period, sigma2);
    expect(maxAbsDiff(intervals.map((interval) => interval.mean), oracle.ets_intervals.mean)).toBeLessThan(1e-4);
    expect(maxAbsDiff(intervals.map((interval) => interval.lower), oracle.ets_intervals.pi_lower)).toBeLessThan(1e-4);
    expect(maxAbsDiff(intervals.map((interval) => interval.upper), oracle.ets_intervals.pi_upper)).toBeLessThan(1e-4);
  });

  it('widens with the horizon and jumps when the season comes round again', () => {
    const intervals = etsIntervals([0, 0, 0, 0, 0, 0, 0, 0, 0], seasonalParameters, period, 1);
    const widths = intervals.map((interval) => interval.upper - interval.lower);
    for (let h = 1; h < widths.length; h += 1) expect(widths[h]).toBeGreaterThan(widths[h - 1] as number);
    // c_7 includes γ: the step from h = 7 to h = 8 is the largest.
    const steps = widths.slice(1).map((width, h) => width - (widths[h] as number));
    expect(steps.indexOf(Math.max(...steps))).toBe(6);
  });
});

describe('Holt-Winters parameter estimation (own Nelder–Mead)', () => {
  it('reaches an SSE no worse than statsmodels fit() from the same heuristic start', () => {
    const fit = fitHoltWinters(y, period);
    // Not the same optimizer: only the objective is compared, with 0.1% slack.
    expect(fit.sse).toBeLessThanOrEqual(oracle.holt_winters.optimized_reference.sse * 1.001);
    for (const value of [fit.parameters.level, fit.parameters.trend, fit.parameters.seasonal ?? 0]) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("recovers Holt's parameters on a series drawn from the model", () => {
    const truth = { level: 0.4, trend: 0.2 };
    const shocks = normalSeries(7, 500);
    // ETS(A,A,N) simulation: each shock moves the level by α·e and the trend by α·β*·e.
    const series: number[] = [];
    let level = 10;
    let trend = 1;
    for (const error of shocks) {
      series.push(level + trend + error);
      level += trend + truth.level * error;
      trend += truth.level * truth.trend * error;
    }
    const initial = { level: 10, trend: 1, seasonal: [] };
    const fit = fitHoltWinters(series, undefined, initial);
    expect(fit.sse).toBeLessThanOrEqual(holtWinters(series, truth, initial, undefined, 0).sse);
    expect(Math.abs(fit.parameters.level - truth.level)).toBeLessThan(0.1);
    expect(Math.abs(fit.parameters.trend - truth.trend)).toBeLessThan(0.15);
  });
});

describe('heuristic initialization', () => {
  it('refuses series too short for it, saying how many points it needs', () => {
    expect(() => heuristicInitialState([1, 2, 3], undefined)).toThrow('at least 10 observations, got 3');
    expect(() => heuristicInitialState(new Array<number>(12).fill(1), 7)).toThrow('max(2·period, 16) observations, got 12');
  });
});
