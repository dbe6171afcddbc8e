/**
 * Calinski–Harabasz and Davies–Bouldin indices with scikit-learn's
 * definitions (sklearn.metrics.calinski_harabasz_score / davies_bouldin_score),
 * in one or two passes over the flat matrix, so they cost O(n·d) even on
 * millions of rows (the silhouette, O(n²), is the one that needs a sample).
 */
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * Labels re-encoded as 0..K-1 in ascending order of the original values, as
 * scikit-learn's LabelEncoder does before every clustering metric, so labels
 * like [7, 3, 9] and cluster ids left empty behave as they do there.
 */
export interface EncodedLabels {
  /** 0..clusters-1 per row. */
  codes: Int32Array;
  clusters: number;
  /** Rows per cluster. */
  sizes: Float64Array;
}

export function encodeLabels(labels: ArrayLike<number>): EncodedLabels {
  if (labels.length === 0) return { codes: new Int32Array(0), clusters: 0, sizes: new Float64Array(0) };
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    if (label < min) min = label;
    if (label > max) max = label;
    if (!Number.isInteger(label)) integers = false;
  }
  // Cluster ids are small integers: a lookup table, no Set or Map over a million labels.
  const codeOf = integers && max - min < 1 << 20 ? denseCodes(labels, min, max) : sparseCodes(labels);
  const { clusters } = codeOf;
  const codes = new Int32Array(labels.length);
  const sizes = new Float64Array(clusters);
  for (let row = 0; row < labels.length; row++) {
    const code = codeOf.get(labels[row]!);
    codes[row] = code;
    sizes[code] += 1;
  }
  return { codes, clusters, sizes };
}

interface CodeTable {
  get(label: number): number;
  clusters: number;
}

function denseCodes(labels: ArrayLike<number>, min: number, max: number): CodeTable {
  const table = new Int32Array(max - min + 1).fill(-1);
  for (let row = 0; row < labels.length; row++) table[labels[row]! - min] = 0;
  let next = 0;
  for (let index = 0; index < table.length; index++) if (table[index] === 0) table[index] = next++;
  return { get: (label) => table[label - min]!, clusters: next };
}

function sparseCodes(labels: ArrayLike<number>): CodeTable {
  const distinct = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const codes = new Map(distinct.map((label, code) => [label, code]));
  return { get: (label) => codes.get(label)!, clusters: distinct.length };
}

/** sklearn's check_number_of_labels: the metrics are defined for 2 ≤ clusters ≤ rows − 1. */
export function assertClusterCount(metric: string, clusters: number, rows: number): void {
  if (clusters < 2 || clusters > rows - 1) {
    throw new RangeError(`${metric}: ${clusters} clusters among ${rows} rows; it needs between 2 and ${rows - 1} (rows − 1)`);
  }
}

/**
 * Between-cluster dispersion over within-cluster dispersion, each divided by
 * its degrees of freedom: (B / (K − 1)) / (W / (n − K)). Higher is better;
 * 1 when every row sits on its cluster mean (sklearn's convention).
 */
export function calinskiHarabasz(matrix: FeatureMatrix, labels: ArrayLike<number>): number {
  const { rows, columns, data } = matrix;
  const { codes, clusters, sizes } = encodeLabels(labels);
  assertClusterCount('Calinski–Harabasz', clusters, rows);
  const means = clusterMeans(matrix, codes, clusters, sizes);
  const overall = new Float64Array(columns);
  for (let row = 0; row < rows; row++) for (let column = 0; column < columns; column++) overall[column] += data[row * columns + column]!;
  for (let column = 0; column < columns; column++) overall[column] /= rows;

  let between = 0;
  for (let cluster = 0; cluster < clusters; cluster++) {
    let squared = 0;
    for (let column = 0; column < columns; column++) squared += (means[cluster * columns + column]! - overall[column]!) ** 2;
    between += sizes[cluster]! * squared;
  }
  let within = 0;
  for (let row = 0; row < rows; row++) {
    const cluster = codes[row]!;
    for (let column = 0; column < columns; column++) within += (data[row * columns + column]! - means[cluster * columns + column]!) ** 2;
  }
  return within === 0 ? 1 : (between * (rows - clusters)) / (within * (clusters - 1));
}

/**
 * Mean over clusters of the worst ratio (S_i + S_j) / ‖μ_i − μ_j‖, where S
 * is the mean Euclidean distance of a cluster's rows to its mean. Lower is
 * better; 0 when all spreads or all centre distances are ~0 (np.allclose).
 */
export function daviesBouldin(matrix: FeatureMatrix, labels: ArrayLike<number>): number {
  const { rows, columns, data } = matrix;
  const { codes, clusters, sizes } = encodeLabels(labels);
  assertClusterCount('Davies–Bouldin', clusters, rows);
  const means = clusterMeans(matrix, codes, clusters, sizes);
  const spread = new Float64Array(clusters);
  for (let row = 0; row < rows; row++) {
    const cluster = codes[row]!;
    let squared = 0;
    for (let column = 0; column < columns; column++) squared += (data[row * columns + column]! - means[cluster * columns + column]!) ** 2;
    spread[cluster] += Math.sqrt(squared);
  }
  for (let cluster = 0; cluster < clusters; cluster++) spread[cluster] /= sizes[cluster]!;

  const centreDistances = new Float64Array(clusters * clusters);
  for (let a = 0; a < clusters; a++) {
    for (let b = 0; b < clusters; b++) {
      let squared = 0;
      for (let column = 0; column < columns; column++) squared += (means[a * columns + column]! - means[b * columns + column]!) ** 2;
      centreDistances[a * clusters + b] = Math.sqrt(squared);
    }
  }
  // np.allclose(x, 0): every |x| ≤ 1e-8 (atol; rtol does not apply against 0).
  const allNearZero = (values: Float64Array): boolean => values.every((value) => Math.abs(value) <= 1e-8);
  if (allNearZero(spread) || allNearZero(centreDistances)) return 0;

  let total = 0;
  for (let a = 0; a < clusters; a++) {
    let worst = 0;
    for (let b = 0; b < clusters; b++) {
      const distance = centreDistances[a * clusters + b]!;
      // sklearn sets zero centre distances (including a == b) to infinity: their ratio counts as 0.
      if (distance === 0) continue;
      worst = Math.max(worst, (spread[a]! + spread[b]!) / distance);
    }
    total += worst;
  }
  return total / clusters;
}

function clusterMeans(matrix: FeatureMatrix, codes: Int32Array, clusters: number, sizes: Float64Array): Float64Array {
  const { rows, columns, data } = matrix;
  const means = new Float64Array(clusters * columns);
  for (let row = 0; row < rows; row++) {
    const offset = codes[row]! * columns;
    for (let column = 0; column < columns; column++) means[offset + column] += data[row * columns + column]!;
  }
  for (let cluster = 0; cluster < clusters; cluster++) {
    for (let column = 0; column < columns; column++) means[cluster * columns + column] /= sizes[cluster]!;
  }
  return means;
}
