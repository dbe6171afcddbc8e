import { quantile } from '../features/scaling.js';
import { createRng, type Rng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { averagePathLength, buildIsolationTree, type IsolationTree } from './isolation-forest-tree.js';

export { averagePathLength };

/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics.
 * Why our own: both isolation-forest packages on npm grow every tree on the
 * whole data set instead of a ψ-point subsample, so their path lengths and
 * scores are on a different scale and the `auto` threshold of −0.5 flags the
 * wrong customers.
 *
 * As sklearn.ensemble.IsolationForest (max_samples='auto', max_features=1.0,
 * bootstrap=False): each tree sees ψ = min(256, n) rows drawn without
 * replacement, grows to depth ⌈log₂ ψ⌉, and a point's path length is its leaf
 * depth plus c(leaf size). `scoreSamples` = −2^(−E[h] / c(ψ)) (sklearn's
 * score_samples: lower is more abnormal). Differences that only move scores by
 * rounding: sklearn casts the data to float32 and draws from its own random
 * stream, so the same seed does not give the same trees; compare counts and
 * distributions, not individual scores.
 */
export interface IsolationForestOptions {
  /** @default 100 (sklearn's n_estimators) */
  trees?: number;
  /** Rows per tree, capped at n. @default 256 (sklearn's max_samples='auto') */
  maxSamples?: number;
  /**
   * `'auto'` flags score_samples < −0.5 (offset −0.5, the paper's threshold);
   * a number in (0, 0.5] flags that share of the training rows (offset = that
   * percentile of the training scores). @default 'auto'
   */
  contamination?: 'auto' | number;
  /** @default 0 */
  seed?: number;
}

export interface IsolationForestModel {
  trees: IsolationTree[];
  /** ψ, the rows each tree was grown on. */
  sampleSize: number;
  columns: number;
  /** sklearn's offset_: decision_function = score_samples − offset; anomaly when < 0. */
  offset: number;
}

export function fitIsolationForest(matrix: FeatureMatrix, options: IsolationForestOptions = {}): IsolationForestModel {
  const treeCount = options.trees ?? 100;
  const contamination = options.contamination ?? 'auto';
  const { rows, columns } = matrix;
  if (rows < 1) throw new RangeError('fitIsolationForest: the matrix has no rows');
  if (!Number.isInteger(treeCount) || treeCount < 1) throw new RangeError(`fitIsolationForest: trees must be a positive integer, got ${treeCount}`);
  if (contamination !== 'auto' && !(contamination > 0 && contamination <= 0.5)) {
    throw new RangeError(`fitIsolationForest: contamination must be 'auto' or in (0, 0.5], got ${contamination}`);
  }
  const sampleSize = Math.min(options.maxSamples ?? 256, rows);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new RangeError(`fitIsolationForest: maxSamples must be a positive integer, got ${options.maxSamples}`);
  assertFinite(matrix);
  const maxDepth = Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const rng = createRng(options.seed ?? 0);

  // One permutation reused by every tree: a partial Fisher–Yates over its first ψ
  // slots draws ψ rows without replacement in O(ψ), and the array stays a
  // permutation, so no reset between trees.
  const permutation = new Int32Array(rows);
  for (let row = 0; row < rows; row++) permutation[row] = row;
  const sample = new Float64Array(sampleSize * columns);
  const trees: IsolationTree[] = [];
  for (let tree = 0; tree < treeCount; tree++) {
    drawSample(matrix, permutation, sampleSize, sample, rng);
    trees.push(buildIsolationTree(sample, sampleSize, columns, maxDepth, rng));
  }
  const model: IsolationForestModel = { trees, sampleSize, columns, offset: -0.5 };
  if (contamination !== 'auto') {
    const scores = scoreSamples(model, matrix).sort();
    model.offset = quantile(scores, contamination); // numpy.percentile, linear interpolation, as sklearn
  }
  return model;
}

/** sklearn's score_samples: −2^(−E[h(x)] / c(ψ)), in [−1, 0); lower is more abnormal. */
export function scoreSamples(model: IsolationForestModel, matrix: FeatureMatrix): Float64Array {
  if (matrix.columns !== model.columns) {
    throw new RangeError(`isolation forest: fitted on ${model.columns} columns, scoring ${matrix.columns}`);
  }
  assertFinite(matrix);
  const { rows, columns, data } = matrix;
  const depthSums = new Float64Array(rows);
  // Tree-major loop: one tree's small arrays stay in cache while every row walks it.
  for (const tree of model.trees) {
    const { feature, threshold, left, right, pathLength } = tree;
    for (let row = 0; row < rows; row++) {
      const base = row * columns;
      let node = 0;
      while (feature[node]! >= 0) node = data[base + feature[node]!]! <= threshold[node]! ? left[node]! : right[node]!;
      depthSums[row] = depthSums[row]! + pathLength[node]!;
    }
  }
  const normaliser = model.trees.length * averagePathLength(model.sampleSize);
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    // ψ = 1 makes c(ψ) = 0 and every path 0; sklearn then sets the ratio to 1, so every score is −0.5.
    scores[row] = -Math.pow(2, normaliser === 0 ? -1 : -depthSums[row]! / normaliser);
  }
  return scores;
}

/**
 * The anomaly score as a feature: 2^(−E[h]/c(ψ)) in (0, 1], higher = more
 * unusual (the paper's s(x, ψ); sklearn's −score_samples).
 */
export function anomalyScores(model: IsolationForestModel, matrix: FeatureMatrix): Float64Array {
  return scoreSamples(model, matrix).map((score) => -score);
}

/** 1 for rows the model flags as anomalous (sklearn's predict == −1: score_samples − offset < 0). */
export function flagAnomalies(model: IsolationForestModel, matrix: FeatureMatrix): Uint8Array {
  const scores = scoreSamples(model, matrix);
  const flags = new Uint8Array(scores.length);
  for (let row = 0; row < scores.length; row++) flags[row] = scores[row]! - model.offset < 0 ? 1 : 0;
  return flags;
}

function drawSample(matrix: FeatureMatrix, permutation: Int32Array, size: number, out: Float64Array, rng: Rng): void {
  const { rows, columns, data } = matrix;
  for (let index = 0; index < size; index++) {
    const pick = index + rng.int(rows - index);
    const row = permutation[pick]!;
    permutation[pick] = permutation[index]!;
    permutation[index] = row;
    out.set(data.subarray(row * columns, row * columns + columns), index * columns);
  }
}

/** sklearn refuses NaN too; here it would compare false at every split and look like an outlier. */
function assertFinite({ rows, columns, data }: FeatureMatrix): void {
  for (let index = 0; index < rows * columns; index++) {
    if (!Number.isFinite(data[index]!)) {
      throw new RangeError(`isolation forest: row ${Math.floor(index / columns)}, column ${index % columns} is ${data[index]}; impute or drop missing values first`);
    }
  }
}
