import { normalCdf, normalSurvival, normalSurvivalQuantile } from '../stats/index.js';

export interface SampleSizeOptions {
  /** Conversion rate of the holdout, in (0, 1). */
  baselineRate: number;
  /** Smallest absolute lift worth detecting (0.01 = one percentage point). */
  minimumDetectableEffect: number;
  /** Two-sided significance level. @default 0.05 */
  alpha?: number;
  /** Probability of detecting an effect of exactly the MDE. @default 0.8 */
  power?: number;
}

export interface SampleSize {
  /** Profiles needed in each arm (rounded up). */
  perArm: number;
  /** The unrounded solution, as statsmodels' solve_power returns it. */
  exact: number;
  /** Cohen's h = 2 asin √p₁ − 2 asin √p₀, the effect on the arcsine scale. */
  cohensH: number;
}

/**
 * Per-arm sample size for comparing two proportions with equal arms, as
 * statsmodels `NormalIndPower().solve_power(proportion_effectsize(p₁, p₀))`.
 * The power keeps both rejection tails (statsmodels does; the textbook
 * closed form drops the far one), so it is solved by bisection rather than
 * the closed form, which only seeds the bracket.
 */
export function twoProportionSampleSize(options: SampleSizeOptions): SampleSize {
  const { baselineRate, minimumDetectableEffect } = options;
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const treatedRate = baselineRate + minimumDetectableEffect;
  if (!(baselineRate > 0 && baselineRate < 1 && treatedRate > 0 && treatedRate < 1 && minimumDetectableEffect !== 0)) {
    throw new RangeError(`twoProportionSampleSize: need 0 < baselineRate, baselineRate + minimumDetectableEffect < 1 and a non-zero effect; got ${baselineRate} and ${minimumDetectableEffect}`);
  }
  if (!(alpha > 0 && alpha < 1 && power > alpha / 2 && power < 1)) {
    throw new RangeError(`twoProportionSampleSize: need 0 < alpha < 1 and alpha/2 < power < 1; got alpha=${alpha}, power=${power}`);
  }
  const cohensH = 2 * Math.asin(Math.sqrt(treatedRate)) - 2 * Math.asin(Math.sqrt(baselineRate));
  const critical = normalSurvivalQuantile(alpha / 2);
  const powerAt = (perArm: number): number => {
    const shift = Math.abs(cohensH) * Math.sqrt(perArm / 2);
    return normalSurvival(critical - shift) + normalCdf(-critical - shift);
  };
  const closedForm = 2 * ((critical + normalSurvivalQuantile(1 - power)) / cohensH) ** 2;
  let low = closedForm / 4;
  let high = closedForm * 2;
  while (powerAt(low) > power) low /= 2;
  while (powerAt(high) < power) high *= 2;
  for (let iteration = 0; iteration < 200 && high - low > 1e-10 * high; iteration++) {
    const middle = (low + high) / 2;
    if (powerAt(middle) < power) low = middle;
    else high = middle;
  }
  const exact = (low + high) / 2;
  return { perArm: Math.ceil(exact), exact, cohensH };
}

/**
 * Members a segment needs for the power of `perArm` equal arms when a share
 * h of them is held out. The z test's variance is proportional to
 * 1/n_T + 1/n_C: 2/n for equal arms, 1/(N·h(1 − h)) for N members split
 * (1 − h, h), so N = n / (2h(1 − h)). As statsmodels' solve_power with
 * ratio = h / (1 − h) (nobs1 is the treatment arm, (1 − h)·N).
 */
export function membersForHoldout(exactPerArm: number, holdoutShare: number): { members: number; exact: number } {
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new RangeError(`membersForHoldout: holdoutShare must be in (0, 1), got ${holdoutShare}`);
  const exact = exactPerArm / (2 * holdoutShare * (1 - holdoutShare));
  return { members: Math.ceil(exact), exact };
}
