import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { dbscan } from './dbscan.js';
import { dbscanParallel } from './dbscan-parallel.js';
import { stopDbscanWorkers } from './dbscan-worker-threads.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { loadModelsOracle, loadRetailMatrix, sortedSizes } from './models-oracle.test-support.js';

afterAll(() => stopDbscanWorkers());

function blobs(rows: number, columns: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const centre = rng.int(5);
    const spread = centre === 4 ? 3 : 0.7;
    for (let column = 0; column < columns; column++) data[row * columns + column] = centre * 2.5 * (column % 2) + spread * rng.normal();
  }
  for (let row = 0; row < 200; row++) data.copyWithin((rows - 1 - row) * columns, row * columns, (row + 1) * columns); // duplicates
  return { rows, columns, data };
}

describe('dbscanParallel', () => {
  it('labels, core flags and sizes identical to the single-thread dbscan, for any number of workers', async () => {
    const matrix = blobs(6_000, 6, 3);
    for (const [eps, minSamples] of [[0.9, 12], [0.6, 5]] as const) {
      const single = dbscan(matrix, { eps, minSamples });
      expect(single.clusters).toBeGreaterThan(1);
      expect(single.noise).toBeGreaterThan(0);
      for (const workers of [0, 1, 3]) {
        const parallel = await dbscanParallel(matrix, { eps, minSamples, workers });
        expect(Array.from(parallel.labels)).toEqual(Array.from(single.labels));
        expect(Array.from(parallel.core)).toEqual(Array.from(single.core));
        expect(parallel.sizes).toEqual(single.sizes);
        expect(parallel.noise).toBe(single.noise);
      }
    }
  });

  it('matches scikit-learn on the Online Retail customers with workers', async () => {
    const matrix = loadRetailMatrix();
    for (const expected of loadModelsOracle().dbscan) {
      const result = await dbscanParallel(matrix, { eps: expected.eps, minSamples: expected.min_samples, workers: 2 });
      expect(result.clusters).toBe(expected.clusters);
      expect(result.noise).toBe(expected.noise);
      expect(sortedSizes(result.sizes)).toEqual(expected.sizes_sorted);
    }
  });

  it('rejects bad options before starting any worker', async () => {
    await expect(dbscanParallel({ rows: 1, columns: 1, data: Float64Array.of(0) }, { eps: -1, workers: 2 })).rejects.toThrow(/eps must be a positive number/);
  });
});
