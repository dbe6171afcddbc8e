import { applyFilter, loessFilter } from './loess-filter.js';
import { tricubeTable } from './tricube.js';

/**
 * The local regressions of STL (Cleveland et al. 1990), ported from netlib
 * `stl.f` (`stlest`, `stless`) as statsmodels' `_stl.pyx` runs them.
 *
 * Positions are 1-based, as in the Fortran: the abscissae `j` enter the
 * weighted sums as numbers, so keeping the original origin keeps
 * statsmodels' rounding. Arrays are addressed as `data[offset + j - 1]`,
 * which lets the seasonal step smooth a cycle-subseries in place (the
 * Fortran passes `work2(2)` for the same reason). The hot loops take
 * arrays and offsets rather than objects or closures: this code runs
 * ~10⁹ times in the benchmark.
 */

/** Tuning of one loess pass. */
export interface LoessSpec {
  /** Number of points in the neighbourhood (odd in STL). */
  readonly length: number;
  /** Local polynomial degree: 0 (constant) or 1 (linear). */
  readonly degree: 0 | 1;
  /** Fit every `jump`-th point and interpolate linearly in between. */
  readonly jump: number;
}

/**
 * Loess estimate at abscissa `xs` from points nleft..nright (`stlest`).
 * `rw` (robustness weights, same addressing as y via `rwOffset`) may be
 * undefined. Returns NaN when every neighbour has zero weight (Fortran's
 * `ok = .false.`) so the caller can fall back as the original does.
 *
 * The Fortran normalizes the weights, then makes four more passes over the
 * window (centre, spread, slope-adjusted weights, weighted sum). This
 * gathers the same weighted moments in one pass and applies the closed form
 *   ys = ȳ + b·(Σv·j'·y − μ'·ȳ),  b = −μ'/c,  c = Σv·j'² − μ'²
 * (v = w/Σw, j' = j − xs, μ' = Σv·j'), which is algebraically identical:
 * centring on xs keeps the moments small so no precision is lost, and it is
 * four times faster, which the 10k-series benchmark needs. Results differ
 * from statsmodels only in the last bits (see stl.test.ts for the bound).
 */
export function estimate(
  y: Float64Array,
  yOffset: number,
  n: number,
  length: number,
  degree: 0 | 1,
  xs: number,
  nleft: number,
  nright: number,
  rw: Float64Array | undefined,
  rwOffset: number,
): number {
  let h = Math.max(xs - nleft, nright - xs);
  // Integer division as in the Fortran: widens the window when it exceeds the data.
  if (length > n) h += Math.trunc((length - n) / 2);
  const table = tricubeTable(h);
  let sumW = 0;
  let sumWJ = 0;
  let sumWJJ = 0;
  let sumWY = 0;
  let sumWJY = 0;
  const base = yOffset - 1;
  const rwBase = rwOffset - 1;
  // Every r = |j − xs| is ≤ h by construction of h, so the table covers it.
  for (let j = nleft; j <= nright; j += 1) {
    const d = j - xs;
    let w = table[d < 0 ? -d : d] as number;
    if (rw !== undefined) w *= rw[rwBase + j] as number;
    const wy = w * (y[base + j] as number);
    sumW += w;
    sumWJ += w * d;
    sumWJJ += w * d * d;
    sumWY += wy;
    sumWJY += wy * d;
  }
  if (sumW <= 0) return Number.NaN;
  const mean = sumWY / sumW;
  if (h > 0 && degree > 0) {
    const center = sumWJ / sumW;
    const spread = sumWJJ / sumW - center * center;
    // A near-degenerate spread would make the slope meaningless; keep the local mean.
    if (Math.sqrt(spread) > 0.001 * (n - 1)) {
      const slope = -center / spread;
      return mean + slope * (sumWJY / sumW - center * mean);
    }
  }
  return mean;
}

/** Tricube weights and offsets of a full symmetric window of `length` points. */
interface InteriorKernel {
  readonly weights: Float64Array;
  readonly offsets: Float64Array;
  readonly squares: Float64Array;
}

const interiorKernels: InteriorKernel[] = [];

function interiorKernel(length: number): InteriorKernel {
  const cached = interiorKernels[length];
  if (cached !== undefined) return cached;
  const h = (length - 1) / 2;
  const half = tricubeTable(h);
  const weights = new Float64Array(length);
  const offsets = new Float64Array(length);
  for (let k = 0; k < length; k += 1) {
    offsets[k] = k - h;
    weights[k] = half[Math.abs(k - h)] as number;
  }
  const kernel = { weights, offsets, squares: offsets.map((d) => d * d) };
  interiorKernels[length] = kernel;
  return kernel;
}

/**
 * `estimate` for a window centred on xs with robustness weights (most points
 * of every weighted smooth): offsets come from a table rather than integer
 * arithmetic and the tricube needs no index offset, ~35% faster.
 */
