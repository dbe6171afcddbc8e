/**
 * Wilson score interval for a binomial proportion. Chosen over the normal
 * ("Wald") interval because journey rows are often small or lopsided
 * (3 of 4 carts checked out, 0 of 50 went back to view): Wald collapses to a
 * zero-width interval at 0 and 1 and leaves [0, 1], Wilson does neither.
 */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;
/** z for a two-sided 99% interval. */
export const Z_99 = 2.5758293035489004;

export interface Interval {
  lower: number;
  upper: number;
}

/** Interval for `successes` out of `trials`; with no trials nothing is known, so [0, 1]. */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const proportion = successes / trials;
  const zSquared = z * z;
  const denominator = 1 + zSquared / trials;
  const centre = (proportion + zSquared / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials));
  // At 0 or all successes the bound is exactly 0 or 1 in theory; rounding would leave 1e-17 and exclude it.
  return {
    lower: successes <= 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes >= trials ? 1 : Math.min(1, centre + halfWidth),
  };
}
