import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { buildKdTree } from './kd-tree.js';
import { kthNeighborDistance } from './kd-tree-search.js';
import { sampleRowIndices } from './kmeans-row-sample.js';

/**
 * Suggests DBSCAN's eps from the k-distance curve (Ester et al. 1996, the
 * heuristic sklearn's docs recommend): for each point, the distance to its
 * `minSamples`-th neighbour (itself included, so that distance is exactly the
 * eps at which the point turns core), sorted ascending. Points inside clusters
 * sit on the flat part; the knee where the curve shoots up separates them from
 * noise, and its height is the suggested eps.
 *
 * For large n the curve is computed for a seeded sample of query points, each
 * against the full data (the tree holds every row), so the distances are exact
 * and only the curve's resolution drops.
 */
export interface SuggestEpsOptions {
  /** Query points on the curve. @default 10000 */
  sampleSize?: number;
  /** Seed for choosing the sample. @default 0 */
  seed?: number;
}

export interface EpsSuggestion {
  eps: number;
  /** Index of the knee on `curve`. */
  kneeIndex: number;
  /** Sorted k-distances of the sampled points (the curve to plot). */
  curve: Float64Array;
  /** Rows the curve was computed for (all rows when n <= sampleSize). */
  sampledRows: number;
}

export function suggestEps(matrix: FeatureMatrix, minSamples: number, options: SuggestEpsOptions = {}): EpsSuggestion {
  const sampleSize = options.sampleSize ?? 10_000;
  if (matrix.rows < 2) throw new RangeError(`suggestEps: needs at least 2 rows, got ${matrix.rows}`);
  if (!Number.isInteger(minSamples) || minSamples < 2 || minSamples > matrix.rows) {
    throw new RangeError(`suggestEps: minSamples must be an integer in 2..${matrix.rows} (rows), got ${minSamples}`);
  }
  const tree = buildKdTree(matrix);
  const queries = sampleRowIndices(matrix.rows, sampleSize, createRng(options.seed ?? 0));
  const curve = new Float64Array(queries.length);
  for (let index = 0; index < queries.length; index++) {
    curve[index] = kthNeighborDistance(tree, matrix.data, queries[index]! * matrix.columns, minSamples);
  }
  curve.sort();
  const kneeIndex = kneeOfIncreasingConvex(curve);
  return { eps: curve[kneeIndex]!, kneeIndex, curve, sampledRows: queries.length };
}

/**
 * Kneedle (Satopää et al. 2011) for an increasing, convex curve: scale both
 * axes to [0, 1] and take the point farthest below the diagonal, i.e. the
 * global maximum of x − y. Why not `kneedle.ts` (kneed's offline rule, made
 * for ~10-point inertia curves): on a 10,000-point k-distance curve its
 * threshold, one mean x-step below a local maximum, is ~1e-4, so the first
 * wiggle of the noisy curve passes for the knee. Returns the last index for a
 * curve with no spread (all equal), where any eps at that distance will do.
 */
export function kneeOfIncreasingConvex(sorted: Float64Array): number {
  const last = sorted.length - 1;
  const low = sorted[0]!;
  const spread = sorted[last]! - low;
  if (last <= 0 || spread <= 0) return last;
  let best = 0;
  let bestDifference = Number.NEGATIVE_INFINITY;
  for (let index = 0; index <= last; index++) {
    const difference = index / last - (sorted[index]! - low) / spread;
    if (difference > bestDifference) {
      bestDifference = difference;
      best = index;
    }
  }
  return best;
}
