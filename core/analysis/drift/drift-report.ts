/**
 * Compares a baseline feature matrix with a current one and decides whether
 * the segments should be re-clustered. Pure: the caller loads both matrices
 * and acts on `recluster`.
 *
 * Rule: re-cluster when any feature's PSI exceeds `psiSignificant`, or when
 * the share of features with PSI above `psiModerate` exceeds
 * `moderateShare`. The second rule exists because one moderate shift
 * (a 0.5σ mean shift gives PSI ≈ 0.2 with 10 bins) is enough to move
 * k-means centroids when only a handful of features define the segments.
 */
import { featureDrift, type FeatureDrift, type FeatureDriftOptions } from './feature-drift.js';
import { PSI_MODERATE, PSI_SIGNIFICANT } from './psi.js';

export interface FeatureMatrix {
  columns: readonly string[];
  /** One row per customer, values in `columns` order. */
  rows: readonly (readonly number[])[];
}

export interface DriftReportOptions extends FeatureDriftOptions {
  /** @default 0.25 */
  psiSignificant?: number;
  /** @default 0.1 */
  psiModerate?: number;
  /** Share of features above `psiModerate` that triggers re-clustering. @default 0.25 */
  moderateShare?: number;
}

export interface DriftReport {
  features: FeatureDrift[];
  /** Baseline columns absent from the current matrix (and vice versa); they are not compared. */
  missingColumns: { fromCurrent: string[]; fromBaseline: string[] };
  recluster: boolean;
  /** Why `recluster` is true; empty when it is false. */
  reasons: string[];
}

export function driftReport(baseline: FeatureMatrix, current: FeatureMatrix, options: DriftReportOptions = {}): DriftReport {
  const psiSignificant = options.psiSignificant ?? PSI_SIGNIFICANT;
  const psiModerate = options.psiModerate ?? PSI_MODERATE;
  const moderateShare = options.moderateShare ?? 0.25;
  const shared = baseline.columns.filter((column) => current.columns.includes(column));
  const features = shared.map((column) =>
    featureDrift(column, columnValues(baseline, column), columnValues(current, column), options),
  );
  const reasons: string[] = [];
  for (const feature of features) {
    if (feature.psi > psiSignificant) {
      reasons.push(`feature "${feature.feature}": PSI ${feature.psi.toFixed(3)} > ${psiSignificant}`);
    }
  }
  const moderate = features.filter((feature) => feature.psi > psiModerate);
  if (features.length > 0 && moderate.length / features.length > moderateShare) {
    const names = moderate.map((feature) => `"${feature.feature}"`).join(', ');
    reasons.push(
      `${moderate.length} of ${features.length} features have PSI > ${psiModerate} (${names}), more than ${Math.round(moderateShare * 100)}%`,
    );
  }
  return {
    features,
    missingColumns: {
      fromCurrent: baseline.columns.filter((column) => !current.columns.includes(column)),
      fromBaseline: current.columns.filter((column) => !baseline.columns.includes(column)),
    },
    recluster: reasons.length > 0,
    reasons,
  };
}

function columnValues(matrix: FeatureMatrix, column: string): number[] {
  const index = matrix.columns.indexOf(column);
  return matrix.rows.map((row, rowIndex) => {
    if (row.length !== matrix.columns.length) {
      throw new RangeError(`driftReport: row ${rowIndex} has ${row.length} values for ${matrix.columns.length} columns`);
    }
    return row[index] as number;
  });
}
