import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { bootstrapMeanDifference, cuped, welchTTest } from './index.js';

function revenue(seed: number, size: number, scale: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => rng.exponential(scale));
}

describe('bootstrap interval for revenue uplift', () => {
  const treatment = revenue(1, 400, 55);
  const control = revenue(2, 300, 50);

  it('is reproducible from its seed and changes with it', () => {
    const first = bootstrapMeanDifference(treatment, control, { seed: 7, resamples: 1000 });
    expect(bootstrapMeanDifference(treatment, control, { seed: 7, resamples: 1000 })).toEqual(first);
    expect(bootstrapMeanDifference(treatment, control, { seed: 8, resamples: 1000 })).not.toEqual(first);
  });

  it("agrees with Welch's interval on a large sample (within 15% of its width)", () => {
    const bootstrap = bootstrapMeanDifference(treatment, control, { seed: 7, resamples: 2000 });
    const welch = welchTTest(treatment, control);
    const width = welch.high - welch.low;
    expect(Math.abs(bootstrap.low - welch.low)).toBeLessThan(0.15 * width);
    expect(Math.abs(bootstrap.high - welch.high)).toBeLessThan(0.15 * width);
    expect(bootstrap.low).toBeLessThan(welch.difference);
    expect(bootstrap.high).toBeGreaterThan(welch.difference);
  });
});

describe('CUPED', () => {
  // Pre-period spend predicts in-period spend; treatment adds 5 on average.
  const rng = createRng(11);
  const make = (lift: number) => Array.from({ length: 500 }, () => {
    const x = rng.exponential(40);
    return { x, y: 0.8 * x + lift + 10 * rng.normal() };
  });
  const treatment = make(5);
  const control = make(0);

  it('removes the variance explained by the pre-period metric and keeps the effect', () => {
    const result = cuped(treatment, control);
    expect(result.theta).toBeGreaterThan(0.7);
    expect(result.theta).toBeLessThan(0.9);
    expect(result.varianceReduction).toBeGreaterThan(0.8);
    const raw = welchTTest(treatment.map((row) => row.y), control.map((row) => row.y));
    expect(result.test.high - result.test.low).toBeLessThan(0.5 * (raw.high - raw.low));
    expect(result.adjustedTreatmentMean - result.adjustedControlMean).toBeCloseTo(result.test.difference, 12);
    // Unbiased: the true lift of 5 is within 4 standard errors (a 95% interval misses 1 seed in 20).
    const standardError = result.test.difference / result.test.t;
    expect(Math.abs(result.test.difference - 5)).toBeLessThan(4 * standardError);
  });

  it('reports a reduction equal to the squared pooled correlation', () => {
    const pooled = [...treatment, ...control];
    const n = pooled.length;
    const mx = pooled.reduce((s, r) => s + r.x, 0) / n;
    const my = pooled.reduce((s, r) => s + r.y, 0) / n;
    const cov = pooled.reduce((s, r) => s + (r.x - mx) * (r.y - my), 0);
    const vx = pooled.reduce((s, r) => s + (r.x - mx) ** 2, 0);
    const vy = pooled.reduce((s, r) => s + (r.y - my) ** 2, 0);
    const adjusted = pooled.map((r) => r.y - (cov / vx) * (r.x - mx));
    const ma = adjusted.reduce((s, v) => s + v, 0) / n;
    const va = adjusted.reduce((s, v) => s + (v - ma) ** 2, 0);
    expect(cuped(treatment, control).varianceReduction).toBeCloseTo(1 - va / vy, 10);
  });
});
