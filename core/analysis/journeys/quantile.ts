/**
 * Quantiles of a sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R, NumPy and spreadsheets), so a
 * median of [1, 2, 3, 4] is 2.5 as an analyst checking by hand expects.
 */

/** `sorted` must be ascending; null for an empty sample (null, not NaN, survives JSON). */
export function quantileOfSorted(sorted: Float64Array, probability: number): number | null {
  if (sorted.length === 0) return null;
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`quantileOfSorted: probability must be in [0, 1], got ${probability}`);
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const low = sorted[below] as number;
  return low + (position - below) * ((sorted[above] as number) - low);
}
