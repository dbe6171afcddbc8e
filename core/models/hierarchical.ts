import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { MAX_WARD_ROWS, wardLinkage, type Dendrogram } from './hierarchical-ward.js';
import { copyRows, sampleRowIndices } from './kmeans-row-sample.js';

/**
 * Hierarchical (Ward) segments for any number of rows: the tree is built on
 * every row up to `sampleSize` (exact, sklearn's tree; O(n) memory, O(n²)
 * time, see ward-nn-chain.ts), above that on a seeded sample; it is cut into
 * k clusters the way sklearn's AgglomerativeClustering cuts it, and every row
 * outside the sample joins the cluster with the nearest centroid. The dendrogram goes to the
 * report so a user can see how far apart the segments are.
 */
export interface WardOptions {
  /** k, the number of segments. */
  clusters: number;
  /**
   * Rows the tree is built on; all rows when n <= sampleSize. A sample is
   * faster but not sklearn's answer: on the 19,960 Online Retail purchase
   * invoices (hierarchical-exact.test.ts) 10,000-row samples cut at k = 4 gave
   * 8761/5700/4165/1334, 8334/5077/3894/2655, 7643/7283/2703/2331 (seeds 0–2)
   * against the exact tree's 11662/3463/3038/1797, sklearn's.
   * @default MAX_WARD_ROWS (100,000: ~30 s of one core at 100,000 × 8, ~170 MB peak)
   */
  sampleSize?: number;
  /** @default 0 */
  seed?: number;
}

export interface WardClustering {
  /** Cluster per row, 0..k−1, numbered by the first row (in sample order) each cluster holds. */
  labels: Int32Array;
  /** k × columns, the mean of each cluster's sample rows. */
  centroids: FeatureMatrix;
  /** Rows per cluster over all rows. */
  sizes: number[];
  dendrogram: Dendrogram;
  /** The rows the tree was built on, ascending; leaf i of the dendrogram is row sampleRows[i]. */
  sampleRows: Int32Array;
}

export function wardClustering(matrix: FeatureMatrix, options: WardOptions): WardClustering {
  const { rows, columns, data } = matrix;
  const sampleRows = sampleRowIndices(rows, options.sampleSize ?? MAX_WARD_ROWS, createRng(options.seed ?? 0));
  const sample = copyRows(matrix, sampleRows);
  const dendrogram = wardLinkage(sample);
  const sampleLabels = cutDendrogram(dendrogram, options.clusters);

  const k = options.clusters;
  const centroids: FeatureMatrix = { rows: k, columns, data: new Float64Array(k * columns) };
  const sampleCounts = new Float64Array(k);
  for (let index = 0; index < sampleRows.length; index++) {
    const label = sampleLabels[index]!;
    sampleCounts[label]!++;
    for (let column = 0; column < columns; column++) centroids.data[label * columns + column]! += sample.data[index * columns + column]!;
  }
  for (let label = 0; label < k; label++) {
    for (let column = 0; column < columns; column++) centroids.data[label * columns + column]! /= sampleCounts[label]!;
  }

  // Sample rows keep the tree's label (so a full-data run equals sklearn exactly);
  // the rest go to the nearest centroid, as a k-means assignment step would.
  const labels = new Int32Array(rows).fill(-1);
  sampleRows.forEach((row, index) => (labels[row] = sampleLabels[index]!));
  const sizes = new Array<number>(k).fill(0);
  for (let row = 0; row < rows; row++) {
    if (labels[row] === -1) labels[row] = nearestCentroid(data, row * columns, centroids);
    sizes[labels[row]!]!++;
  }
  return { labels, centroids, sizes, dendrogram, sampleRows };
}

/**
 * Ward on k-means centroids (weighted by cluster sizes), cut at `clusters`:
 * which group each centroid falls in. The caller maps rows through their
 * k-means label; this is how a million rows get a hierarchy for the price of k².
 */
export function wardOnCentroids(
  centroids: FeatureMatrix, clusterSizes: ArrayLike<number>, clusters: number,
): { groupOfCentroid: Int32Array; dendrogram: Dendrogram } {
  const dendrogram = wardLinkage(centroids, clusterSizes);
  return { groupOfCentroid: cutDendrogram(dendrogram, clusters), dendrogram };
}

/**
 * sklearn's `_hc_cut`: undo the last k − 1 merges (the highest, since merges
 * are sorted by height) and label each leaf by the subtree it falls in.
 * Clusters are numbered by their smallest leaf, so labels do not depend on
 * heap order.
 */
export function cutDendrogram(dendrogram: Dendrogram, clusters: number): Int32Array {
  const { leaves, merges } = dendrogram;
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > leaves) {
    throw new RangeError(`cutDendrogram: clusters must be an integer in 1..${leaves} (rows in the tree), got ${clusters}`);
  }
  const roots = new Set<number>([2 * leaves - 2]);
  for (let undone = 0; undone < clusters - 1; undone++) {
    const newest = Math.max(...roots);
    const merge = merges[newest - leaves]!;
    roots.delete(newest);
    roots.add(merge.a);
    roots.add(merge.b);
  }
  const labels = new Int32Array(leaves).fill(-1);
  const groups = [...roots].map((root) => leavesUnder(root, dendrogram)).sort((p, q) => Math.min(...p) - Math.min(...q));
  groups.forEach((group, label) => group.forEach((leaf) => (labels[leaf] = label)));
  return labels;
}

function leavesUnder(node: number, { leaves, merges }: Dendrogram): number[] {
  const found: number[] = [];
  const pending = [node];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (current < leaves) found.push(current);
    else pending.push(merges[current - leaves]!.a, merges[current - leaves]!.b);
  }
  return found;
}

function nearestCentroid(data: Float64Array, offset: number, centroids: FeatureMatrix): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let label = 0; label < centroids.rows; label++) {
    let sum = 0;
    for (let column = 0; column < centroids.columns; column++) {
      const difference = data[offset + column]! - centroids.data[label * centroids.columns + column]!;
      sum += difference * difference;
    }
    if (sum < bestDistance) {
      bestDistance = sum;
      best = label;
    }
  }
  return best;
}