function estimateInterior(
  y: Float64Array, yOffset: number, n: number, degree: 0 | 1, kernel: InteriorKernel, nleft: number, rw: Float64Array, rwOffset: number,
): number {
  const { weights, offsets, squares } = kernel;
  const width = weights.length;
  let sumW = 0;
  let sumWJ = 0;
  let sumWJJ = 0;
  let sumWY = 0;
  let sumWJY = 0;
  const y0 = yOffset + nleft - 1;
  const r0 = rwOffset + nleft - 1;
  for (let k = 0; k < width; k += 1) {
    const w = (weights[k] as number) * (rw[r0 + k] as number);
    const d = offsets[k] as number;
    const wy = w * (y[y0 + k] as number);
    sumW += w;
    sumWJ += w * d;
    sumWJJ += w * (squares[k] as number);
    sumWY += wy;
    sumWJY += wy * d;
  }
  if (sumW <= 0) return Number.NaN;
  const mean = sumWY / sumW;
  if (degree > 0) {
    const center = sumWJ / sumW;
    const spread = sumWJJ / sumW - center * center;
    if (Math.sqrt(spread) > 0.001 * (n - 1)) return mean + (-center / spread) * (sumWJY / sumW - center * mean);
  }
  return mean;
}

function fitAt(
  y: Float64Array, yOffset: number, n: number, spec: LoessSpec, i: number, nleft: number, nright: number,
  rw: Float64Array | undefined, rwOffset: number, out: Float64Array, outOffset: number,
): void {
  const value = estimate(y, yOffset, n, spec.length, spec.degree, i, nleft, nright, rw, rwOffset);
  out[outOffset + i - 1] = Number.isNaN(value) ? (y[yOffset + i - 1] as number) : value;
}

/**
 * Loess smooth of y(1..n) into out(1..n) (`stless`): a moving neighbourhood
 * of `length` points, fitted at every `jump`-th point, linear in between.
 * Unweighted moving-window smooths go through a cached linear filter
 * (loess-filter.ts), which reproduces `stlest`'s arithmetic exactly.
 */
export function smooth(
  y: Float64Array, yOffset: number, n: number, spec: LoessSpec,
  rw: Float64Array | undefined, rwOffset: number,
  out: Float64Array, outOffset: number,
): void {
  const { length, jump } = spec;
  if (n < 2) {
    out[outOffset] = y[yOffset] as number;
    return;
  }
  const step = Math.min(jump, n - 1);
  const half = Math.trunc((length + 1) / 2);
  let nleft = 1;
  let nright = n;
  if (length >= n) {
    for (let i = 1; i <= n; i += step) fitAt(y, yOffset, n, spec, i, nleft, nright, rw, rwOffset, out, outOffset);
  } else if (step === 1 && rw === undefined) {
    applyFilter(loessFilter(n, length, spec.degree), y, yOffset, n, out, outOffset);
  } else if (step === 1) {
    nright = length;
    const kernel = interiorKernel(length);
    for (let i = 1; i <= n; i += 1) {
      if (i > half && nright !== n) {
        nleft += 1;
        nright += 1;
      }
      if (rw !== undefined && nleft === i - half + 1 && nright === i + half - 1) {
        const value = estimateInterior(y, yOffset, n, spec.degree, kernel, nleft, rw, rwOffset);
        out[outOffset + i - 1] = Number.isNaN(value) ? (y[yOffset + i - 1] as number) : value;
      } else {
        fitAt(y, yOffset, n, spec, i, nleft, nright, rw, rwOffset, out, outOffset);
      }
    }
  } else {
    for (let i = 1; i <= n; i += step) {
      if (i < half) {
        nleft = 1;
        nright = length;
      } else if (i >= n - half + 1) {
        nleft = n - length + 1;
        nright = n;
      } else {
        nleft = i - half + 1;
        nright = length + i - half;
      }
      fitAt(y, yOffset, n, spec, i, nleft, nright, rw, rwOffset, out, outOffset);
    }
  }
  if (step !== 1) interpolateJumps(y, yOffset, n, spec, step, nleft, nright, rw, rwOffset, out, outOffset);
}

/** Linear interpolation between the fitted points, and a fit at n (end of `stless`). */
function interpolateJumps(
  y: Float64Array, yOffset: number, n: number, spec: LoessSpec, step: number, nleft: number, nright: number,
  rw: Float64Array | undefined, rwOffset: number, out: Float64Array, outOffset: number,
): void {
  const o = outOffset - 1;
  for (let i = 1; i <= n - step; i += step) {
    const delta = ((out[o + i + step] as number) - (out[o + i] as number)) / step;
    for (let j = i + 1; j <= i + step - 1; j += 1) out[o + j] = (out[o + i] as number) + delta * (j - i);
  }
  const k = Math.trunc((n - 1) / step) * step + 1;
  if (k === n) return;
  fitAt(y, yOffset, n, spec, n, nleft, nright, rw, rwOffset, out, outOffset);
  if (k === n - 1) return;
  const delta = ((out[o + n] as number) - (out[o + k] as number)) / (n - k);
  for (let j = k + 1; j <= n - 1; j += 1) out[o + j] = (out[o + k] as number) + delta * (j - k);
}
