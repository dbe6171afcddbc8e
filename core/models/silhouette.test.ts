import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { copyRows, sampleRowIndices } from './kmeans-row-sample.js';
import { kmeansOracle, matrixFromRows, onlineRetailMatrix } from './kmeans-online-retail.test-support.js';
import { silhouetteSamples, silhouetteScore } from './silhouette.js';

const oracle = kmeansOracle();
const retail = onlineRetailMatrix();

describe('silhouette, against scikit-learn on the same labels', () => {
  it('matches silhouette_score on Online Retail (sklearn\'s k = 4 labels) to 1e-9', () => {
    expect(Math.abs(silhouetteScore(retail, oracle.k4.labels) - oracle.k4.silhouette)).toBeLessThan(1e-9);
  });

  it.each(oracle.small_cases.map((testCase) => [testCase.name, testCase] as const))('matches silhouette_samples: %s', (_name, testCase) => {
    const samples = silhouetteSamples(matrixFromRows(testCase.x), testCase.labels);
    testCase.silhouette_samples.forEach((expected, row) => expect(samples[row]).toBeCloseTo(expected, 12));
    expect(silhouetteScore(matrixFromRows(testCase.x), testCase.labels)).toBeCloseTo(testCase.silhouette, 12);
  });

  it('scores a row alone in its cluster 0', () => {
    const samples = silhouetteSamples(matrixFromRows([[0], [1], [10], [11], [50]]), [0, 0, 1, 1, 2]);
    expect(samples[4]).toBe(0);
  });

  it('refuses one cluster or one cluster per row, as sklearn does', () => {
    expect(() => silhouetteScore(matrixFromRows([[0], [1], [2]]), [0, 0, 0])).toThrow(/between 2 and 2/);
    expect(() => silhouetteScore(matrixFromRows([[0], [1], [2]]), [0, 1, 2])).toThrow(RangeError);
  });
});

describe('silhouette on a seeded sample', () => {
  it('estimates the full score closely and repeats for the same seed', () => {
    const full = silhouetteScore(retail, oracle.k4.labels);
    const sampled = silhouetteScore(retail, oracle.k4.labels, { sampleSize: 2_000, seed: 7 });
    expect(Math.abs(sampled - full)).toBeLessThan(0.02);
    expect(silhouetteScore(retail, oracle.k4.labels, { sampleSize: 2_000, seed: 7 })).toBe(sampled);
    expect(silhouetteScore(retail, oracle.k4.labels, { sampleSize: 2_000, seed: 8 })).not.toBe(sampled);
  });

  it('draws the rows first, then scores within the sample (sklearn\'s sample_size semantics)', () => {
    // Rows 3 and 4 form cluster 1. In a sample holding only one of them, that row is a
    // singleton and scores 0 there, although on all rows it scores close to 1.
    const matrix = matrixFromRows([[0], [0.1], [0.2], [0.3], [9], [9.1]]);
    const labels = [0, 0, 0, 0, 1, 1];
    const full = silhouetteSamples(matrix, labels);
    const seed = Array.from({ length: 50 }, (_, candidate) => candidate).find((candidate) => {
      const rows = Array.from(sampleRowIndices(6, 4, createRng(candidate)));
      return rows.filter((row) => row >= 4).length === 1;
    })!;
    const rows = Array.from(sampleRowIndices(6, 4, createRng(seed)));
    const withinSample = silhouetteSamples(copyRows(matrix, Int32Array.from(rows)), rows.map((row) => labels[row]!));
    const sampled = silhouetteScore(matrix, labels, { sampleSize: 4, seed });
    expect(sampled).toBeCloseTo(withinSample.reduce((sum, value) => sum + value, 0) / 4, 14);
    expect(withinSample[rows.findIndex((row) => row >= 4)]).toBe(0);
    expect(full[4]).toBeGreaterThan(0.9);
  });
});
