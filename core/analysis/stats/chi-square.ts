import { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma.js';

/** P(X² ≤ x) for a chi-square with `degreesOfFreedom`. */
export function chiSquareCdf(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 0;
  return regularizedGammaP(degreesOfFreedom / 2, x / 2);
}

/** P(X² ≥ x), computed as an upper tail (Q), accurate far below 1e-20. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}
