import { agnes, type Cluster } from 'ml-hclust';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { cutDendrogram, wardClustering, wardOnCentroids } from './hierarchical.js';
import { wardLinkage } from './hierarchical-ward.js';
import { loadModelsOracle, loadRetailMatrix, sortedSizes } from './models-oracle.test-support.js';

function matrixOf(points: number[][]): FeatureMatrix {
  return { rows: points.length, columns: points[0]!.length, data: Float64Array.from(points.flat()) };
}

function mergeHeights(tree: Cluster): number[] {
  const heights: number[] = [];
  tree.traverse((node) => {
    if (!node.isLeaf) heights.push(node.height);
  });
  return heights.sort((a, b) => a - b);
}

/** Labels as a partition (which rows share a group), independent of numbering. */
function partition(labels: ArrayLike<number>): string[] {
  const groups = new Map<number, number[]>();
  Array.from(labels).forEach((label, row) => groups.set(label, [...(groups.get(label) ?? []), row]));
  return [...groups.values()].map((rows) => rows.join(',')).sort();
}

describe('Ward hierarchical clustering', () => {
  const oracle = loadModelsOracle().ward;
  const tiny = matrixOf(oracle.tiny.points);

  it('builds scipy\'s linkage on a small example: same merges, heights and sizes', () => {
    const { merges } = wardLinkage(tiny);
    expect(merges.map(({ a, b, size }) => [a, b, size])).toEqual(oracle.tiny.linkage.map(([a, b, , size]) => [a, b, size]));
    merges.forEach((merge, index) => expect(merge.height).toBeCloseTo(oracle.tiny.linkage[index]![2], 10));
    expect(partition(cutDendrogram({ leaves: tiny.rows, merges }, 3))).toEqual(partition(oracle.tiny.labels_k3));
  });

  it('agrees with ml-hclust ward2 (and shows why not its "ward")', () => {
    const ours = wardLinkage(tiny).merges.map((merge) => merge.height);
    const ward2 = mergeHeights(agnes(oracle.tiny.points, { method: 'ward2' }));
    ward2.forEach((height, index) => expect(height).toBeCloseTo(ours[index]!, 10));
    const ward = mergeHeights(agnes(oracle.tiny.points, { method: 'ward' }));
    expect(ward.at(-1)).not.toBeCloseTo(ours.at(-1)!, 3);
  });

  it('treats a weighted row like that many identical rows (Ward on k-means centroids)', () => {
    const centroids = [[0, 0], [1, 0], [6, 5], [7, 7]];
    const weights = [3, 1, 2, 4];
    const expanded = matrixOf(centroids.flatMap((point, index) => Array.from({ length: weights[index]! }, () => point)));
    const weighted = wardLinkage(matrixOf(centroids), weights).merges;
    const full = wardLinkage(expanded).merges.slice(-3); // the merges above the identical copies
    weighted.forEach((merge, index) => {
      expect(merge.height).toBeCloseTo(full[index]!.height, 10);
      expect(merge.size).toBe(full[index]!.size);
    });
    expect(Array.from(wardOnCentroids(matrixOf(centroids), weights, 2).groupOfCentroid)).toEqual([0, 0, 1, 1]);
  });

  it('on a sample, assigns every other row to the nearest cluster centroid', () => {
    const rng = createRng(8);
    const centers = [[0, 0], [10, 0], [0, 10]];
    const truth: number[] = [];
    const data: number[] = [];
    for (let row = 0; row < 6000; row++) {
      const blob = rng.int(3);
      truth.push(blob);
      data.push(centers[blob]![0]! + rng.normal(), centers[blob]![1]! + rng.normal());
    }
    const result = wardClustering({ rows: 6000, columns: 2, data: Float64Array.from(data) }, { clusters: 3, sampleSize: 400, seed: 1 });
    expect(result.sampleRows).toHaveLength(400);
    expect(result.dendrogram.merges).toHaveLength(399);
    expect(partition(result.labels)).toEqual(partition(truth));
    expect(result.sizes.reduce((a, b) => a + b)).toBe(6000);
  });

  it('says how many clusters a tree can be cut into', () => {
    expect(() => cutDendrogram(wardLinkage(tiny), 8)).toThrow(/clusters must be an integer in 1..7/);
  });

  it('on all 4,338 Online Retail customers: the same cluster sizes as sklearn for k = 2..6', () => {
    const matrix = loadRetailMatrix();
    const tree = wardClustering(matrix, { clusters: 4, sampleSize: matrix.rows });
    expect(tree.sampleRows).toHaveLength(matrix.rows); // no sampling: the tree holds every customer
    for (const [k, expected] of Object.entries(oracle.sizes_sorted_by_k)) {
      const labels = cutDendrogram(tree.dendrogram, Number(k));
      const sizes = new Array<number>(Number(k)).fill(0);
      for (const label of labels) sizes[label]!++;
      expect(sortedSizes(sizes)).toEqual(expected);
    }
    expect(sortedSizes(tree.sizes)).toEqual(oracle.sizes_sorted_by_k['4']);
  });
});
