import { regularizedBeta } from './incomplete-beta.js';
import { logGamma } from './log-gamma.js';
import { normalSurvivalQuantile } from './normal.js';

/**
 * Student t with ν degrees of freedom (ν may be fractional: Welch's df).
 * P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2), with x and 1 − x both formed as
 * ratios so a large |t| keeps its tail digits.
 */
export function studentTTwoSidedP(t: number, degreesOfFreedom: number): number {
  checkDf(degreesOfFreedom);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const squared = t * t;
  const total = degreesOfFreedom + squared;
  return regularizedBeta(degreesOfFreedom / total, degreesOfFreedom / 2, 0.5, squared / total);
}

/** P(T ≥ t). */
export function studentTSurvival(t: number, degreesOfFreedom: number): number {
  const half = studentTTwoSidedP(t, degreesOfFreedom) / 2;
  return t >= 0 ? half : 1 - half;
}

/** P(T ≤ t). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  return studentTSurvival(-t, degreesOfFreedom);
}

export function studentTDensity(t: number, degreesOfFreedom: number): number {
  const v = degreesOfFreedom;
  const logDensity = logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Math.log(v * Math.PI) - ((v + 1) / 2) * Math.log1p((t * t) / v);
  return Math.exp(logDensity);
}

/**
 * The t with P(T ≥ t) = q (0 < q < 1), for confidence intervals. Newton's
 * method on the survival function, started at the normal quantile and kept
 * inside a bisection bracket, which the heavy tails of small ν need: a raw
 * Newton step from the normal guess overshoots for ν = 1.
 */
export function studentTSurvivalQuantile(q: number, degreesOfFreedom: number): number {
  checkDf(degreesOfFreedom);
  if (!(q > 0 && q < 1)) throw new RangeError(`studentTSurvivalQuantile: q must be in (0, 1), got ${q}`);
  if (q > 0.5) return -studentTSurvivalQuantile(1 - q, degreesOfFreedom);
  if (q === 0.5) return 0;
  let low = 0;
  let high = Math.max(1, normalSurvivalQuantile(q));
  while (studentTSurvival(high, degreesOfFreedom) > q) {
    low = high;
    high *= 2;
  }
  let t = Math.min(Math.max(normalSurvivalQuantile(q), low), high);
  for (let iteration = 0; iteration < 200; iteration++) {
    const error = studentTSurvival(t, degreesOfFreedom) - q;
    if (error > 0) low = t;
    else high = t;
    const next = t + error / studentTDensity(t, degreesOfFreedom);
    const candidate = next > low && next < high ? next : (low + high) / 2;
    if (Math.abs(candidate - t) <= 1e-15 * Math.max(1, Math.abs(t))) return candidate;
    t = candidate;
  }
  return t;
}

function checkDf(degreesOfFreedom: number): void {
  if (!(degreesOfFreedom > 0)) throw new RangeError(`Student t: degrees of freedom must be > 0, got ${degreesOfFreedom}`);
}
