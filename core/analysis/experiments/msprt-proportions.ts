import { msprtLogLikelihoodRatio } from './msprt.js';

export interface ProportionMsprtOptions {
  /** τ², the variance of the normal mixture over differences in rate; near the squared lift you hope to detect. */
  mixtureVariance: number;
}

/**
 * Always-valid p-values for a difference in conversion rates: the normal
 * mSPRT of msprt.ts with the Bernoulli variance p̂(1 − p̂) plugged in at every
 * step, p̂ being the pooled rate so far. The pooled rate is Laplace-smoothed
 * ((conversions + 1) / (trials + 2)) so that the first pairs, often all
 * zeros, do not give a zero variance and an infinite likelihood ratio.
 * Plugging in an estimate makes the guarantee asymptotic rather than exact
 * (Johari et al. 2017 §5); msprt-proportions.test.ts checks its false
 * positive rate by simulation.
 */
export function alwaysValidProportionPValues(
  treatment: ArrayLike<boolean>,
  control: ArrayLike<boolean>,
  options: ProportionMsprtOptions,
): Float64Array {
  const pairs = Math.min(treatment.length, control.length);
  const pValues = new Float64Array(pairs);
  let treatmentConversions = 0;
  let controlConversions = 0;
  let pValue = 1;
  for (let index = 0; index < pairs; index++) {
    if (treatment[index]) treatmentConversions++;
    if (control[index]) controlConversions++;
    const n = index + 1;
    const pooled = (treatmentConversions + controlConversions + 1) / (2 * n + 2);
    const meanDifference = (treatmentConversions - controlConversions) / n;
    const logRatio = msprtLogLikelihoodRatio(n, meanDifference, { variance: pooled * (1 - pooled), mixtureVariance: options.mixtureVariance });
    pValue = Math.min(pValue, Math.exp(-logRatio));
    pValues[index] = pValue;
  }
  return pValues;
}
