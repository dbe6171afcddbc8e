import type { FeatureMatrix } from '../models/feature-matrix.js';
import { fitPca, projectOnComponent } from '../models/pca.js';
import type { Embedding } from './report-input.js';

/** Share of the sample marked as outliers: the farthest from their own segment's centre. */
const OUTLIER_SHARE = 0.01;

export interface EmbeddingSample {
  segmentation: string;
  population: number;
  segments: Array<{ id: string; name: string }>;
  /** Per sampled row: its segment index and its values, already on the model's scale and z-scored (NaN when missing). */
  labels: number[];
  values: number[][];
}

/**
 * Pure: the 2-D PCA projection of a sample, with outliers marked. Missing
 * values sit at the mean (0 after z-scoring), as an imputed profile would.
 */
export function embedSample(sample: EmbeddingSample): Embedding | undefined {
  const rows = sample.values.length;
  const columns = sample.values[0]?.length ?? 0;
  if (rows < 3 || columns < 2) return undefined;
  const data = new Float64Array(rows * columns);
  sample.values.forEach((row, index) => row.forEach((value, column) => {
    data[index * columns + column] = Number.isFinite(value) ? value : 0;
  }));
  const matrix: FeatureMatrix = { rows, columns, data };
  const pca = fitPca(matrix);
  const x = projectOnComponent(pca, matrix, 0);
  const y = projectOnComponent(pca, matrix, 1);
  const distances = distanceToOwnCentre(matrix, sample.labels);
  const cut = [...distances].sort((a, b) => b - a)[Math.max(0, Math.floor(rows * OUTLIER_SHARE) - 1)] ?? Infinity;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    segmentation: sample.segmentation,
    explained: [pca.explainedVarianceRatio[0] ?? 0, pca.explainedVarianceRatio[1] ?? 0],
    population: sample.population,
    sampled: rows,
    segments: sample.segments,
    points: sample.labels.map((label, index) => [round(x[index] as number), round(y[index] as number), label, (distances[index] as number) >= cut ? 1 : 0]),
    outlierRule: `the ${(OUTLIER_SHARE * 100).toFixed(0)}% of sampled profiles farthest from their segment's centre (z-scored features)`,
  };
}

function distanceToOwnCentre(matrix: FeatureMatrix, labels: readonly number[]): Float64Array {
  const { rows, columns, data } = matrix;
  const sums = new Map<number, { count: number; sum: Float64Array }>();
  for (let row = 0; row < rows; row++) {
    const entry = sums.get(labels[row] as number) ?? { count: 0, sum: new Float64Array(columns) };
    entry.count++;
    for (let column = 0; column < columns; column++) (entry.sum[column] as number) += data[row * columns + column] as number;
    sums.set(labels[row] as number, entry);
  }
  const distances = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const { count, sum } = sums.get(labels[row] as number) as { count: number; sum: Float64Array };
    let squared = 0;
    for (let column = 0; column < columns; column++) squared += ((data[row * columns + column] as number) - (sum[column] as number) / count) ** 2;
    distances[row] = Math.sqrt(squared);
  }
  return distances;
}
