import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { binomialDraw, bootstrapMeanDifference, sparseBootstrapMeanDifference } from './index.js';

/** Revenue per member of a campaign: most members buy nothing, buyers spend a skewed amount. */
function revenue(seed: number, members: number, buyers: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: members }, () => (rng.chance(buyers) ? 20 + rng.exponential(60) : 0));
}

describe('bootstrap drawing only the members with revenue', () => {
  const treatment = revenue(1, 4000, 0.12);
  const control = revenue(2, 1000, 0.08);

  it('gives the interval of the full resampling bootstrap, within Monte Carlo noise (5000 resamples each)', () => {
    const full = bootstrapMeanDifference(treatment, control, { seed: 3, resamples: 5000 });
    const sparse = sparseBootstrapMeanDifference(treatment, control, { seed: 4, resamples: 5000 });
    const width = full.high - full.low;
    // Each endpoint's Monte Carlo sd is about 1% of the width at 5000 resamples; 5% is 3.5 sd of the difference.
    expect(Math.abs(sparse.low - full.low)).toBeLessThan(0.05 * width);
    expect(Math.abs(sparse.high - full.high)).toBeLessThan(0.05 * width);
  });

  it('is reproducible from its seed', () => {
    const first = sparseBootstrapMeanDifference(treatment, control, { seed: 9, resamples: 500 });
    expect(sparseBootstrapMeanDifference(treatment, control, { seed: 9, resamples: 500 })).toEqual(first);
    expect(sparseBootstrapMeanDifference(treatment, control, { seed: 10, resamples: 500 })).not.toEqual(first);
  });

  it('handles an arm where nobody bought', () => {
    const result = sparseBootstrapMeanDifference(treatment, new Float64Array(50), { seed: 1, resamples: 200 });
    expect(result.low).toBeGreaterThan(0);
  });

  it.each([[1000, 0.03], [1000, 0.5], [200, 0.9]])('draws Binomial(%s, %s) with the right mean and variance', (n, p) => {
    const rng = createRng(11);
    const draws = Float64Array.from({ length: 20_000 }, () => binomialDraw(n, p, rng));
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (draws.length - 1);
    // Standard error of the mean: √(np(1−p)/20000); of the variance, about √(2/20000) relative.
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws.length));
    expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.05);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(n);
  });
});
