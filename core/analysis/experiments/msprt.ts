/**
 * Mixture sequential probability ratio test (mSPRT) for a difference in
 * means, after Johari, Pekelis & Walsh, "Always valid inference" (2017).
 * Under H0: θ = θ0, mixing the alternative over θ ~ N(θ0, τ²) gives, after
 * n pairs with mean difference d̄ and per-pair variance V = 2σ²,
 *
 *   Λn = √(V / (V + nτ²)) · exp(n²τ² (d̄ − θ0)² / (2V (V + nτ²))).
 *
 * Λn is a nonnegative martingale under H0, so by Ville's inequality
 * P(sup Λn ≥ 1/α) ≤ α: p_n = min(p_{n−1}, 1/Λn) may be watched after
 * every observation and the experiment stopped the first time p_n ≤ α,
 * which a fixed-horizon p-value does not allow (peeking inflates its
 * false positive rate several fold).
 *
 * For conversion rates use msprt-proportions.ts, which plugs in the
 * Bernoulli variance as the data arrive.
 */
export interface MsprtOptions {
  /** σ², the variance of one observation in either arm (assumed equal). */
  variance: number;
  /** τ², the variance of the normal mixture over effect sizes; set near the squared effect you hope to detect. */
  mixtureVariance: number;
  /** θ0, the difference under the null hypothesis. @default 0 */
  nullDifference?: number;
}

export interface MsprtState {
  pairs: number;
  sumDifference: number;
  /** Always-valid p-value so far: non-increasing, starts at 1. */
  pValue: number;
}

export const initialMsprtState: MsprtState = { pairs: 0, sumDifference: 0, pValue: 1 };

/** log Λn for n pairs with the given mean difference (treatment − control). */
export function msprtLogLikelihoodRatio(pairs: number, meanDifference: number, options: MsprtOptions): number {
  checkOptions(options);
  const pairVariance = 2 * options.variance;
  const spread = pairVariance + pairs * options.mixtureVariance;
  const deviation = meanDifference - (options.nullDifference ?? 0);
  return 0.5 * Math.log(pairVariance / spread) + (pairs * pairs * options.mixtureVariance * deviation * deviation) / (2 * pairVariance * spread);
}

/** The state after one more (treatment, control) pair. Pure: returns a new state. */
export function msprtUpdate(state: MsprtState, treatmentValue: number, controlValue: number, options: MsprtOptions): MsprtState {
  const pairs = state.pairs + 1;
  const sumDifference = state.sumDifference + (treatmentValue - controlValue);
  const logRatio = msprtLogLikelihoodRatio(pairs, sumDifference / pairs, options);
  return { pairs, sumDifference, pValue: Math.min(state.pValue, Math.exp(-logRatio)) };
}

/** The always-valid p-value after each pair; the streams are paired in order, up to the shorter one. */
export function alwaysValidPValues(treatment: ArrayLike<number>, control: ArrayLike<number>, options: MsprtOptions): Float64Array {
  checkOptions(options);
  const pairs = Math.min(treatment.length, control.length);
  const pValues = new Float64Array(pairs);
  let state = initialMsprtState;
  for (let index = 0; index < pairs; index++) {
    state = msprtUpdate(state, treatment[index] as number, control[index] as number, options);
    pValues[index] = state.pValue;
  }
  return pValues;
}

function checkOptions(options: MsprtOptions): void {
  if (!(options.variance > 0)) throw new RangeError(`mSPRT: variance must be > 0, got ${options.variance}`);
  if (!(options.mixtureVariance > 0)) throw new RangeError(`mSPRT: mixtureVariance must be > 0, got ${options.mixtureVariance}`);
}
