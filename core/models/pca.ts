import { PCA } from 'ml-pca';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * Principal component analysis from a covariance matrix built in one pass.
 * Why not hand the rows to ml-pca: it copies them into an ml-matrix (arrays of
 * arrays, ~740 MB for 1M × 8) and runs an SVD on the n × d matrix; the d × d
 * covariance holds everything PCA needs, and ml-pca accepts it directly
 * (`isCovarianceMatrix: true`), so only 64 numbers reach the library.
 */
export interface Covariance {
  rows: number;
  mean: Float64Array;
  /** d × d, row-major, sample covariance (divided by n − 1, as sklearn's explained_variance_). */
  matrix: Float64Array;
}

export interface PcaModel {
  mean: Float64Array;
  /** Unit eigenvectors, one per row, by decreasing variance (sklearn's components_). */
  components: Float64Array[];
  /** Eigenvalues of the covariance (sklearn's explained_variance_). */
  explainedVariance: number[];
  /** Share of the total variance per component (sklearn's explained_variance_ratio_). */
  explainedVarianceRatio: number[];
}

/**
 * Mean and covariance in one pass with Welford's co-moment update. Why not
 * Σx and Σxy: the textbook Σxy/n − x̄ȳ subtracts two large, nearly equal
 * numbers when a column's mean is large next to its spread (unscaled revenue,
 * epoch timestamps) and loses most significant digits; the running update
 * only ever accumulates products of deviations from the current mean, so its
 * error stays near machine precision without a second pass over the rows.
 */
export function covarianceOnePass(matrix: FeatureMatrix): Covariance {
  const { rows, columns, data } = matrix;
  if (rows < 2) throw new RangeError(`PCA needs at least 2 rows, got ${rows}`);
  const mean = new Float64Array(columns);
  const comoment = new Float64Array(columns * columns);
  const delta = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    const base = row * columns;
    const count = row + 1;
    for (let column = 0; column < columns; column++) {
      const value = data[base + column]!;
      if (!Number.isFinite(value)) throw new RangeError(`PCA: row ${row}, column ${column} is ${value}; impute or drop missing values first`);
      delta[column] = value - mean[column]!;
      mean[column] = mean[column]! + delta[column]! / count;
    }
    for (let first = 0; first < columns; first++) {
      const deltaFirst = delta[first]!;
      for (let second = first; second < columns; second++) {
        // (x_first − old mean) · (x_second − new mean): Welford's unbiased co-moment step.
        comoment[first * columns + second] = comoment[first * columns + second]! + deltaFirst * (data[base + second]! - mean[second]!);
      }
    }
  }
  const covariance = new Float64Array(columns * columns);
  for (let first = 0; first < columns; first++) {
    for (let second = first; second < columns; second++) {
      const value = comoment[first * columns + second]! / (rows - 1);
      covariance[first * columns + second] = value;
      covariance[second * columns + first] = value;
    }
  }
  return { rows, mean, matrix: covariance };
}

export function fitPca(matrix: FeatureMatrix): PcaModel {
  return pcaFromCovariance(covarianceOnePass(matrix));
}

export function pcaFromCovariance(covariance: Covariance): PcaModel {
  const columns = covariance.mean.length;
  const square: number[][] = [];
  for (let row = 0; row < columns; row++) square.push(Array.from(covariance.matrix.subarray(row * columns, (row + 1) * columns)));
  const pca = new PCA(square, { isCovarianceMatrix: true });
  // getLoadings() has one component per row (the transposed eigenvector matrix), largest first.
  const loadings = pca.getLoadings().to2DArray();
  const components = loadings.map((component) => orientByLargestEntry(Float64Array.from(component)));
  // Rounding can leave a zero eigenvalue slightly negative; a variance is never below 0.
  const explainedVariance = pca.getEigenvalues().map((value) => Math.max(0, value));
  const total = explainedVariance.reduce((sum, value) => sum + value, 0);
  const explainedVarianceRatio = explainedVariance.map((value) => (total > 0 ? value / total : 0));
  return { mean: covariance.mean, components, explainedVariance, explainedVarianceRatio };
}

/** Each row's coordinate on one component: (x − mean) · v. */
export function projectOnComponent(model: PcaModel, matrix: FeatureMatrix, component = 0): Float64Array {
  const vector = model.components[component];
  if (vector === undefined) throw new RangeError(`PCA: no component ${component} (model has ${model.components.length})`);
  if (matrix.columns !== vector.length) throw new RangeError(`PCA: fitted on ${vector.length} columns, projecting ${matrix.columns}`);
  const { rows, columns, data } = matrix;
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let column = 0; column < columns; column++) sum += (data[row * columns + column]! - model.mean[column]!) * vector[column]!;
    scores[row] = sum;
  }
  return scores;
}

/**
 * An eigenvector's sign is arbitrary (v and −v are both eigenvectors); make
 * its largest entry positive so repeated runs print the same loadings. The
 * composite index then re-fixes PC1's sign by meaning (higher = more engaged).
 */
function orientByLargestEntry(vector: Float64Array): Float64Array {
  let largest = 0;
  for (let index = 1; index < vector.length; index++) if (Math.abs(vector[index]!) > Math.abs(vector[largest]!)) largest = index;
  return vector[largest]! < 0 ? vector.map((value) => -value) : vector;
}
