import type { FeatureMatrix } from '../models/feature-matrix.js';

/**
 * Describes each cluster a model found by how far its members sit from the
 * whole population, feature by feature: the cluster's mean, and that mean as a
 * z-score (population mean and population standard deviation). The z-scores
 * are what naming reads ("frequency +1.8σ") and what a marketer reads in the
 * report; the means stay in the feature's own units (days, orders, money).
 */

/** cluster: a model cluster; noise: DBSCAN's label −1 ("unusual"); anomalous: flagged by the isolation forest. */
export type ClusterKind = 'cluster' | 'noise' | 'anomalous';

/** The label DBSCAN gives points in no cluster. */
export const NOISE_LABEL = -1;
/** The pseudo-label of the rows an anomaly flag took out of their clusters. */
export const ANOMALOUS_LABEL = -2;

export interface PopulationStatistic {
  feature: string;
  mean: number;
  /** Population standard deviation (ddof = 0), as StandardScaler's. */
  std: number;
  /** Rows with a value (NaN is missing and ignored). */
  present: number;
  /** The scale the z-scores of this feature use (mean and std above are always raw). */
  zScale: 'raw' | 'log1p';
}

export interface FeatureDeviation {
  feature: string;
  /** Mean over the cluster's rows that have a value, in the feature's units; NaN when none has one. */
  mean: number;
  /** (cluster mean − population mean) / population std on the z scale (see log1pColumns); 0 for a constant feature. */
  z: number;
}

export interface ClusterProfile {
  label: number;
  kind: ClusterKind;
  size: number;
  /** size / all rows. */
  share: number;
  /** One entry per column, in column order. */
  features: FeatureDeviation[];
  /** The features whose |z| is largest, largest first (NaN z left out). */
  distinguishing: FeatureDeviation[];
}

export interface ClusterProfiles {
  rows: number;
  population: PopulationStatistic[];
  /** Clusters by label ascending, then noise, then anomalous; empty groups left out. */
  clusters: ClusterProfile[];
}

export interface ClusterProfileInput {
  /** The features before scaling: means must be in days and money, not in σ. */
  matrix: FeatureMatrix;
  columnNames: readonly string[];
  /** One label per row: 0, 1, … for clusters, −1 for noise. */
  labels: Int32Array;
  /**
   * Optional per-row anomaly flag (non-zero = anomalous). Flagged rows form
   * their own "anomalous" group and leave their cluster, so every profile is
   * in exactly one segment (the migration matrix needs a partition) and a few
   * extreme rows do not drag a cluster's mean.
   */
  anomalous?: Uint8Array;
  /**
   * Columns whose z-scores are computed on log1p(value), the scale the model
   * saw when it clustered log1p features. Skewed columns (monetary: a few
   * customers spend 100× the median) otherwise have a standard deviation set
   * by the outliers, and every ordinary cluster looks "average". Means are
   * still reported in the raw units.
   * @default []
   */
  log1pColumns?: readonly string[];
  /** How many features `distinguishing` lists. @default 3 */
  topFeatures?: number;
}

