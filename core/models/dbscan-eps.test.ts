import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { dbscan } from './dbscan.js';
import { kneeOfIncreasingConvex, suggestEps } from './dbscan-eps.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { loadRetailMatrix } from './models-oracle.test-support.js';

function blobsWithNoise(seed: number): { matrix: FeatureMatrix; noiseRows: number } {
  const rng = createRng(seed);
  const points: number[] = [];
  for (let index = 0; index < 400; index++) points.push(rng.normal() * 0.3, rng.normal() * 0.3);
  for (let index = 0; index < 400; index++) points.push(8 + rng.normal() * 0.3, 8 + rng.normal() * 0.3);
  // Scattered points far from both blobs and from each other.
  for (let index = 0; index < 20; index++) points.push(-20 + index * 3, 20 - (index % 2) * 45);
  return { matrix: { rows: 820, columns: 2, data: Float64Array.from(points) }, noiseRows: 20 };
}

describe('suggestEps', () => {
  it('picks the knee of a hand-made k-distance curve', () => {
    // Flat, then a bend at index 7 (1.5), then a steep climb: the knee is the last "inside" distance.
    expect(kneeOfIncreasingConvex(Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1.5, 3, 10]))).toBe(7);
    expect(kneeOfIncreasingConvex(Float64Array.from([2, 2, 2]))).toBe(2);
  });

  it('finds an eps that recovers two blobs and leaves the scattered points as noise', () => {
    const { matrix, noiseRows } = blobsWithNoise(3);
    const suggestion = suggestEps(matrix, 5);
    const result = dbscan(matrix, { eps: suggestion.eps, minSamples: 5 });
    expect(result.clusters).toBe(2);
    expect(result.noise).toBeGreaterThanOrEqual(noiseRows);
    expect(result.noise).toBeLessThan(noiseRows + 20); // at most a few blob-edge points join them
    expect(suggestion.curve.length).toBe(820);
  });

  it('gives a usable eps on Online Retail customers: a few clusters and little noise', () => {
    const matrix = loadRetailMatrix();
    const suggestion = suggestEps(matrix, 10);
    const result = dbscan(matrix, { eps: suggestion.eps, minSamples: 10 });
    expect(result.clusters).toBeGreaterThanOrEqual(2);
    expect(result.noise / matrix.rows).toBeLessThan(0.1);
  });

  it('on a seeded sample is repeatable and close to the full curve', () => {
    const matrix = loadRetailMatrix();
    const full = suggestEps(matrix, 10);
    const sampled = suggestEps(matrix, 10, { sampleSize: 2000, seed: 5 });
    expect(sampled.sampledRows).toBe(2000);
    expect(suggestEps(matrix, 10, { sampleSize: 2000, seed: 5 }).eps).toBe(sampled.eps);
    // A knee is a soft feature: 2,000-point curves put it within ±13% of the full
    // curve's for seeds 1–8 (0.39–0.47 vs 0.45), so allow 20%.
    expect(Math.abs(sampled.eps - full.eps) / full.eps).toBeLessThan(0.2);
  });

  it('says which minSamples it cannot use', () => {
    expect(() => suggestEps({ rows: 3, columns: 1, data: Float64Array.from([0, 1, 2]) }, 4)).toThrow(/minSamples must be an integer in 2..3/);
  });
});
