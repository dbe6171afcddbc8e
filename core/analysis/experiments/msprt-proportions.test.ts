import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../random/rng.js';
import { alwaysValidProportionPValues } from './index.js';

const ALPHA = 0.05;

function simulate(seed: number, pairs: number, controlRate: number, treatmentRate: number): Float64Array {
  const rng = createRng(seed);
  const treatment = Array.from({ length: pairs }, () => rng.chance(treatmentRate));
  const control = Array.from({ length: pairs }, () => rng.chance(controlRate));
  return alwaysValidProportionPValues(treatment, control, { mixtureVariance: 0.0004 });
}

describe('mixture SPRT for conversion rates', () => {
  it('under H0 (10% vs 10%), ever rejects in at most ~5% of 500 experiments of 2000 pairs', () => {
    let everRejected = 0;
    for (let experiment = 0; experiment < 500; experiment++) {
      const pValues = simulate(deriveSeed(77, experiment), 2000, 0.1, 0.1);
      if ((pValues[pValues.length - 1] as number) <= ALPHA) everRejected++;
    }
    expect(everRejected / 500).toBeLessThanOrEqual(ALPHA + 0.02);
  });

  it('rejects a lift from 10% to 13%, with a non-increasing p-value sequence', () => {
    const pValues = simulate(5, 10_000, 0.1, 0.13);
    for (let index = 1; index < pValues.length; index++) expect(pValues[index]).toBeLessThanOrEqual(pValues[index - 1] as number);
    expect(pValues.findIndex((p) => p <= ALPHA)).toBeGreaterThan(0);
  });
});
