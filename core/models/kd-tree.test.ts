import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { buildKdTree } from './kd-tree.js';
import { claim, collectUnclaimedWithin, createClaimTracker } from './kd-tree-claims.js';
import { collectWithin, countWithin, createNeighborBuffer, kthNeighborDistance } from './kd-tree-search.js';

function randomMatrix(rows: number, columns: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * columns);
  // Rounded to a coarse grid so ties and duplicate points occur.
  for (let index = 0; index < data.length; index++) data[index] = Math.round(rng.normal() * 8) / 8;
  return { rows, columns, data };
}

function bruteDistances(matrix: FeatureMatrix, query: number): number[] {
  const { rows, columns, data } = matrix;
  const distances: number[] = [];
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let column = 0; column < columns; column++) sum += (data[row * columns + column]! - data[query * columns + column]!) ** 2;
    distances.push(Math.sqrt(sum));
  }
  return distances;
}

describe('kd-tree', () => {
  const matrix = randomMatrix(3000, 5, 7);
  const tree = buildKdTree(matrix);

  it('finds exactly the points within the radius, boundary included', () => {
    const buffer = createNeighborBuffer(4);
    for (const query of [0, 17, 999, 2999]) {
      const distances = bruteDistances(matrix, query);
      for (const radius of [0.25, 0.5, 1, 10]) {
        const expected = distances.flatMap((distance, row) => (distance * distance <= radius * radius ? [row] : []));
        collectWithin(tree, matrix.data, query * matrix.columns, radius, buffer);
        expect(Array.from(buffer.rows.subarray(0, buffer.length)).sort((a, b) => a - b)).toEqual(expected);
        expect(countWithin(tree, matrix.data, query * matrix.columns, radius)).toBe(expected.length);
        expect(countWithin(tree, matrix.data, query * matrix.columns, radius, 3)).toBeGreaterThanOrEqual(Math.min(3, expected.length));
      }
    }
  });

  it('gives the k-th nearest distance, the query itself being the first', () => {
    for (const query of [3, 500, 2500]) {
      const sorted = bruteDistances(matrix, query).sort((a, b) => a - b);
      for (const k of [1, 2, 10, 57]) expect(kthNeighborDistance(tree, matrix.data, query * matrix.columns, k)).toBeCloseTo(sorted[k - 1]!, 12);
    }
  });

  it('skips claimed points, and whole claimed subtrees, in an unclaimed-only search', () => {
    const tracker = createClaimTracker(tree);
    for (let row = 0; row < matrix.rows; row += 3) claim(tree, tracker, row);
    claim(tree, tracker, 0); // claiming twice changes nothing
    expect(tracker.remaining[0]).toBe(matrix.rows - Math.ceil(matrix.rows / 3));
    const buffer = createNeighborBuffer();
    for (const query of [1, 600, 2998]) {
      const expected = bruteDistances(matrix, query).flatMap((distance, row) => (distance <= 0.75 && row % 3 !== 0 ? [row] : []));
      collectUnclaimedWithin(tree, tracker, matrix.data, query * matrix.columns, 0.75, buffer);
      expect(Array.from(buffer.rows.subarray(0, buffer.length)).sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('copes with all points identical', () => {
    const same: FeatureMatrix = { rows: 100, columns: 2, data: new Float64Array(200).fill(1.5) };
    const sameTree = buildKdTree(same);
    expect(countWithin(sameTree, same.data, 0, 1e-9)).toBe(100);
    expect(kthNeighborDistance(sameTree, same.data, 0, 100)).toBe(0);
  });
});
