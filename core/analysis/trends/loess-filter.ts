import { tricubeTable } from './tricube.js';

/**
 * Without robustness weights a loess smooth is a fixed linear filter: the
 * value at i is Σ c_ij·y_j with coefficients that depend only on n, the
 * window and i. STL's low-pass step (every pass) and its first outer pass
 * are unweighted, so computing the coefficients once per (n, length, degree)
 * and reusing them across passes and series saves a third of the benchmark.
 * The coefficients are the Fortran's final weights (`stlest`: normalized
 * tricube, then the slope adjustment), so Σ c·y is what `stlest` computes.
 */
export interface LoessFilter {
  readonly length: number;
  /** First neighbour (1-based) of each point i = 1..n. */
  readonly nleft: Int32Array;
  /** `length` coefficients per point, for neighbours nleft..nleft + length − 1. */
  readonly coefficients: Float64Array;
}

const MAX_FILTERS = 64;
const filters = new Map<string, LoessFilter>();

function pointCoefficients(n: number, degree: 0 | 1, xs: number, nleft: number, nright: number, out: Float64Array, at: number): void {
  const h = Math.max(xs - nleft, nright - xs);
  const table = tricubeTable(h);
  let a = 0;
  for (let j = nleft; j <= nright; j += 1) {
    const w = table[Math.abs(j - xs)] as number;
    out[at + j - nleft] = w;
    a += w;
  }
  for (let j = nleft; j <= nright; j += 1) out[at + j - nleft] = (out[at + j - nleft] as number) / a;
  if (h <= 0 || degree === 0) return;
  let center = 0;
  for (let j = nleft; j <= nright; j += 1) center += (out[at + j - nleft] as number) * j;
  let b = xs - center;
  let c = 0;
  for (let j = nleft; j <= nright; j += 1) c += (out[at + j - nleft] as number) * (j - center) * (j - center);
  if (Math.sqrt(c) <= 0.001 * (n - 1)) return;
  b /= c;
  for (let j = nleft; j <= nright; j += 1) out[at + j - nleft] = (out[at + j - nleft] as number) * (b * (j - center) + 1);
}

/** The filter of `stless` with jump 1 and length < n (the moving-window branch). */
export function loessFilter(n: number, length: number, degree: 0 | 1): LoessFilter {
  const key = `${n}:${length}:${degree}`;
  const cached = filters.get(key);
  if (cached !== undefined) return cached;
  const nleft = new Int32Array(n);
  const coefficients = new Float64Array(n * length);
  const half = Math.trunc((length + 1) / 2);
  let left = 1;
  let right = length;
  for (let i = 1; i <= n; i += 1) {
    if (i > half && right !== n) {
      left += 1;
      right += 1;
    }
    nleft[i - 1] = left;
    pointCoefficients(n, degree, i, left, right, coefficients, (i - 1) * length);
  }
  // Series lengths are few (one per input length and cycle-subseries length); bound it anyway.
  if (filters.size >= MAX_FILTERS) filters.delete(filters.keys().next().value as string);
  const filter = { length, nleft, coefficients };
  filters.set(key, filter);
  return filter;
}

/** out(i) = Σ c_ij·y_j for i = 1..n, with the module's offset addressing. */
export function applyFilter(filter: LoessFilter, y: Float64Array, yOffset: number, n: number, out: Float64Array, outOffset: number): void {
  const { length, nleft, coefficients } = filter;
  for (let i = 0; i < n; i += 1) {
    const first = yOffset + (nleft[i] as number) - 1;
    const at = i * length;
    // Two interleaved sums: one is bound by the latency of each addition (rounding differs only in the last bits).
    let even = 0;
    let odd = 0;
    let k = 0;
    for (; k + 1 < length; k += 2) {
      even += (coefficients[at + k] as number) * (y[first + k] as number);
      odd += (coefficients[at + k + 1] as number) * (y[first + k + 1] as number);
    }
    if (k < length) even += (coefficients[at + k] as number) * (y[first + k] as number);
    out[outOffset + i] = even + odd;
  }
}
