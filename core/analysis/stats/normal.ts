import { erfc } from './erfc.js';

/**
 * Standard normal distribution. Both tails go through erfc, never `1 − cdf`,
 * so normalSurvival(14.9) ≈ 1.6e-50 keeps its relative precision.
 *
 * Why not simple-statistics: its tail p-values are nowhere near 1e-9
 * relative. Checked against scipy 1.10 with simple-statistics 7.12.1:
 * `1 − cumulativeStdNormalProbability(6)` is 1.0e-3 (a lookup table that
 * saturates at 0.999) where norm.sf(6) = 9.8659e-10, and
 * `1 − errorFunction(5)` is 1.537437e-12 where erfc(5) = 1.537460e-12, a
 * relative error of 1.5e-5; from x = 6 on `1 − errorFunction(x)` is exactly 0.
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_TWO_PI;
}

/** Two-sided p-value of a z statistic: P(|Z| ≥ |z|). */
export function normalTwoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

const SQRT_TWO_PI = 2.5066282746310002;

// Peter Acklam's rational approximation (relative error 1.15e-9), then two
// Halley steps on the accurate cdf, which take it to rounding level.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const LOW_BREAK = 0.02425;

/** Inverse of normalCdf: the z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the smaller tail so that a p near 1 is refined against its
  // complement, which holds the digits (1 − 1e-30 is just 1).
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** The z with P(Z ≥ z) = q, exact for tiny q (normalQuantile(1 − q) cannot be). */
export function normalSurvivalQuantile(q: number): number {
  return -normalQuantile(q);
}

function lowerQuantile(p: number): number {
  let z = acklam(p);
  for (let step = 0; step < 2; step++) {
    const error = normalCdf(z) - p;
    const u = error / normalDensity(z);
    z -= u / (1 + (z * u) / 2);
  }
  return z;
}

function acklam(p: number): number {
  if (p < LOW_BREAK) {
    const q = Math.sqrt(-2 * Math.log(p));
    return ((((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1));
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}
