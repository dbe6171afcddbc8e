import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { sqlIdentifier } from '../features/sql-quote.js';
import { driftReport, type DriftReport, type FeatureMatrix } from './drift/index.js';
import { tableColumns } from './inputs/segment-columns.js';

/**
 * Feature drift between the last run and this one (issue 12, part 3): PSI
 * and the two-sample KS statistic per feature on `features_previous` (kept by
 * the pipeline when the mapping has an analysis section) against
 * `features`, and whether to re-cluster. Null when there is nothing to
 * compare with (a first run, or runs without an analysis section).
 */
export type DriftBetweenRuns = DriftReport & { compared: string[] };

export async function driftBetweenRuns(duck: DuckDBConnection, mapping: Mapping): Promise<DriftBetweenRuns | null> {
  const previous = await tableColumns(duck, 'features_previous');
  if (previous.length === 0) return null;
  const current = await tableColumns(duck, 'features');
  const config = mapping.analysis?.drift;
  const numeric = await numericColumns(duck);
  const wanted = config?.features ?? numeric;
  const compared = wanted.filter((column) => previous.includes(column) && current.includes(column) && numeric.includes(column));
  if (compared.length === 0) return null;
  const [baseline, now] = await Promise.all([matrix(duck, 'features_previous', compared), matrix(duck, 'features', compared)]);
  return { ...driftReport(baseline, now, { psiModerate: config?.psi_warn ?? 0.1, psiSignificant: config?.psi_alert ?? 0.25 }), compared };
}

async function numericColumns(duck: DuckDBConnection): Promise<string[]> {
  const reader = await duck.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'features'
    AND column_name <> 'profile_id' AND (data_type IN ('DOUBLE', 'FLOAT', 'BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'UBIGINT') OR data_type LIKE 'DECIMAL%') ORDER BY ordinal_position`);
  return reader.getRows().map(([name]) => String(name));
}

async function matrix(duck: DuckDBConnection, table: 'features' | 'features_previous', columns: readonly string[]): Promise<FeatureMatrix> {
  const reader = await duck.runAndReadAll(`SELECT ${columns.map((column) => `${sqlIdentifier(column)}::DOUBLE`).join(', ')} FROM ${table}`);
  return { columns, rows: reader.getRows().map((row) => row.map((value) => (typeof value === 'number' ? value : Number.NaN))) };
}
