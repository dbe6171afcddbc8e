import type { FeatureMatrix } from './feature-matrix.js';
import { nnChainWard } from './ward-nn-chain.js';

/**
 * Ward linkage, the same tree as scipy's `linkage(X, 'ward')` and sklearn's
 * AgglomerativeClustering(linkage='ward') (ties aside), by the
 * nearest-neighbour chain over cluster centroids (ward-nn-chain.ts): O(n)
 * memory, O(n²) time at worst. scipy keeps the n(n−1)/2 condensed distance
 * matrix instead (and copies it): 2.2 GB at 23,502 rows, 40 GB at 100,000.
 * The previous version here was a port of scipy's matrix algorithm, capped at
 * 10,000 rows (400 MB); above that the tree was built on a sample, whose cut
 * differs from sklearn's.
 *
 * Why not ml-hclust: its `agnes(…, { method: 'ward2' })` gives the same tree
 * (the tests check heights on a small example against scipy and against
 * ml-hclust) but rescans and reallocates the whole distance matrix after every
 * merge, O(n³) time and O(n²) memory: measured 4.7 s at 1,500 points and ~2
 * minutes projected for the 4,338 Online Retail customers.
 * (ml-hclust's `ward` uses unsquared distances in the Lance–Williams update
 * and matches neither scipy nor sklearn.)
 *
 * Heights are scipy's: the Ward distance between two singletons is their
 * Euclidean distance, and between clusters A and B it is
 * √(2·|A|·|B|/(|A|+|B|)) · ‖centroid(A) − centroid(B)‖.
 */
export interface WardMerge {
  /** Child node ids: 0..n−1 are input rows, n + i is the cluster made by merge i. a < b. */
  a: number;
  b: number;
  height: number;
  /** Rows (or summed weights) under the new node. */
  size: number;
}

export interface Dendrogram {
  leaves: number;
  /** n − 1 merges in increasing height (scipy's linkage matrix Z, row by row). */
  merges: WardMerge[];
}

/**
 * Rows up to which the tree is built on every row by default (the mapping's
 * sample_size cap): memory is no limit any more, time is (bench/ward:
 * ~30 s of one core at 100,000 × 8 on this machine).
 */
export const MAX_WARD_ROWS = 100_000;

/**
 * Ward dendrogram of the rows of `points`. With `weights` (e.g. k-means
 * cluster sizes when the rows are centroids), row i stands for weights[i]
 * identical points, so merging centroids gives the tree the full data would
 * give at that level.
 */
export function wardLinkage(points: FeatureMatrix, weights?: ArrayLike<number>): Dendrogram {
  const n = points.rows;
  if (n < 1) throw new RangeError('wardLinkage: no rows');
  if (weights !== undefined && weights.length !== n) throw new RangeError(`wardLinkage: ${weights.length} weights for ${n} rows`);
  const size = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    const weight = weights === undefined ? 1 : weights[row]!;
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`wardLinkage: weight of row ${row} must be a positive number, got ${weight}`);
    size[row] = weight;
  }
  for (let index = 0; index < n * points.columns; index++) {
    if (!Number.isFinite(points.data[index]!)) {
      throw new RangeError(`wardLinkage: row ${Math.floor(index / points.columns)}, column ${index % points.columns} is ${points.data[index]}; impute or drop missing values first`);
    }
  }
  return { leaves: n, merges: relabel(nnChainWard(points, size), n) };
}

/**
 * scipy's `label`: sort merges by height (stable, so a child merged at the
 * same height stays before its parent) and rename slot ids to node ids, the
 * cluster made by sorted merge i being n + i.
 */
function relabel(raw: WardMerge[], n: number): WardMerge[] {
  const sorted = raw.map((merge, order) => ({ merge, order })).sort((p, q) => p.merge.height - q.merge.height || p.order - q.order);
  const parent = new Int32Array(2 * n - 1).fill(-1);
  const find = (node: number): number => {
    let root = node;
    while (parent[root]! !== -1) root = parent[root]!;
    while (parent[node]! !== -1) {
      const next = parent[node]!;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  return sorted.map(({ merge }, index) => {
    const rootA = find(merge.a);
    const rootB = find(merge.b);
    const node = n + index;
    parent[rootA] = node;
    parent[rootB] = node;
    return { a: Math.min(rootA, rootB), b: Math.max(rootA, rootB), height: merge.height, size: merge.size };
  });
}
