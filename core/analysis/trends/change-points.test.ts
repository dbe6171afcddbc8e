import { describe, expect, it } from 'vitest';
import { changePoints } from './change-points.js';
import { normalSeries } from './seeded-noise.test-support.js';

describe('changePoints (PELT, Gaussian mean cost)', () => {
  it.each([1, 2, 3, 4, 5])('finds planted shifts within ±2 points (seed %i)', (seed) => {
    const noise = normalSeries(seed, 300);
    const series = noise.map((value, i) => 50 + value + (i >= 90 ? 3 : 0) + (i >= 210 ? -4 : 0));
    const found = changePoints(series);
    expect(found.changes).toHaveLength(2);
    expect(Math.abs((found.changes[0] as number) - 90)).toBeLessThanOrEqual(2);
    expect(Math.abs((found.changes[1] as number) - 210)).toBeLessThanOrEqual(2);
    expect(found.segments.map((segment) => Math.round(segment.mean))).toEqual([50, 53, 49]);
  });

  it.each([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])('finds no change in pure noise (seed %i)', (seed) => {
    const found = changePoints(normalSeries(seed, 300).map((value) => 100 + 5 * value));
    expect(found.changes).toEqual([]);
    expect(found.segments).toHaveLength(1);
    expect(found.sigma).toBeGreaterThan(4);
    expect(found.sigma).toBeLessThan(6);
  });

  it('finds a single step in a short, noiseless-looking series when σ is given', () => {
    const series = [...new Array<number>(20).fill(1), ...new Array<number>(20).fill(2)];
    expect(changePoints(series, { sigma: 0.1 }).changes).toEqual([20]);
  });

  it('returns one segment for constant or too-short input', () => {
    expect(changePoints(new Array<number>(50).fill(3)).changes).toEqual([]);
    expect(changePoints([1, 9, 1]).segments).toEqual([{ start: 0, end: 3, mean: 11 / 3 }]);
    expect(changePoints([]).segments).toEqual([]);
  });

  it('respects the minimum segment length', () => {
    const series = normalSeries(3, 100).map((value, i) => value + (i >= 50 && i < 53 ? 20 : 0));
    expect(changePoints(series).changes).toEqual([50, 53]);
    expect(changePoints(series, { minSegment: 5 }).changes.every((change, i, all) => i === 0 || change - (all[i - 1] as number) >= 5)).toBe(true);
  });
});
