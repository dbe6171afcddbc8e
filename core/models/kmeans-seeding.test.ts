import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { assignToNearest } from './kmeans.js';
import { gaussianBlobs } from './kmeans-online-retail.test-support.js';
import { kmeansPlusPlus, localTrialsFor, seedingSampleSize } from './kmeans-seeding.js';

describe('k-means++ seeding budget', () => {
  it('tries 2 + ⌊ln k⌋ candidates per centre, as scikit-learn', () => {
    expect([2, 3, 8, 10, 21].map(localTrialsFor)).toEqual([2, 3, 4, 4, 5]);
  });

  it('seeds on all rows of small data and on a sample of large data', () => {
    expect(seedingSampleSize(4_338, 10)).toBe(4_338);
    expect(seedingSampleSize(1_000_000, 8)).toBe(32_768);
    expect(seedingSampleSize(1_000_000, 100)).toBe(102_400);
  });
});

describe('k-means++ seeding', () => {
  it('puts one centre in every well-separated group, on all rows and on a sample', () => {
    for (const [rows, seed] of [[3_000, 1], [3_000, 2], [120_000, 3]] as const) {
      const { matrix, trueCentres } = separatedGroups(rows, 5, 7, seed);
      const centres = kmeansPlusPlus(matrix, 7, createRng(seed));
      // Each seeded centre lies in a different true group.
      const { labels } = assignToNearest({ rows: 7, columns: 5, data: centres }, trueCentres);
      expect(new Set(labels).size, `${rows} rows`).toBe(7);
    }
  });

  it('returns the same centres for the same seed', () => {
    const blobs = gaussianBlobs(5_000, 3, 4, 8);
    expect(kmeansPlusPlus(blobs, 4, createRng(3))).toEqual(kmeansPlusPlus(blobs, 4, createRng(3)));
  });

  it('returns k centres even when the data has fewer distinct rows than k', () => {
    const centres = kmeansPlusPlus({ rows: 4, columns: 1, data: Float64Array.from([1, 1, 2, 2]) }, 3, createRng(0));
    expect(centres).toHaveLength(3);
    expect(centres.every((value) => value === 1 || value === 2)).toBe(true);
  });
});

/** Groups 30 standard deviations apart (centre j: 30 × (1 + ⌊j / columns⌋) on axis j mod columns), unit spread. */
function separatedGroups(rows: number, columns: number, groups: number, seed: number): { matrix: FeatureMatrix; trueCentres: Float64Array } {
  const trueCentres = new Float64Array(groups * columns);
  for (let group = 0; group < groups; group++) trueCentres[group * columns + (group % columns)] = 30 * (1 + Math.floor(group / columns));
  const rng = createRng(seed);
  const data = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const group = row % groups;
    for (let column = 0; column < columns; column++) data[row * columns + column] = trueCentres[group * columns + column]! + rng.normal();
  }
  return { matrix: { rows, columns, data }, trueCentres };
}
