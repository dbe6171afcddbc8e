/**
 * k selection: one k-means per k over a range, four measures per k (a table
 * the report plots), and the chosen k with its reason (k-selection-choice.ts).
 * One worker pool serves every k, and the silhouette is scored on the same
 * seeded sample of rows for every k, so the k values are compared on equal
 * terms and the run is reproducible.
 */
import { createRng, deriveSeed } from '../random/rng.js';
import { calinskiHarabasz, daviesBouldin, encodeLabels } from './cluster-indices.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { chooseK } from './k-selection-choice.js';
import { assignToNearest, kmeans, type KmeansOptions, type KmeansResult } from './kmeans.js';
import { copyRows, sampleRowIndices } from './kmeans-row-sample.js';
import { openKmeansPool } from './kmeans-worker-pool.js';
import { kneedle } from './kneedle.js';
import { silhouetteSamplesParallel } from './silhouette.js';

export interface KSelectionOptions extends Omit<KmeansOptions, 'k' | 'pool'> {
  /** @default 2 */
  kMin?: number;
  /** Capped at rows − 1 (the silhouette needs a second row in some cluster). @default 10 */
  kMax?: number;
  /** Rows the silhouette is scored on (O(s²)); all rows when the data is smaller. @default 10,000 */
  silhouetteSampleSize?: number;
}

export interface KSelectionRow {
  k: number;
  /** Within-segment sum of squared distances (lower = tighter; always falls with k). */
  inertia: number;
  /** Mean silhouette on the sample, −1..1 (higher = better separated); NaN if the sample holds < 2 clusters. */
  silhouette: number;
  /** Higher = better separated. */
  calinskiHarabasz: number;
  /** Lower = better separated. */
  daviesBouldin: number;
  iterations: number;
}

export interface KSelection {
  rows: KSelectionRow[];
  /** The kneedle elbow of inertia against k, or null when the curve has no clear bend. */
  elbowK: number | null;
  chosenK: number;
  reason: string;
  /** The k-means result for chosenK (no refit). */
  chosen: KmeansResult;
  /** Rows the silhouette was scored on. */
  silhouetteSampleSize: number;
}

export const DEFAULT_SILHOUETTE_SAMPLE_SIZE = 10_000;

/** Seed stream of the silhouette sample, apart from the restarts' streams (deriveSeed(seed, restart)). */
const SILHOUETTE_STREAM = 0x5111_0e77;

export async function selectK(matrix: FeatureMatrix, options: KSelectionOptions): Promise<KSelection> {
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 10, matrix.rows - 1);
  if (!Number.isInteger(kMin) || kMin < 2) throw new RangeError(`k selection: kMin must be an integer ≥ 2, got ${kMin}`);
  if (!Number.isInteger(kMax) || kMax < kMin) {
    throw new RangeError(`k selection: no k to try between ${kMin} and ${kMax} (${matrix.rows} rows)`);
  }
  const sampleSize = Math.min(matrix.rows, options.silhouetteSampleSize ?? DEFAULT_SILHOUETTE_SAMPLE_SIZE);
  const sampleRows = sampleRowIndices(matrix.rows, sampleSize, createRng(deriveSeed(options.seed, SILHOUETTE_STREAM)));
  const sample = sampleSize === matrix.rows ? matrix : copyRows(matrix, sampleRows);

  const pool = openKmeansPool(matrix, options.workers);
  try {
    const rows: KSelectionRow[] = [];
    // Labels are n × 4 bytes per k; keep the rest and re-derive the chosen k's labels at the end.
    const results = new Map<number, Omit<KmeansResult, 'labels'>>();
    for (let k = kMin; k <= kMax; k++) {
      const result = await kmeans(matrix, { ...options, k, pool });
      const { labels: _labels, ...kept } = result;
      results.set(k, kept);
      const sampleLabels = Int32Array.from(sampleRows, (row) => result.labels[row]!);
      rows.push({
        k,
        inertia: result.inertia,
        silhouette: await sampledSilhouette(sample, sampleLabels, options.workers),
        calinskiHarabasz: calinskiHarabasz(matrix, result.labels),
        daviesBouldin: daviesBouldin(matrix, result.labels),
        iterations: result.iterations,
      });
    }
    const elbow = kneedle(
      rows.map((row) => row.k),
      rows.map((row) => row.inertia),
      { curve: 'convex', direction: 'decreasing' },
    );
    const elbowK = elbow?.x ?? null;
    const { chosenK, reason } = chooseK(rows, elbowK);
    const chosen = results.get(chosenK)!;
    // The same exact pass k-means ends with, so these are the labels kmeans() returned for chosenK.
    const { labels } = assignToNearest(matrix, chosen.centroids);
    return { rows, elbowK, chosenK, reason, chosen: { ...chosen, labels }, silhouetteSampleSize: sampleSize };
  } finally {
    await pool.close();
  }
}

/** The sample's mean silhouette, its pairs shared across worker threads (the same number as on one thread). */
async function sampledSilhouette(sample: FeatureMatrix, labels: Int32Array, workers: number | undefined): Promise<number> {
  const { clusters } = encodeLabels(labels);
  if (clusters < 2 || clusters > sample.rows - 1) return Number.NaN;
  // `workers` counts k-means threads; the silhouette also computes on the calling thread, which k-means leaves idle.
  const scores = await silhouetteSamplesParallel(sample, labels, workers === undefined ? {} : { workers: Math.max(0, workers - 1) });
  let sum = 0;
  for (const score of scores) sum += score;
  return sum / scores.length;
}
