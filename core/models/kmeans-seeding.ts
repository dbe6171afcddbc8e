import type { Rng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { copyRows, sampleRowIndices } from './kmeans-row-sample.js';

/**
 * Sample size rule for k-means++: min(n, max(32,768, 1,024 × k)) rows.
 *
 * Why a sample: greedy k-means++ costs k × (2 + ⌊ln k⌋) × n × d distance
 * terms and is strictly sequential (each centre depends on the previous
 * ones), so on 1M rows it costs as much as several Lloyd iterations and
 * cannot use the worker pool. Seeding only has to put one centre in each
 * dense region; a cluster holding 1% of the customers still contributes
 * ~330 rows to a 32k sample, plenty for D² sampling to find it. The 1,024 × k
 * term keeps ~1,000 rows per centre when k is large. Below 32,768 rows the
 * sample is the whole matrix, so small data (e.g. Online Retail's 4,338
 * customers) is seeded exactly as scikit-learn seeds it.
 */
export const SEEDING_SAMPLE_MIN_ROWS = 32_768;
export const SEEDING_SAMPLE_ROWS_PER_CENTRE = 1_024;

export function seedingSampleSize(rows: number, k: number): number {
  return Math.min(rows, Math.max(SEEDING_SAMPLE_MIN_ROWS, SEEDING_SAMPLE_ROWS_PER_CENTRE * k));
}

/** scikit-learn's number of candidate centres tried per step: 2 + ⌊ln k⌋. */
export function localTrialsFor(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

export interface SeedingOptions {
  /** Rows to seed on. @default seedingSampleSize(rows, k) */
  sampleSize?: number;
}

/**
 * Greedy k-means++ exactly as scikit-learn's `_kmeans_plusplus`: the first
 * centre is a uniform row; every next centre draws 2 + ⌊ln k⌋ candidates with
 * probability ∝ D² (squared distance to the nearest chosen centre) and keeps
 * the candidate that lowers the potential Σ D² the most. Greedy trials are
 * what make sklearn's seeding robust to an unlucky single draw.
 * Returns k × d centres, row-major.
 */
export function kmeansPlusPlus(matrix: FeatureMatrix, k: number, rng: Rng, options: SeedingOptions = {}): Float64Array {
  const sampleSize = Math.min(matrix.rows, options.sampleSize ?? seedingSampleSize(matrix.rows, k));
  const sample = sampleSize === matrix.rows ? matrix : copyRows(matrix, sampleRowIndices(matrix.rows, sampleSize, rng));
  const { rows, columns, data } = sample;
  const centres = new Float64Array(k * columns);
  const trials = localTrialsFor(k);

  const first = rng.int(rows);
  centres.set(data.subarray(first * columns, (first + 1) * columns), 0);
  const closest = new Float64Array(rows);
  let potential = 0;
  for (let row = 0; row < rows; row++) {
    closest[row] = squaredDistanceToRow(data, row * columns, data, first * columns, columns);
    potential += closest[row]!;
  }

  const cumulative = new Float64Array(rows);
  const candidates = new Int32Array(trials);
  const candidateDistances = Array.from({ length: trials }, () => new Float64Array(rows));
  for (let centre = 1; centre < k; centre++) {
    let running = 0;
    for (let row = 0; row < rows; row++) {
      running += closest[row]!;
      cumulative[row] = running;
    }
    // All candidates are drawn before any is scored, as sklearn does.
    for (let trial = 0; trial < trials; trial++) {
      candidates[trial] = Math.min(searchSortedLeft(cumulative, rng.next() * potential), rows - 1);
    }
    const potentials = scoreCandidates(sample, candidates, closest, candidateDistances);
    let bestTrial = 0;
    // Strict `<` keeps the first of equal candidates, as numpy's argmin does.
    for (let trial = 1; trial < trials; trial++) if (potentials[trial]! < potentials[bestTrial]!) bestTrial = trial;
    closest.set(candidateDistances[bestTrial]!);
    potential = potentials[bestTrial]!;
    const bestRow = candidates[bestTrial]!;
    centres.set(data.subarray(bestRow * columns, (bestRow + 1) * columns), centre * columns);
  }
  return centres;
}

/**
 * For every candidate t: distances[t][row] = min(closest[row], ‖row − candidate_t‖²)
 * and its potential Σ over rows. One sweep over the rows scores all
 * candidates, four at a time from a column-major copy (the row value and
 * four running sums stay in registers); each distance is summed column by
 * column, as the plain loop would.
 */
function scoreCandidates(sample: FeatureMatrix, candidates: Int32Array, closest: Float64Array, distances: Float64Array[]): Float64Array {
  const { rows, columns, data } = sample;
  const trials = candidates.length;
  const padded = Math.ceil(trials / 4) * 4;
  const byColumn = new Float64Array(columns * padded);
  for (let trial = 0; trial < trials; trial++) {
    for (let column = 0; column < columns; column++) byColumn[column * padded + trial] = data[candidates[trial]! * columns + column]!;
  }
  const potentials = new Float64Array(padded);
  const sums = new Float64Array(4);
  for (let group = 0; group < padded; group += 4) {
    const width = Math.min(4, trials - group);
    for (let row = 0; row < rows; row++) {
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let column = 0; column < columns; column++) {
        const value = data[row * columns + column]!;
        const at = column * padded + group;
        const difference0 = value - byColumn[at]!;
        const difference1 = value - byColumn[at + 1]!;
        const difference2 = value - byColumn[at + 2]!;
        const difference3 = value - byColumn[at + 3]!;
        sum0 += difference0 * difference0;
        sum1 += difference1 * difference1;
        sum2 += difference2 * difference2;
        sum3 += difference3 * difference3;
      }
      sums[0] = sum0;
      sums[1] = sum1;
      sums[2] = sum2;
      sums[3] = sum3;
      const nearest = closest[row]!;
      for (let lane = 0; lane < width; lane++) {
        const distance = Math.min(nearest, sums[lane]!);
        distances[group + lane]![row] = distance;
        potentials[group + lane] += distance;
      }
    }
  }
  return potentials;
}

/** numpy.searchsorted(side='left'): the first index whose value is >= target. */
function searchSortedLeft(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function squaredDistanceToRow(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, columns: number): number {
  let sum = 0;
  for (let column = 0; column < columns; column++) {
    const difference = a[aOffset + column]! - b[bOffset + column]!;
    sum += difference * difference;
  }
  return sum;
}
