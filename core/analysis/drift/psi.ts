/**
 * Population Stability Index with bins cut at baseline quantiles:
 *   PSI = Σ_b (a_b − e_b) · ln(a_b / e_b),
 * e = baseline share, a = current share per bin.
 *
 * Bin assignment: the interior edges are the baseline quantiles at
 * i/bins (numpy 'linear'); a value goes to bin searchsorted(edges, x,
 * side='right'), so bins are [edge_{i−1}, edge_i), closed on the left, and
 * a value equal to an edge joins the bin above it. Repeated edges (a
 * baseline with ties) are merged, so fewer bins than requested may result;
 * the count used is reported. Shares below `floor` are raised to it before
 * the log, so an empty bin gives a large but finite PSI.
 */
import { linearQuantile, searchSortedRight, sortedNumbers } from './quantile.js';

export interface PsiOptions {
  /** Requested number of quantile bins. @default 10 */
  bins?: number;
  /** Smallest share used inside the log. @default 1e-4 */
  floor?: number;
}

export type PsiLevel = 'stable' | 'moderate' | 'significant';

export interface PsiResult {
  psi: number;
  /** 'stable' below 0.1, 'moderate' up to 0.25, 'significant' above. */
  level: PsiLevel;
  /** Bins after merging duplicate edges. */
  binCount: number;
  /** Interior edges (binCount − 1 of them). */
  edges: number[];
  expected: number[];
  actual: number[];
  floor: number;
  /** Bins whose baseline or current share was raised to the floor. */
  flooredBins: number[];
}

export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;

export function populationStabilityIndex(
  baseline: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PsiOptions = {},
): PsiResult {
  const bins = options.bins ?? 10;
  const floor = options.floor ?? 1e-4;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`populationStabilityIndex: bins must be a positive integer, got ${bins}`);
  if (baseline.length === 0 || current.length === 0) throw new RangeError('populationStabilityIndex: baseline and current must be non-empty');
  const edges = quantileEdges(sortedNumbers(baseline), bins);
  const expected = binShares(baseline, edges);
  const actual = binShares(current, edges);
  let psi = 0;
  const flooredBins: number[] = [];
  for (let bin = 0; bin < expected.length; bin++) {
    const e = expected[bin] as number;
    const a = actual[bin] as number;
    if (e < floor || a < floor) flooredBins.push(bin);
    const eClipped = Math.max(e, floor);
    const aClipped = Math.max(a, floor);
    psi += (aClipped - eClipped) * Math.log(aClipped / eClipped);
  }
  return { psi, level: psiLevel(psi), binCount: expected.length, edges, expected, actual, floor, flooredBins };
}

export function psiLevel(psi: number): PsiLevel {
  if (psi > PSI_SIGNIFICANT) return 'significant';
  if (psi > PSI_MODERATE) return 'moderate';
  return 'stable';
}

function quantileEdges(sorted: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let index = 1; index < bins; index++) {
    const edge = linearQuantile(sorted, index / bins);
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

function binShares(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let index = 0; index < values.length; index++) {
    const bin = searchSortedRight(edges, values[index] as number);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts.map((count) => count / values.length);
}
