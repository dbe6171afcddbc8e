import { DuckDBInstance } from '@duckdb/node-api';
import { BENCH_FEATURES } from './bench-settings.js';

export interface FeatureTotals {
  profiles: number;
  /** Per feature: sum over profiles and how many profiles have a value. */
  columns: Record<string, { sum: number; values: number }>;
}

export interface Agreement {
  ok: boolean;
  segflow: FeatureTotals;
  baseline: FeatureTotals;
  /** One line per disagreement, empty when the sides agree. */
  problems: string[];
}

/** The checks the benchmark must pass to mean anything; other features are compared too, as a bonus. */
const REQUIRED = ['frequency', 'monetary'] as const;
const RELATIVE_TOLERANCE = 1e-6;

/** Totals of the `features` table in a closed DuckDB file (read-only, so it can be any side's). */
export async function featureTotals(database: string): Promise<FeatureTotals> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const parts = BENCH_FEATURES.map((feature) => `CAST(sum("${feature}") AS DOUBLE), count("${feature}")`);
    const row = (await connection.runAndReadAll(`SELECT count(*), ${parts.join(', ')} FROM features`)).getRows()[0] ?? [];
    const columns: FeatureTotals['columns'] = {};
    BENCH_FEATURES.forEach((feature, index) => {
      columns[feature] = { sum: Number(row[1 + 2 * index] ?? Number.NaN), values: Number(row[2 + 2 * index] ?? Number.NaN) };
    });
    return { profiles: Number(row[0] ?? Number.NaN), columns };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Same profiles, same sums (within 1e-6 relative: DuckDB's parallel sums add
 * doubles in no fixed order), and the same number of non-null values per feature.
 */
export function compareTotals(segflow: FeatureTotals, baseline: FeatureTotals): Agreement {
  const problems: string[] = [];
  if (segflow.profiles !== baseline.profiles) problems.push(`profiles: segflow ${segflow.profiles}, baseline ${baseline.profiles}`);
  for (const feature of BENCH_FEATURES) {
    const ours = segflow.columns[feature];
    const theirs = baseline.columns[feature];
    if (!ours || !theirs) continue;
    const scale = Math.max(Math.abs(ours.sum), Math.abs(theirs.sum), Number.MIN_VALUE);
    const required = (REQUIRED as readonly string[]).includes(feature) ? ' (required)' : '';
    if (!(Math.abs(ours.sum - theirs.sum) / scale <= RELATIVE_TOLERANCE)) {
      problems.push(`sum(${feature})${required}: segflow ${ours.sum}, baseline ${theirs.sum}`);
    }
    if (ours.values !== theirs.values) problems.push(`non-null ${feature}: segflow ${ours.values}, baseline ${theirs.values}`);
  }
  return { ok: problems.length === 0, segflow, baseline, problems };
}
