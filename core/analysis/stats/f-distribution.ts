import { regularizedBeta } from './incomplete-beta.js';

/**
 * P(F ≥ f) for an F(d1, d2) distribution:
 * I_{d2/(d2 + d1 f)}(d2/2, d1/2). The argument and its complement are both
 * formed as ratios, never as 1 − something, so a huge f keeps its tail.
 */
export function fSurvival(f: number, numeratorDf: number, denominatorDf: number): number {
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  const scaled = numeratorDf * f;
  const total = denominatorDf + scaled;
  return regularizedBeta(denominatorDf / total, denominatorDf / 2, numeratorDf / 2, scaled / total);
}
