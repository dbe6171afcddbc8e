import { normalSurvivalQuantile } from '../stats/index.js';

export interface ProportionInterval {
  /** The observed proportion count / n. */
  estimate: number;
  low: number;
  high: number;
}

export interface IntervalOptions {
  /** Two-sided level: the interval covers with probability 1 − alpha. @default 0.05 */
  alpha?: number;
}

/**
 * Wilson score interval, as statsmodels `proportion_confint(method='wilson')`.
 * Chosen over the Wald p ± z·se because segment conversion rates are often
 * near 0 (a new segment, a rare event) where Wald collapses to width zero at
 * p = 0 and spills below 0 near it.
 */
export function wilsonInterval(count: number, n: number, options: IntervalOptions = {}): ProportionInterval {
  checkCounts('wilsonInterval', count, n);
  const z = normalSurvivalQuantile((options.alpha ?? 0.05) / 2);
  const p = count / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { estimate: p, low: center - halfWidth, high: center + halfWidth };
}

export function checkCounts(caller: string, count: number, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${caller}: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new RangeError(`${caller}: count must be an integer in [0, n=${n}], got ${count}`);
  }
}
