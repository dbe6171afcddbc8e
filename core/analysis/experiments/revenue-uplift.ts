import { createRng } from '../../random/rng.js';
import { mean, sampleVariance, studentTSurvivalQuantile, studentTTwoSidedP } from '../stats/index.js';

export interface WelchTest {
  /** mean(treatment) − mean(control). */
  difference: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  degreesOfFreedom: number;
  /** Two-sided, as scipy ttest_ind(equal_var=False). */
  p: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Seed for the resampling; the same seed gives the same interval. */
  seed: number;
  /** Number of bootstrap resamples. @default 2000 */
  resamples?: number;
  /** @default 0.05 */
  alpha?: number;
}

/**
 * Welch's t test for revenue per profile. Not the pooled-variance t:
 * treatment usually changes the spread of revenue as well as its mean, and
 * the arms are of very different size (a 10% holdout).
 */
export function welchTTest(treatment: ArrayLike<number>, control: ArrayLike<number>, options: { alpha?: number } = {}): WelchTest {
  if (treatment.length < 2 || control.length < 2) throw new RangeError('welchTTest: each arm needs at least 2 values');
  const meanT = mean(treatment);
  const meanC = mean(control);
  const varianceT = sampleVariance(treatment, meanT) / treatment.length;
  const varianceC = sampleVariance(control, meanC) / control.length;
  const standardError = Math.sqrt(varianceT + varianceC);
  const degreesOfFreedom =
    (varianceT + varianceC) ** 2 / (varianceT ** 2 / (treatment.length - 1) + varianceC ** 2 / (control.length - 1));
  const difference = meanT - meanC;
  const t = difference / standardError;
  const half = studentTSurvivalQuantile((options.alpha ?? 0.05) / 2, degreesOfFreedom) * standardError;
  return { difference, t, degreesOfFreedom, p: studentTTwoSidedP(t, degreesOfFreedom), low: difference - half, high: difference + half };
}

/**
 * Percentile bootstrap interval for mean(treatment) − mean(control),
 * resampling each arm separately. Makes no normality assumption, which
 * matters for revenue: a few large orders dominate the tails.
 */
export function bootstrapMeanDifference(
  treatment: ArrayLike<number>,
  control: ArrayLike<number>,
  options: BootstrapOptions,
): { low: number; high: number; resamples: number } {
  const resamples = options.resamples ?? 2000;
  const alpha = options.alpha ?? 0.05;
  const rng = createRng(options.seed);
  const differences = new Float64Array(resamples);
  for (let draw = 0; draw < resamples; draw++) differences[draw] = resampledMean(treatment, rng.int) - resampledMean(control, rng.int);
  differences.sort();
  return { low: percentile(differences, alpha / 2), high: percentile(differences, 1 - alpha / 2), resamples };
}

function resampledMean(values: ArrayLike<number>, pickIndex: (n: number) => number): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[pickIndex(values.length)] as number;
  return sum / values.length;
}

/** Linear interpolation between order statistics (numpy's default percentile). */
export function percentile(sorted: Float64Array, fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}
