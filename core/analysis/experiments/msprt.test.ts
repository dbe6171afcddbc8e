import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../random/rng.js';
import { alwaysValidPValues, initialMsprtState, msprtUpdate, type MsprtOptions } from './index.js';

const ALPHA = 0.05;
const options: MsprtOptions = { variance: 1, mixtureVariance: 0.04 };

function simulate(seed: number, pairs: number, effect: number): Float64Array {
  const rng = createRng(seed);
  const treatment = Float64Array.from({ length: pairs }, () => effect + rng.normal());
  const control = Float64Array.from({ length: pairs }, () => rng.normal());
  return alwaysValidPValues(treatment, control, options);
}

describe('mixture SPRT (always-valid p-values)', () => {
  it('gives a non-increasing p-value sequence that starts at or below 1', () => {
    const pValues = simulate(1, 2000, 0.05);
    expect(pValues[0]).toBeLessThanOrEqual(1);
    for (let index = 1; index < pValues.length; index++) expect(pValues[index]).toBeLessThanOrEqual(pValues[index - 1] as number);
  });

  it('under H0, rejects at alpha = 0.05 in at most ~5% of 500 experiments even when checked after every pair', () => {
    const experiments = 500;
    let everRejected = 0;
    for (let experiment = 0; experiment < experiments; experiment++) {
      const pValues = simulate(deriveSeed(2026, experiment), 1000, 0);
      if ((pValues[pValues.length - 1] as number) <= ALPHA) everRejected++;
    }
    // Ville's inequality bounds the rate by 0.05; 0.02 covers the binomial
    // noise of 500 runs (sd ≈ 0.0097). A fixed-horizon z test peeked at this
    // often would reject in roughly a quarter to a third of runs.
    expect(everRejected / experiments).toBeLessThanOrEqual(ALPHA + 0.02);
  });

  it('rejects under a real effect, and stops earlier for a larger one', () => {
    const firstRejection = (pValues: Float64Array) => pValues.findIndex((p) => p <= ALPHA);
    const modest = firstRejection(simulate(3, 5000, 0.2));
    const large = firstRejection(simulate(3, 5000, 0.5));
    expect(modest).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(modest);
  });

  it('is a pure step function: updating a state does not change it', () => {
    const state = msprtUpdate(initialMsprtState, 1, 0, options);
    const snapshot = { ...state };
    msprtUpdate(state, 3, 0, options);
    expect(state).toEqual(snapshot);
    expect(initialMsprtState).toEqual({ pairs: 0, sumDifference: 0, pValue: 1 });
  });
});
