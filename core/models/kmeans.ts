/**
 * k-means on a flat Float64Array, written here rather than taken from npm.
 * Why: `ml-kmeans` keeps the data as arrays of arrays (~740 MB for 1M×8
 * customers against 64 MB flat), spends ~8 s seeding 1M×8 and computes
 * every row-to-centre distance every iteration (no bounds). This one seeds
 * with scikit-learn's greedy k-means++ on a sample (kmeans-seeding.ts),
 * skips most distance computations with Hamerly's bounds
 * (kmeans-hamerly.ts), shares the matrix with worker threads instead of
 * copying it (kmeans-worker-pool.ts), keeps the best of nInit restarts, and
 * gives bit-identical results for a seed whatever the worker count
 * (kmeans-block-passes.ts).
 */
import { UserError } from '../errors/user-error.js';
import { createRng, deriveSeed } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { blockCount, runBlockPass } from './kmeans-block-passes.js';
import { runHamerly } from './kmeans-hamerly.js';
import { kmeansPlusPlus } from './kmeans-seeding.js';
import { openKmeansPool, type KmeansPool } from './kmeans-worker-pool.js';

export interface KmeansOptions {
  /** Number of clusters (1 ≤ k ≤ rows). */
  k: number;
  /** Seed of every random choice (k-means++ sample and draws); restart r uses deriveSeed(seed, r). */
  seed: number;
  /** Restarts from different seedings; the lowest inertia wins (ties: the earliest). @default 10 */
  nInit?: number;
  /** Lloyd steps per restart. @default 300 */
  maxIter?: number;
  /** Relative tolerance: stop when the total squared centre shift ≤ tol × mean per-column variance (sklearn's rule). @default 1e-4 */
  tol?: number;
  /** Worker threads for the assignment step; 0 = the calling thread only. Results do not depend on it. @default available cores, 0 under 65,536 rows */
  workers?: number;
  /** Rows k-means++ seeds on. @default seedingSampleSize(rows, k) = min(rows, max(32,768, 1,024 × k)) */
  seedingSampleSize?: number;
  /** An open pool over the same matrix, reused across calls (k selection); the caller closes it. */
  pool?: KmeansPool;
}

export interface KmeansResult {
  k: number;
  /** k × columns, row-major. */
  centroids: Float64Array;
  /** Nearest centroid of every row (exact, from the final centroids). */
  labels: Int32Array;
  /** Sum of squared distances of rows to their nearest centroid (exact). */
  inertia: number;
  /** Lloyd steps of the winning restart (sklearn's n_iter_). */
  iterations: number;
  /** Restarts run. */
  nInitRun: number;
  /** Inertia of every restart, in restart order (how much seeding mattered). */
  restartInertias: number[];
  /** Worker threads that ran the assignment steps (0 = the calling thread). */
  threads: number;
}

export async function kmeans(matrix: FeatureMatrix, options: KmeansOptions): Promise<KmeansResult> {
  const { k, seed } = options;
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  validateArguments(matrix, k, nInit, maxIter);
  if (options.pool && (options.pool.state.rows !== matrix.rows || options.pool.state.columns !== matrix.columns)) {
    throw new RangeError(`k-means: the pool was opened on a ${options.pool.state.rows}×${options.pool.state.columns} matrix, not this ${matrix.rows}×${matrix.columns} one`);
  }

  const pool = options.pool ?? openKmeansPool(matrix, options.workers);
  try {
    // The data scan and the seeding below run while the workers start.
    const tolerance = meanOf(finiteColumnVariances(matrix)) * (options.tol ?? 1e-4);
    let best: KmeansResult | undefined;
    const restartInertias: number[] = [];
    for (let restart = 0; restart < nInit; restart++) {
      const rng = createRng(deriveSeed(seed, restart));
      const seedingOptions = options.seedingSampleSize === undefined ? {} : { sampleSize: options.seedingSampleSize };
      const initial = kmeansPlusPlus(matrix, k, rng, seedingOptions);
      const run = await runHamerly(pool, initial, { maxIter, tolerance });
      restartInertias.push(run.inertia);
      if (!best || run.inertia < best.inertia) {
        best = {
          k,
          centroids: run.centroids,
          labels: Int32Array.from(pool.state.labels),
          inertia: run.inertia,
          iterations: run.iterations,
          nInitRun: nInit,
          restartInertias,
          threads: pool.threads,
        };
      }
    }
    return best!;
  } finally {
    if (!options.pool) await pool.close();
  }
}

export interface Assignment {
  labels: Int32Array;
  /** Sum of squared distances to the assigned centroids. */
  inertia: number;
}

/**
 * Nearest centroid of every row (ties: the lower centroid index), on the
 * calling thread: new customers scored against last run's centroids.
 */
export function assignToNearest(matrix: FeatureMatrix, centroids: Float64Array): Assignment {
  const k = centroids.length / matrix.columns;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`assignToNearest: centroids hold ${centroids.length} values, not a multiple of ${matrix.columns} columns`);
  }
  const labels = new Int32Array(matrix.rows);
  const state = { ...matrix, labels, upper: new Float64Array(0), lower: new Float64Array(0) };
  const partials = runBlockPass(state, { kind: 'exact', k, centres: centroids, fromLabels: false, firstBlock: 0, endBlock: blockCount(matrix.rows) });
  let inertia = 0;
  for (let offset = k; offset < partials.length; offset += k + 1) inertia += partials[offset]!;
  return { labels, inertia };
}

/** Per-column population variance (numpy's var, ddof = 0), which sklearn's tolerance is scaled by. */
export function columnVariances(matrix: FeatureMatrix): Float64Array {
  const { rows, columns, data } = matrix;
  const means = new Float64Array(columns);
  for (let row = 0; row < rows; row++) for (let column = 0; column < columns; column++) means[column] += data[row * columns + column]!;
  for (let column = 0; column < columns; column++) means[column] /= rows;
  const variances = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const difference = data[row * columns + column]! - means[column]!;
      variances[column] += difference * difference;
    }
  }
  for (let column = 0; column < columns; column++) variances[column] /= rows;
  return variances;
}

/**
 * columnVariances, refusing missing or infinite values. A NaN or ±Infinity
 * anywhere makes its column's sums non-finite, so the check costs no extra
 * pass; only then is the data searched for the row to name.
 */
function finiteColumnVariances(matrix: FeatureMatrix): Float64Array {
  const variances = columnVariances(matrix);
  if (variances.every(Number.isFinite)) return variances;
  const { columns, data } = matrix;
  for (let index = 0; index < data.length; index++) {
    if (!Number.isFinite(data[index]!)) {
      throw new UserError(
        `k-means: row ${Math.floor(index / columns)}, column ${index % columns} is ${data[index]}; fill or drop missing values before clustering`,
      );
    }
  }
  throw new UserError('k-means: feature values are too large to square (above ~1e154); scale the features before clustering');
}

function validateArguments(matrix: FeatureMatrix, k: number, nInit: number, maxIter: number): void {
  const { rows, columns, data } = matrix;
  if (data.length !== rows * columns) {
    throw new RangeError(`k-means: the matrix says ${rows}×${columns} but holds ${data.length} values`);
  }
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k-means: k must be a positive integer, got ${k}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`k-means: nInit must be a positive integer, got ${nInit}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`k-means: maxIter must be a positive integer, got ${maxIter}`);
  if (k > rows) throw new UserError(`k-means: cannot make ${k} segments out of ${rows} customers; lower k or widen the audience`);
}

function meanOf(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
