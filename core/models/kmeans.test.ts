import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { runHamerly } from './kmeans-hamerly.js';
import { gaussianBlobs, kmeansOracle, matrixFromRows, onlineRetailMatrix } from './kmeans-online-retail.test-support.js';
import { openKmeansPool } from './kmeans-worker-pool.js';
import { assignToNearest, columnVariances, kmeans } from './kmeans.js';

const oracle = kmeansOracle();
const retail = onlineRetailMatrix();

describe('k-means on Online Retail (log1p RFM, standardized) against scikit-learn', () => {
  it('builds the same model input as the oracle', () => {
    expect(retail.rows).toBe(oracle.rows);
    oracle.first_rows_scaled.flat().forEach((value, index) => expect(retail.data[index]).toBeCloseTo(value, 12));
  });

  it('reaches scikit-learn\'s inertia (n_init = 10) within 1% for k = 2..10', async () => {
    for (const expected of oracle.by_k) {
      const result = await kmeans(retail, { k: expected.k, seed: 0, nInit: 10 });
      expect(Math.abs(result.inertia / expected.inertia - 1), `k = ${expected.k}`).toBeLessThan(0.01);
      expect(result.nInitRun).toBe(10);
      expect(new Set(result.labels).size).toBe(expected.k);
    }
  });
});

describe('k-means results', () => {
  it('are identical for a seed whatever the worker count (0, 1 or 2 threads)', async () => {
    const blobs = gaussianBlobs(70_000, 4, 6, 11);
    const results = [];
    for (const workers of [0, 1, 2]) results.push(await kmeans(blobs, { k: 6, seed: 5, nInit: 2, workers }));
    expect(results.map((result) => result.threads)).toEqual([0, 1, 2]);
    const [inThread, oneWorker, twoWorkers] = results;
    for (const other of [oneWorker!, twoWorkers!]) {
      expect(other.inertia).toBe(inThread!.inertia);
      expect(other.iterations).toBe(inThread!.iterations);
      expect(other.centroids).toEqual(inThread!.centroids);
      expect(other.labels).toEqual(inThread!.labels);
    }
  });

  it('end with every row labelled by its nearest centroid and the inertia of exactly those distances', async () => {
    for (const [matrix, k] of [[retail, 7], [gaussianBlobs(30_000, 5, 6, 3), 6]] as const) {
      const result = await kmeans(matrix, { k, seed: 2, nInit: 2 });
      const bruteForce = assignToNearest(matrix, result.centroids);
      expect(result.labels).toEqual(bruteForce.labels);
      expect(result.inertia).toBe(bruteForce.inertia);
    }
  });

  it('repeat exactly for the same seed and change with the seed', async () => {
    const first = await kmeans(retail, { k: 5, seed: 42, nInit: 3 });
    const again = await kmeans(retail, { k: 5, seed: 42, nInit: 3 });
    const otherSeed = await kmeans(retail, { k: 5, seed: 43, nInit: 3 });
    expect(again.labels).toEqual(first.labels);
    expect(again.centroids).toEqual(first.centroids);
    expect(again.restartInertias).toEqual(first.restartInertias);
    expect(otherSeed.restartInertias).not.toEqual(first.restartInertias);
  });

  it('keep the restart with the lowest inertia', async () => {
    const result = await kmeans(retail, { k: 8, seed: 1, nInit: 5 });
    expect(result.restartInertias).toHaveLength(5);
    expect(result.inertia).toBe(Math.min(...result.restartInertias));
  });

  it('use a tolerance relative to the data\'s variance: rescaled data converges the same way', async () => {
    // ×1024 is exact in floating point, so every distance scales exactly by 1024.
    const scaled = { ...retail, data: retail.data.map((value) => value * 1024) };
    const plain = await kmeans(retail, { k: 4, seed: 9, nInit: 1, tol: 1e-2 });
    const rescaled = await kmeans(scaled, { k: 4, seed: 9, nInit: 1, tol: 1e-2 });
    expect(rescaled.iterations).toBe(plain.iterations);
    expect(rescaled.labels).toEqual(plain.labels);
    expect(rescaled.inertia).toBe(plain.inertia * 1024 * 1024);
  });

  it('stop at maxIter', async () => {
    const result = await kmeans(retail, { k: 6, seed: 0, nInit: 1, maxIter: 2 });
    expect(result.iterations).toBe(2);
  });

  it('relocate an empty cluster to the farthest row, as scikit-learn does', async () => {
    const expected = oracle.empty_cluster_case;
    const matrix = matrixFromRows(expected.x);
    const pool = openKmeansPool(matrix, 0);
    const variances = columnVariances(matrix);
    const tolerance = (1e-4 * (variances[0]! + variances[1]!)) / 2; // sklearn's default tol, scaled as it scales it
    const run = await runHamerly(pool, Float64Array.from(expected.init.flat()), { maxIter: 300, tolerance });
    expect(Array.from(pool.state.labels)).toEqual(expected.labels);
    Array.from(run.centroids).forEach((value, index) => expect(value).toBeCloseTo(expected.centroids.flat()[index]!, 12));
    expect(run.inertia).toBeCloseTo(expected.inertia, 12);
    expect(run.iterations).toBe(expected.n_iter);
    expect(run.relocations).toBe(1);
  });

  it('never leave a cluster empty when rows repeat', async () => {
    const repeated = matrixFromRows([[0], [0], [0], [0], [1], [1], [1], [5]]);
    const result = await kmeans(repeated, { k: 3, seed: 0, nInit: 4 });
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBe(0);
  });

  it('reject impossible requests with a message that says what to change', async () => {
    await expect(kmeans(retail, { k: 0, seed: 0 })).rejects.toThrow(RangeError);
    await expect(kmeans(matrixFromRows([[1], [2]]), { k: 3, seed: 0 })).rejects.toThrow(UserError);
    await expect(kmeans(matrixFromRows([[1], [Number.NaN], [3]]), { k: 2, seed: 0 })).rejects.toThrow(/row 1, column 0/);
  });
});

describe('assignToNearest', () => {
  it('gives each row its nearest centroid, ties to the lower index, and the inertia', () => {
    const rows = matrixFromRows([[0, 0], [4, 0], [2, 0], [9, 1]]);
    const { labels, inertia } = assignToNearest(rows, Float64Array.from([0, 0, 4, 0, 10, 0]));
    expect(Array.from(labels)).toEqual([0, 1, 0, 2]);
    expect(inertia).toBe(0 + 0 + 4 + 2);
  });
});
