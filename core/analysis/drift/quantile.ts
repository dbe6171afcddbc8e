/**
 * Quantiles of a sorted sample the way numpy.quantile(method='linear')
 * computes them, operation for operation, so PSI bin edges agree with the
 * Python oracle to the last bit (an edge one ulp off moves a tied value
 * into the neighbouring bin).
 */
export function sortedNumbers(values: ArrayLike<number>): Float64Array {
  // Float64Array#sort is numeric, unlike Array#sort.
  return Float64Array.from(values).sort();
}

/** q in [0, 1]; `sorted` must be ascending and non-empty. */
export function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('linearQuantile: empty sample');
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1] as number;
  if (virtualIndex <= 0) return sorted[0] as number;
  const previous = Math.floor(virtualIndex);
  const gamma = virtualIndex - previous;
  const a = sorted[previous] as number;
  const b = sorted[previous + 1] as number;
  const difference = b - a;
  // numpy's _lerp interpolates from the nearer end for accuracy.
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}

/** Index of the first element greater than x (numpy.searchsorted side='right'). */
export function searchSortedRight(sorted: ArrayLike<number>, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}
