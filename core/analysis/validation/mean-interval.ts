import { mean, sampleVariance, studentTSurvivalQuantile } from '../stats/index.js';
import type { IntervalOptions } from './wilson-interval.js';

export interface MeanInterval {
  mean: number;
  /** Standard error s / √n. */
  standardError: number;
  count: number;
  low: number;
  high: number;
}

/**
 * Mean with a Student t interval (df = n − 1). Order values are skewed, but
 * at segment sizes the CLT makes the t interval adequate and it is what the
 * analysts compare against; with one value the interval is unbounded.
 */
export function meanInterval(values: ArrayLike<number>, options: IntervalOptions = {}): MeanInterval {
  const count = values.length;
  if (count === 0) throw new RangeError('meanInterval: needs at least one value');
  const center = mean(values);
  if (count === 1) return { mean: center, standardError: Number.NaN, count, low: -Infinity, high: Infinity };
  const standardError = Math.sqrt(sampleVariance(values, center) / count);
  const t = studentTSurvivalQuantile((options.alpha ?? 0.05) / 2, count - 1);
  return { mean: center, standardError, count, low: center - t * standardError, high: center + t * standardError };
}
