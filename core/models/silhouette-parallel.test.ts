import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { kmeansOracle, onlineRetailMatrix } from './kmeans-online-retail.test-support.js';
import { silhouetteSamples, silhouetteSamplesParallel, silhouetteScore } from './silhouette.js';
import { silhouetteTileLayout } from './silhouette-tiles.js';
import { stopSilhouetteWorkers } from './silhouette-worker-threads.js';

afterAll(() => stopSilhouetteWorkers());

function blobs(rows: number, columns: number, clusters: number, seed: number): { matrix: FeatureMatrix; labels: Int32Array } {
  const rng = createRng(seed);
  const data = new Float64Array(rows * columns);
  const labels = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    labels[row] = rng.int(clusters);
    for (let column = 0; column < columns; column++) data[row * columns + column] = labels[row]! * (column % 3) + rng.normal();
  }
  return { matrix: { rows, columns, data }, labels };
}

describe('silhouette across worker threads', () => {
  it('gives the same numbers, to the last bit, on one thread and on several', async () => {
    // 2,001 rows: 8 blocks of 256 (36 tiles), the last one short.
    const { matrix, labels } = blobs(2_001, 5, 4, 11);
    expect(silhouetteTileLayout(matrix.rows).blocks).toBeGreaterThan(1);
    const single = silhouetteSamples(matrix, labels);
    for (const workers of [0, 1, 2]) {
      const parallel = await silhouetteSamplesParallel(matrix, labels, { workers });
      expect(Array.from(parallel)).toEqual(Array.from(single));
    }
    const mean = single.reduce((sum, value) => sum + value, 0) / single.length;
    expect(mean).toBeGreaterThan(0);
  });

  it('still matches scikit-learn on Online Retail (sklearn\'s k = 4 labels) when the pairs are shared out', async () => {
    const oracle = kmeansOracle();
    const retail = onlineRetailMatrix();
    const samples = await silhouetteSamplesParallel(retail, oracle.k4.labels, { workers: 1 });
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    expect(Math.abs(mean - oracle.k4.silhouette)).toBeLessThan(1e-9);
    expect(mean).toBe(silhouetteScore(retail, oracle.k4.labels));
  });
});
