/**
 * Silhouette with scikit-learn's semantics (sklearn.metrics.silhouette_samples
 * and silhouette_score): a(i) is the mean distance from row i to the other
 * rows of its cluster, b(i) the smallest mean distance to the rows of another
 * cluster, s(i) = (b − a) / max(a, b); a row alone in its cluster scores 0,
 * and 0/0 (identical rows) is 0. Euclidean distance.
 *
 * It is O(n²·d), so on many rows it is scored on a seeded sample of rows,
 * exactly as silhouette_score(X, labels, sample_size, random_state) does:
 * draw the rows first, then score within the sample (cluster sizes, a and b
 * all come from the sample). The pairs can be shared across worker threads
 * (silhouetteSamplesParallel) with the same result (silhouette-tiles.ts).
 */
import { availableParallelism } from 'node:os';
import { createRng } from '../random/rng.js';
import { assertClusterCount, encodeLabels } from './cluster-indices.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { copyRows, sampleRowIndices } from './kmeans-row-sample.js';
import { runSilhouetteTiles, silhouetteTileLayout, sumSlots, type SilhouetteTileJob } from './silhouette-tiles.js';
import { silhouetteWorkers } from './silhouette-worker-threads.js';

export interface SilhouetteOptions {
  /** Score this many rows drawn without replacement; all rows when absent or ≥ rows. */
  sampleSize?: number;
  /** Seed of the sample (required when it samples). @default 0 */
  seed?: number;
}

/** Mean silhouette of the rows (or of a seeded sample of them). */
export function silhouetteScore(matrix: FeatureMatrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  if (labels.length !== matrix.rows) throw new RangeError(`silhouette: ${labels.length} labels for ${matrix.rows} rows`);
  let scored = matrix;
  let scoredLabels = labels;
  if (options.sampleSize !== undefined && options.sampleSize < matrix.rows) {
    const rows = sampleRowIndices(matrix.rows, options.sampleSize, createRng(options.seed ?? 0));
    scored = copyRows(matrix, rows);
    scoredLabels = Int32Array.from(rows, (row) => labels[row]!);
  }
  const samples = silhouetteSamples(scored, scoredLabels);
  let sum = 0;
  for (const value of samples) sum += value;
  return sum / samples.length;
}

/** s(i) for every row, on the calling thread. */
export function silhouetteSamples(matrix: FeatureMatrix, labels: ArrayLike<number>): Float64Array {
  const { codes, clusters, sizes } = encodeLabels(labels);
  assertClusterCount('silhouette', clusters, matrix.rows);
  return scoresFrom(pairDistanceSumsHere(matrix, codes, clusters), codes, clusters, sizes);
}

export interface ParallelSilhouetteOptions {
  /** Worker threads besides the calling thread, which takes tiles too. Results do not depend on it. @default available cores − 1 (0 under MIN_ROWS_FOR_SILHOUETTE_WORKERS rows) */
  workers?: number;
}

/** Below this, the O(n²) pass takes less time than a worker round trip. */
export const MIN_ROWS_FOR_SILHOUETTE_WORKERS = 4_096;

/** s(i) for every row, the pairs shared out across worker threads: the same numbers as silhouetteSamples, to the last bit. */
export async function silhouetteSamplesParallel(matrix: FeatureMatrix, labels: ArrayLike<number>, options: ParallelSilhouetteOptions = {}): Promise<Float64Array> {
  const { codes, clusters, sizes } = encodeLabels(labels);
  assertClusterCount('silhouette', clusters, matrix.rows);
  const workers = Math.max(0, Math.floor(options.workers ?? (matrix.rows < MIN_ROWS_FOR_SILHOUETTE_WORKERS ? 0 : availableParallelism() - 1)));
  return scoresFrom(await pairDistanceSums(matrix, codes, clusters, workers), codes, clusters, sizes);
}

function scoresFrom(distanceSums: Float64Array, codes: Int32Array, clusters: number, sizes: ArrayLike<number>): Float64Array {
  const rows = codes.length;
  const scores = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const own = codes[i]!;
    const ownSize = sizes[own]!;
    if (ownSize === 1) continue; // a singleton scores 0
    const within = distanceSums[i * clusters + own]! / (ownSize - 1);
    let nearestOther = Infinity;
    for (let cluster = 0; cluster < clusters; cluster++) {
      if (cluster === own) continue;
      nearestOther = Math.min(nearestOther, distanceSums[i * clusters + cluster]! / sizes[cluster]!);
    }
    const denominator = Math.max(within, nearestOther);
    scores[i] = denominator === 0 ? 0 : (nearestOther - within) / denominator;
  }
  return scores;
}

/**
 * distanceSums[i × K + c] = Σ distance(i, j) over rows j of cluster c, from
 * the tiles (silhouette-tiles.ts) on the calling thread, or shared with
 * `workers` worker threads (the calling thread takes tiles too). The tiles
 * fix the order of every addition, so the sums are the same either way.
 */
async function pairDistanceSums(matrix: FeatureMatrix, codes: Int32Array, clusters: number, workers: number): Promise<Float64Array> {
  if (workers === 0) return pairDistanceSumsHere(matrix, codes, clusters);
  const job = tileJob(matrix, codes, clusters, true);
  // Atomic accesses to the cursor on both sides order the plain writes to the shared partials
  // (the same reasoning as dbscan-parallel.ts's runPass).
  Atomics.store(job.cursor, 0, 0);
  const running = silhouetteWorkers(workers).map((worker) => worker.run(job));
  runSilhouetteTiles(job);
  await Promise.all(running);
  Atomics.load(job.cursor, 0);
  return sumSlots(job);
}

function pairDistanceSumsHere(matrix: FeatureMatrix, codes: Int32Array, clusters: number): Float64Array {
  const job = tileJob(matrix, codes, clusters, false);
  runSilhouetteTiles(job);
  return sumSlots(job);
}

function tileJob(matrix: FeatureMatrix, codes: Int32Array, clusters: number, shared: boolean): SilhouetteTileJob {
  const { rows, columns, data } = matrix;
  const { blockRows, blocks } = silhouetteTileLayout(rows);
  const float64s = (length: number) => (shared ? new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)) : new Float64Array(length));
  const byColumn = float64s(columns * rows);
  for (let row = 0; row < rows; row++) for (let column = 0; column < columns; column++) byColumn[column * rows + row] = data[row * columns + column]!;
  let sharedCodes = codes;
  if (shared) {
    sharedCodes = new Int32Array(new SharedArrayBuffer(codes.byteLength));
    sharedCodes.set(codes);
  }
  const cursor = shared ? new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(1);
  return { rows, columns, clusters, byColumn, codes: sharedCodes, blockRows, blocks, partials: float64s(rows * blocks * clusters), cursor };
}
