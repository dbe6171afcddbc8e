import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { dbscan, NOISE } from './dbscan.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { loadModelsOracle, loadRetailMatrix, sortedSizes } from './models-oracle.test-support.js';

function matrixOf(points: number[][]): FeatureMatrix {
  return { rows: points.length, columns: points[0]!.length, data: Float64Array.from(points.flat()) };
}

/** sklearn's algorithm written the obvious O(n²) way, to check the tree-backed version label for label. */
function bruteForceDbscan(matrix: FeatureMatrix, eps: number, minSamples: number): Int32Array {
  const { rows, columns, data } = matrix;
  const neighborhoods: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const near: number[] = [];
    for (let j = 0; j < rows; j++) {
      let sum = 0;
      for (let c = 0; c < columns; c++) sum += (data[i * columns + c]! - data[j * columns + c]!) ** 2;
      if (sum <= eps * eps) near.push(j);
    }
    neighborhoods.push(near);
  }
  const core = neighborhoods.map((near) => near.length >= minSamples);
  const labels = new Int32Array(rows).fill(-1);
  let label = 0;
  for (let i = 0; i < rows; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    const stack = [i];
    while (stack.length > 0) {
      const point = stack.pop()!;
      if (labels[point] !== -1) continue;
      labels[point] = label;
      if (core[point]) for (const neighbor of neighborhoods[point]!) if (labels[neighbor] === -1) stack.push(neighbor);
    }
    label++;
  }
  return labels;
}

describe('dbscan', () => {
  it('gives a border point reachable from two clusters to the cluster grown first, once', () => {
    // Row 0 sits exactly eps = 1 from the right end of the left cluster and the left end of
    // the right cluster, with only 3 points in reach (< minSamples 4): a border point of both.
    // The right cluster holds the lowest-indexed core point (row 1), so it is cluster 0 and
    // claims the border point (sklearn: [0 0 0 0 0 0 1 1 1 1 1 -1]).
    const result = dbscan(matrixOf([
      [2, 0],
      [3, 0], [3.25, 0], [3.5, 0], [3.75, 0], [4, 0],
      [0, 0], [0.25, 0], [0.5, 0], [0.75, 0], [1, 0],
      [10, 10],
    ]), { eps: 1, minSamples: 4 });
    expect(Array.from(result.labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, NOISE]);
    expect(result.core[0]).toBe(0);
    expect(result.sizes).toEqual([6, 5]);
    expect(result.sizes.reduce((a, b) => a + b) + result.noise).toBe(12); // nobody counted twice
  });

  it('counts a neighbour at exactly eps and the point itself', () => {
    // 3-4-5 triangle: the distance is exactly 5 in floating point.
    expect(Array.from(dbscan(matrixOf([[0, 0], [3, 4]]), { eps: 5, minSamples: 2 }).labels)).toEqual([0, 0]);
    expect(Array.from(dbscan(matrixOf([[0, 0], [3, 4]]), { eps: 4.999, minSamples: 2 }).labels)).toEqual([NOISE, NOISE]);
    expect(Array.from(dbscan(matrixOf([[0, 0], [3, 4]]), { eps: 1, minSamples: 1 }).labels)).toEqual([0, 1]);
  });

  it('labels exactly like the brute-force algorithm on clustered 4-D data with duplicates', () => {
    const rng = createRng(42);
    const points: number[][] = [];
    for (let index = 0; index < 1500; index++) {
      const center = rng.int(4);
      points.push([0, 1, 2, 3].map((column) => center * 3 * (column % 2) + rng.normal() * (center === 3 ? 2.5 : 0.6)));
    }
    for (let index = 0; index < 100; index++) points.push([...points[index]!]); // exact duplicates
    const matrix = matrixOf(points);
    for (const [eps, minSamples] of [[0.5, 5], [0.8, 10], [0.3, 3]] as const) {
      const ours = dbscan(matrix, { eps, minSamples });
      expect(Array.from(ours.labels)).toEqual(Array.from(bruteForceDbscan(matrix, eps, minSamples)));
    }
  });

  it('rejects a non-positive eps, a fractional minSamples and missing values', () => {
    const matrix = matrixOf([[0, 0], [1, 1]]);
    expect(() => dbscan(matrix, { eps: 0 })).toThrow(/eps must be a positive number/);
    expect(() => dbscan(matrix, { eps: 1, minSamples: 2.5 })).toThrow(/minSamples must be a positive integer/);
    expect(() => dbscan(matrixOf([[0, 0], [1, Number.NaN]]), { eps: 1 })).toThrow(/row 1, column 1 is NaN/);
  });

  describe('on Online Retail customers (log1p RFM, standardised) against scikit-learn', () => {
    const matrix = loadRetailMatrix();
    const oracle = loadModelsOracle();
    for (const expected of oracle.dbscan) {
      it(`eps=${expected.eps}, min_samples=${expected.min_samples}: same clusters, noise and sizes`, () => {
        // Far from any pair distance (margin in the oracle), so rounding cannot move a point.
        expect(expected.boundary_margin).toBeGreaterThan(1e-9);
        const result = dbscan(matrix, { eps: expected.eps, minSamples: expected.min_samples });
        expect(result.clusters).toBe(expected.clusters);
        expect(result.noise).toBe(expected.noise);
        expect(sortedSizes(result.sizes)).toEqual(expected.sizes_sorted);
      });
    }
  });
});
