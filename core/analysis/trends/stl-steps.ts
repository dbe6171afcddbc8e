import { estimate, smooth, type LoessSpec } from './loess.js';

/**
 * The non-loess building blocks of STL, ported from netlib `stl.f`
 * (`stlss`, `stlfts`, `stlma`, `stlrwt`) in the form statsmodels runs them.
 */

/** Scratch arrays reused across passes so a fit allocates once. */
export interface SubseriesScratch {
  readonly values: Float64Array;
  readonly smoothed: Float64Array;
  readonly robustness: Float64Array;
}

export function subseriesScratch(n: number, period: number): SubseriesScratch {
  const k = Math.ceil(n / period) + 2;
  return {
    values: new Float64Array(k),
    smoothed: new Float64Array(k),
    robustness: new Float64Array(k),
  };
}

/**
 * Smooth each cycle-subseries and extend it by one point at both ends
 * (`stlss`). `season` receives n + 2·period values: the extension is what
 * lets the low-pass filter that follows lose period points on each side.
 */
export function smoothSubseries(
  y: Float64Array,
  n: number,
  period: number,
  spec: LoessSpec,
  robustness: Float64Array | undefined,
  season: Float64Array,
  scratch: SubseriesScratch,
): void {
  const { values, smoothed } = scratch;
  const rw = robustness === undefined ? undefined : scratch.robustness;
  for (let j = 1; j <= period; j += 1) {
    const k = Math.trunc((n - j) / period) + 1;
    for (let i = 1; i <= k; i += 1) values[i - 1] = y[(i - 1) * period + j - 1] as number;
    if (robustness !== undefined) {
      for (let i = 1; i <= k; i += 1) scratch.robustness[i - 1] = robustness[(i - 1) * period + j - 1] as number;
    }
    smooth(values, 0, k, spec, rw, 0, smoothed, 1);
    const first = estimate(values, 0, k, spec.length, spec.degree, 0, 1, Math.min(spec.length, k), rw, 0);
    smoothed[0] = Number.isNaN(first) ? (smoothed[1] as number) : first;
    const nleft = Math.max(1, k - spec.length + 1);
    const last = estimate(values, 0, k, spec.length, spec.degree, k + 1, nleft, k, rw, 0);
    smoothed[k + 1] = Number.isNaN(last) ? (smoothed[k] as number) : last;
    for (let m = 1; m <= k + 2; m += 1) season[(m - 1) * period + j - 1] = smoothed[m - 1] as number;
  }
}

/** Moving average of `length` points (`stlma`): out has n − length + 1 values. */
export function movingAverage(x: Float64Array, n: number, length: number, out: Float64Array): void {
  const count = n - length + 1;
  let v = 0;
  for (let i = 0; i < length; i += 1) v += x[i] as number;
  out[0] = v / length;
  // Running sum, updated in the Fortran's order so rounding matches.
  for (let j = 1, k = length, m = 0; j < count; j += 1, k += 1, m += 1) {
    v = v - (x[m] as number) + (x[k] as number);
    out[j] = v / length;
  }
}

/** The low-pass filter's three moving averages, (period, period, 3) (`stlfts`). */
export function lowPassAverages(x: Float64Array, n: number, period: number, out: Float64Array, work: Float64Array): void {
  movingAverage(x, n, period, out);
  movingAverage(out, n - period + 1, period, work);
  movingAverage(work, n - 2 * period + 2, 3, out);
}

/**
 * Moves the k-th smallest of a[lo..hi] to index k, smaller ones before it
 * and larger ones after (Hoare's selection, median-of-three pivots).
 */
export function selectInPlace(a: Float64Array, lo: number, hi: number, k: number): void {
  let left = lo;
  let right = hi;
  while (right > left) {
    const middle = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted or nearly sorted input linear.
    if ((a[middle] as number) < (a[left] as number)) swap(a, middle, left);
    if ((a[right] as number) < (a[left] as number)) swap(a, right, left);
    if ((a[right] as number) < (a[middle] as number)) swap(a, right, middle);
    const pivot = a[middle] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i += 1;
      while ((a[j] as number) > pivot) j -= 1;
      if (i <= j) {
        swap(a, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/**
 * Bisquare robustness weights from the residuals y − fit (`stlrwt`):
 * h = 6·median|r|, w = (1 − (r/h)²)². `sorted` is scratch of length n.
 */
export function robustnessWeights(y: Float64Array, fit: Float64Array, out: Float64Array, sorted: Float64Array): void {
  const n = y.length;
  for (let i = 0; i < n; i += 1) sorted[i] = Math.abs((y[i] as number) - (fit[i] as number));
  // The two middle order statistics of the Fortran (n/2 + 1 and n − that + 1), 1-based,
  // found by selection (as the Fortran's psort does) rather than a full sort.
  const upper = Math.trunc(n / 2) + 1;
  const lower = n - upper + 1;
  selectInPlace(sorted, 0, n - 1, upper - 1);
  // After selecting upper − 1, everything before it is ≤ it: the lower one is the largest of those.
  let lowerValue = sorted[upper - 1] as number;
  if (lower !== upper) {
    lowerValue = sorted[0] as number;
    for (let i = 1; i < upper - 1; i += 1) if ((sorted[i] as number) > lowerValue) lowerValue = sorted[i] as number;
  }
  const cmad = 3 * ((sorted[upper - 1] as number) + lowerValue);
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i += 1) {
    const r = Math.abs((y[i] as number) - (fit[i] as number));
    if (r <= c1) {
      out[i] = 1;
    } else if (r <= c9) {
      const q = r / cmad;
      const t = 1 - q * q;
      out[i] = t * t;
    } else {
      out[i] = 0;
    }
  }
}
