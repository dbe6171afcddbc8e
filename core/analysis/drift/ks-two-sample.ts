/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, reproducing
 * scipy.stats.ks_2samp (scipy 1.10).
 *
 * Statistic: both samples sorted, ECDFs evaluated at every pooled value with
 * side='right' counts (F(v) = #{x ≤ v}/n), so tied values, within or across
 * samples, are stepped over together; D = max(max(F1 − F2), max(F2 − F1)).
 * p-value: 'exact' counts lattice paths (ks-exact.ts); 'asymp' is
 * kstwo.sf(D, round(m·n/(m + n))), the exact one-sample Kolmogorov law at
 * the effective size, not the Kolmogorov limit; 'auto' is 'exact' when both
 * sizes are ≤ 10 000, as in scipy.
 */
import { exactKsPValue, greatestCommonDivisor } from './ks-exact.js';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { searchSortedRight, sortedNumbers } from './quantile.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  /** The method that produced the p-value (after any fallback). */
  method: 'exact' | 'asymp';
  /** Pooled value where the ECDF gap is largest. */
  location: number;
  /** +1 when F1 − F2 attains D, −1 when F2 − F1 does. */
  sign: 1 | -1;
}

const MAX_AUTO_N = 10_000;
const INT32_MAX = 2_147_483_647;

export function ksTwoSample(first: ArrayLike<number>, second: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  const a = sortedNumbers(first);
  const b = sortedNumbers(second);
  if (a.length === 0 || b.length === 0) throw new RangeError('ksTwoSample: both samples must be non-empty');
  if (a.some(Number.isNaN) || b.some(Number.isNaN)) throw new RangeError('ksTwoSample: samples must not contain NaN');
  const gap = largestGap(a, b);
  const m = a.length;
  const n = b.length;
  const g = greatestCommonDivisor(m, n);
  let chosen: 'exact' | 'asymp' = method === 'auto' ? (Math.max(m, n) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  // scipy switches to 'asymp' when lcm(m, n) would overflow an int32.
  if (chosen === 'exact' && m / g >= INT32_MAX / (n / g)) chosen = 'asymp';
  if (chosen === 'exact') {
    const exact = exactKsPValue(m, n, gap.statistic);
    if (exact !== undefined) return { ...gap, statistic: exact.statistic, pValue: exact.pValue, method: 'exact' };
  }
  const larger = Math.max(m, n);
  const smaller = Math.min(m, n);
  const effectiveSize = roundHalfEven((larger * smaller) / (larger + smaller));
  return { ...gap, pValue: kolmogorovSurvival(effectiveSize, gap.statistic), method: 'asymp' };
}

interface Gap {
  statistic: number;
  location: number;
  sign: 1 | -1;
}

/**
 * Evaluates F1 − F2 at every pooled value, `a` first and then `b`, keeping
 * the first extreme on ties as np.argmax/argmin do, so the reported
 * location matches scipy's statistic_location.
 */
function largestGap(a: Float64Array, b: Float64Array): Gap {
  const pooled = [a, b];
  let max = -Infinity;
  let maxAt = Number.NaN;
  let min = Infinity;
  let minAt = Number.NaN;
  for (const sample of pooled) {
    for (const value of sample) {
      const difference = searchSortedRight(a, value) / a.length - searchSortedRight(b, value) / b.length;
      if (difference > max) [max, maxAt] = [difference, value];
      if (difference < min) [min, minAt] = [difference, value];
    }
  }
  const minusGap = Math.min(1, Math.max(0, -min));
  if (minusGap > max) return { statistic: minusGap, location: minAt, sign: -1 };
  return { statistic: max, location: maxAt, sign: 1 };
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
