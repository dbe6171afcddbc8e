/**
 * Test-only: the model input for Online Retail (log1p of recency,
 * frequency, monetary, standardized with the population standard deviation,
 * as sklearn's StandardScaler) and the scikit-learn oracle built by
 * test/oracles/online_retail_kmeans.py.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';

const FIXTURES = new URL('../../test/fixtures/online-retail/', import.meta.url);

export function onlineRetailMatrix(): FeatureMatrix {
  const [header, ...lines] = readFileSync(fileURLToPath(new URL('rfm-customers.csv', FIXTURES)), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const picked = ['recency_days', 'frequency', 'monetary'].map((name) => names.indexOf(name));
  const columns = picked.length;
  const data = new Float64Array(lines.length * columns);
  lines.forEach((line, row) => {
    const cells = line.split(',');
    picked.forEach((cell, column) => {
      data[row * columns + column] = Math.log1p(Number(cells[cell]));
    });
  });
  for (let column = 0; column < columns; column++) {
    let sum = 0;
    for (let row = 0; row < lines.length; row++) sum += data[row * columns + column]!;
    const mean = sum / lines.length;
    let squares = 0;
    for (let row = 0; row < lines.length; row++) squares += (data[row * columns + column]! - mean) ** 2;
    const deviation = Math.sqrt(squares / lines.length);
    for (let row = 0; row < lines.length; row++) data[row * columns + column] = (data[row * columns + column]! - mean) / deviation;
  }
  return { rows: lines.length, columns, data };
}

export interface OracleMetrics {
  silhouette: number;
  calinski_harabasz: number;
  davies_bouldin: number;
}

export interface KmeansOracle {
  sklearn_version: string;
  rows: number;
  first_rows_scaled: number[][];
  by_k: (OracleMetrics & {
    k: number;
    inertia: number;
    n_iter: number;
    cluster_sizes: number[];
    /** The same fit for random_state 0..7. */
    runs: (OracleMetrics & { random_state: number; inertia: number })[];
  })[];
  k4: OracleMetrics & { labels: number[] };
  empty_cluster_case: { x: number[][]; init: number[][]; centroids: number[][]; labels: number[]; inertia: number; n_iter: number };
  small_cases: (OracleMetrics & { name: string; x: number[][]; labels: number[]; silhouette_samples: number[] })[];
}

export function kmeansOracle(): KmeansOracle {
  return JSON.parse(readFileSync(fileURLToPath(new URL('kmeans-oracle.json', FIXTURES)), 'utf8')) as KmeansOracle;
}

export function matrixFromRows(rows: readonly (readonly number[])[]): FeatureMatrix {
  const columns = rows[0]?.length ?? 0;
  return { rows: rows.length, columns, data: Float64Array.from(rows.flat()) };
}

/** Seeded gaussian blobs: `clusters` centres in [-10, 10]^columns, unit spread. */
export function gaussianBlobs(rows: number, columns: number, clusters: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters * columns }, () => rng.next() * 20 - 10);
  const data = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const cluster = rng.int(clusters);
    for (let column = 0; column < columns; column++) data[row * columns + column] = centres[cluster * columns + column]! + rng.normal();
  }
  return { rows, columns, data };
}