export function profileClusters(input: ClusterProfileInput): ClusterProfiles {
  const { matrix, columnNames, labels } = input;
  const { rows, columns, data } = matrix;
  checkShapes(input);
  const logColumns = new Uint8Array(columns);
  for (const name of input.log1pColumns ?? []) {
    const index = columnNames.indexOf(name);
    if (index < 0) throw new RangeError(`log1pColumns names "${name}", which is not a column (${columnNames.join(', ')})`);
    logColumns[index] = 1;
  }

  // Group slots: one per cluster label 0..maxLabel, then noise, then anomalous.
  let maxLabel = -1;
  for (let row = 0; row < rows; row++) if (labels[row]! > maxLabel) maxLabel = labels[row]!;
  const noiseSlot = maxLabel + 1;
  const anomalousSlot = maxLabel + 2;
  const slots = maxLabel + 3;
  const slotOf = (row: number): number => {
    if (input.anomalous && input.anomalous[row]) return anomalousSlot;
    return labels[row] === NOISE_LABEL ? noiseSlot : labels[row]!;
  };

  // One pass for sums (raw units for the means, z scale for the z-scores), a second for variances.
  const groupSize = new Float64Array(slots);
  const groupSum = new Float64Array(slots * columns);
  const groupScaledSum = new Float64Array(slots * columns);
  const groupPresent = new Float64Array(slots * columns);
  const rawSum = new Float64Array(columns);
  const scaledSum = new Float64Array(columns);
  const present = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    const slot = slotOf(row);
    groupSize[slot]!++;
    for (let column = 0; column < columns; column++) {
      const value = data[row * columns + column]!;
      if (Number.isNaN(value)) continue;
      if (logColumns[column] && value <= -1) {
        throw new RangeError(`Row ${row}, column "${columnNames[column]}": log1p is undefined for ${value}; leave the column out of log1pColumns`);
      }
      const scaled = logColumns[column] ? Math.log1p(value) : value;
      groupSum[slot * columns + column]! += value;
      groupScaledSum[slot * columns + column]! += scaled;
      groupPresent[slot * columns + column]!++;
      rawSum[column]! += value;
      scaledSum[column]! += scaled;
      present[column]!++;
    }
  }
  const rawMean = rawSum.map((sum, column) => sum / present[column]!);
  const scaledMean = scaledSum.map((sum, column) => sum / present[column]!);
  const rawSquares = new Float64Array(columns);
  const scaledSquares = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const value = data[row * columns + column]!;
      if (Number.isNaN(value)) continue;
      const scaled = logColumns[column] ? Math.log1p(value) : value;
      rawSquares[column]! += (value - rawMean[column]!) ** 2;
      scaledSquares[column]! += (scaled - scaledMean[column]!) ** 2;
    }
  }
  const scaledStd = scaledSquares.map((sum, column) => Math.sqrt(sum / present[column]!));

  const population: PopulationStatistic[] = columnNames.map((feature, column) => ({
    feature,
    mean: rawMean[column]!,
    std: Math.sqrt(rawSquares[column]! / present[column]!),
    present: present[column]!,
    zScale: logColumns[column] ? 'log1p' : 'raw',
  }));

  const clusters: ClusterProfile[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const size = groupSize[slot]!;
    if (size === 0) continue;
    const features = columnNames.map((feature, column): FeatureDeviation => {
      const withValue = groupPresent[slot * columns + column]!;
      const mean = withValue === 0 ? Number.NaN : groupSum[slot * columns + column]! / withValue;
      const groupScaledMean = withValue === 0 ? Number.NaN : groupScaledSum[slot * columns + column]! / withValue;
      const std = scaledStd[column]!;
      // A constant feature cannot distinguish anything: z 0, not ±Infinity.
      const z = withValue === 0 ? Number.NaN : std === 0 ? 0 : (groupScaledMean - scaledMean[column]!) / std;
      return { feature, mean, z };
    });
    const distinguishing = features
      .filter((deviation) => !Number.isNaN(deviation.z))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, input.topFeatures ?? 3);
    const kind: ClusterKind = slot === anomalousSlot ? 'anomalous' : slot === noiseSlot ? 'noise' : 'cluster';
    const label = kind === 'anomalous' ? ANOMALOUS_LABEL : kind === 'noise' ? NOISE_LABEL : slot;
    clusters.push({ label, kind, size, share: size / rows, features, distinguishing });
  }
  return { rows, population, clusters };
}

function checkShapes(input: ClusterProfileInput): void {
  const { matrix, columnNames, labels, anomalous } = input;
  if (matrix.data.length !== matrix.rows * matrix.columns) {
    throw new RangeError(`Feature matrix holds ${matrix.data.length} values, not rows × columns = ${matrix.rows} × ${matrix.columns}`);
  }
  if (columnNames.length !== matrix.columns) {
    throw new RangeError(`${columnNames.length} column names for a matrix of ${matrix.columns} columns`);
  }
  if (labels.length !== matrix.rows) throw new RangeError(`${labels.length} labels for ${matrix.rows} rows`);
  if (anomalous && anomalous.length !== matrix.rows) {
    throw new RangeError(`${anomalous.length} anomaly flags for ${matrix.rows} rows`);
  }
  for (let row = 0; row < labels.length; row++) {
    // Labels index dense per-cluster arrays, so they must be model cluster numbers, not arbitrary ids.
    if (labels[row]! < NOISE_LABEL || labels[row]! > labels.length) {
      throw new RangeError(`Row ${row} has label ${labels[row]}; labels are −1 (noise) or cluster numbers 0 … ${labels.length}`);
    }
  }
}
