import { describe, expect, it } from 'vitest';
import { loadRetailOracle, maxAbsDiff } from './retail-fixture.test-support.js';
import { resolveStlOptions } from './stl-options.js';
import { stl, type StlOptions } from './stl.js';
import { strength } from './strength.js';

/**
 * STL against statsmodels 0.13.5 `STL(series, period=7[, robust=True]).fit()`
 * on 374 days of Online Retail revenue (fixture: test/oracles/trends_stl.py).
 * Tolerance: max |ours − statsmodels| over all days ≤ 1e-6 · max |y| for
 * seasonal, trend and resid (revenue scale ~1e5, so ≤ ~0.1 currency units;
 * achieved ~1e-13 · max |y|, the rounding of the one-pass loess sums);
 * robustness weights (unitless, in [0, 1]) and strengths within 1e-6 absolute.
 */
const oracle = loadRetailOracle();
const y = oracle.series.values;
const scale = Math.max(...y.map(Math.abs));

describe.each([
  ['robust', true, oracle.stl.robust],
  ['standard', false, oracle.stl.standard],
] as const)('stl (%s) equals statsmodels on daily retail revenue', (_name, robust, expected) => {
  const result = stl(y, { period: oracle.period, robust });

  it('has the same seasonal, trend and remainder', () => {
    expect(maxAbsDiff(result.seasonal, expected.seasonal) / scale).toBeLessThan(1e-6);
    expect(maxAbsDiff(result.trend, expected.trend) / scale).toBeLessThan(1e-6);
    expect(maxAbsDiff(result.resid, expected.resid) / scale).toBeLessThan(1e-6);
  });

  it('has the same robustness weights', () => {
    expect(maxAbsDiff(result.weights, expected.weights)).toBeLessThan(1e-6);
  });

  it('has the same strength of trend and seasonality', () => {
    const actual = strength(result);
    expect(Math.abs(actual.seasonal - expected.strength.seasonal)).toBeLessThan(1e-6);
    expect(Math.abs(actual.trend - expected.strength.trend)).toBeLessThan(1e-6);
  });
});

/** statsmodels' keyword arguments, as the oracle writes them, to our options. */
function toOptions(config: Readonly<Record<string, number | boolean>>): StlOptions {
  const names: Record<string, keyof StlOptions> = {
    period: 'period', seasonal: 'seasonal', trend: 'trend', low_pass: 'lowPass',
    seasonal_deg: 'seasonalDeg', trend_deg: 'trendDeg', low_pass_deg: 'lowPassDeg',
    seasonal_jump: 'seasonalJump', trend_jump: 'trendJump', low_pass_jump: 'lowPassJump',
    robust: 'robust', inner_iter: 'innerIter', outer_iter: 'outerIter',
  };
  const options: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(config)) options[names[key] ?? key] = value;
  return options as unknown as StlOptions;
}

describe.each(oracle.stl_variants.map((variant) => [JSON.stringify(variant.config), variant] as const))(
  'stl %s equals statsmodels',
  (_name, expected) => {
    it('has the same components (≤ 1e-6 · max |y|) and weights (≤ 1e-6)', () => {
      const result = stl(y, toOptions(expected.config));
      expect(maxAbsDiff(result.seasonal, expected.seasonal) / scale).toBeLessThan(1e-6);
      expect(maxAbsDiff(result.trend, expected.trend) / scale).toBeLessThan(1e-6);
      expect(maxAbsDiff(result.resid, expected.resid) / scale).toBeLessThan(1e-6);
      expect(maxAbsDiff(result.weights, expected.weights)).toBeLessThan(1e-6);
    });
  },
);

describe('stl options', () => {
  it('defaults like statsmodels: trend 15 and low-pass 9 for a weekly period', () => {
    const resolved = resolveStlOptions({ period: 7 }, 100);
    expect([resolved.seasonal.length, resolved.trend.length, resolved.lowPass.length]).toEqual([7, 15, 9]);
    expect([resolved.innerIter, resolved.outerIter]).toEqual([5, 0]);
    expect([resolveStlOptions({ period: 7, robust: true }, 100).innerIter, resolveStlOptions({ period: 7, robust: true }, 100).outerIter]).toEqual([2, 15]);
    const lengths = (period: number, seasonal: number): number[] => {
      const resolved = resolveStlOptions({ period, seasonal }, 200);
      return [resolved.trend.length, resolved.lowPass.length];
    };
    // Checked against STL(...).config in statsmodels 0.13.5.
    expect([lengths(12, 13), lengths(4, 7), lengths(52, 7)]).toEqual([[21, 13], [9, 5], [101, 53]]);
  });

  it('reports every invalid option at once', () => {
    expect(() => stl(new Float64Array(10), { period: 7, seasonal: 4, trend: 5 })).toThrow(
      /seasonal must be an odd integer ≥ 3, got 4; trend must be .* got 5; the series needs at least 2·period = 14 observations, got 10/,
    );
  });

  it('rejects missing values with their position', () => {
    expect(() => stl([1, 2, Number.NaN, ...new Array<number>(20).fill(1)], { period: 7 })).toThrow('series[2] is NaN');
  });

  it('recovers a pure weekly pattern with a linear trend', () => {
    const pattern = [3, -1, 0, 2, -2, -1, -1];
    const series = Array.from({ length: 70 }, (_, i) => 10 + 0.5 * i + (pattern[i % 7] as number));
    const result = stl(series, { period: 7 });
    expect(maxAbsDiff(result.resid, new Float64Array(70))).toBeLessThan(1e-8);
    expect(strength(result).seasonal).toBeGreaterThan(0.999);
  });
});
