import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { applyScaler, fitScaler } from '../features/scaling.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * The issue's model input and scikit-learn's answers on it, for the DBSCAN,
 * isolation forest, PCA and Ward tests: Online Retail customers' log1p of
 * recency, frequency and monetary, standardised (population std), in the
 * CSV's row order — the same matrix test/oracles/online_retail_models.py builds.
 */
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/online-retail/', import.meta.url));

export const RFM_FEATURES = ['recency_days', 'frequency', 'monetary'] as const;

export function loadRetailMatrix(): FeatureMatrix {
  const lines = readFileSync(`${FIXTURES}rfm-customers.csv`, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const columnIndexes = RFM_FEATURES.map((name) => header.indexOf(name));
  const rows = lines.length - 1;
  const columns = RFM_FEATURES.map((_, feature) => {
    const values = new Float64Array(rows);
    for (let row = 0; row < rows; row++) values[row] = Math.log1p(Number(lines[row + 1]!.split(',')[columnIndexes[feature]!]));
    return applyScaler(values, fitScaler(values, 'zscore'));
  });
  const data = new Float64Array(rows * RFM_FEATURES.length);
  for (let row = 0; row < rows; row++) columns.forEach((values, column) => (data[row * RFM_FEATURES.length + column] = values[row]!));
  return { rows, columns: RFM_FEATURES.length, data };
}

const OracleSchema = z.object({
  sklearn_version: z.string(),
  rows: z.number(),
  ward: z.object({
    sizes_sorted_by_k: z.record(z.string(), z.array(z.number())),
    tiny: z.object({
      points: z.array(z.array(z.number())),
      linkage: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
      labels_k3: z.array(z.number()),
    }),
  }),
  dbscan: z.array(z.object({
    eps: z.number(),
    min_samples: z.number(),
    clusters: z.number(),
    noise: z.number(),
    sizes_sorted: z.array(z.number()),
    boundary_margin: z.number(),
  })),
  pca: z.object({
    explained_variance_ratio: z.array(z.number()),
    explained_variance: z.array(z.number()),
    components: z.array(z.array(z.number())),
  }),
  isolation_forest: z.object({
    max_samples: z.number(),
    offset: z.number(),
    flagged: z.number(),
    over_seeds: z.object({
      seeds: z.number(),
      flagged_mean: z.number(),
      flagged_std: z.number(),
      flagged_min: z.number(),
      flagged_max: z.number(),
      mean_score: z.number(),
    }),
    score_samples: z.object({ min: z.number(), max: z.number(), mean: z.number(), p01: z.number(), p50: z.number(), p99: z.number() }),
  }),
});

export type ModelsOracle = z.infer<typeof OracleSchema>;

export function loadModelsOracle(): ModelsOracle {
  return OracleSchema.parse(JSON.parse(readFileSync(`${FIXTURES}models-oracle.json`, 'utf8')));
}

/** Sizes ascending, as the oracle stores them. */
export function sortedSizes(sizes: readonly number[]): number[] {
  return [...sizes].sort((a, b) => a - b);
}
