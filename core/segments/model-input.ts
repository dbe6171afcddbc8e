import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier } from '../features/sql-quote.js';
import { applyScaler, fitScaler, quantile } from '../features/scaling.js';
import type { FeatureMatrix } from '../models/feature-matrix.js';
import { UserError } from '../errors/user-error.js';
import { parseRule } from './rule-parser.js';
import { ruleToSql } from './rule-sql.js';

/**
 * A model's input, read once from the feature table into flat typed arrays
 * (one Float64Array, row-major): missing values imputed with the column
 * median, log1p where the mapping asks, then scaled. `raw` keeps the values
 * in their units for the segment profiles ("spent €1,240 on average").
 */
export interface ModelInput {
  profileIds: string[];
  columns: string[];
  /** After imputation, before log1p and scaling. */
  raw: FeatureMatrix;
  /** What the model sees. */
  scaled: FeatureMatrix;
  /** Profiles whose value was missing and imputed with the median, per feature. */
  imputed: Record<string, number>;
}

export type ModelScaling = 'zscore' | 'robust' | 'minmax' | 'none';

export async function loadModelInput(duck: DuckDBConnection, columns: readonly string[], log1p: readonly string[], scaling: ModelScaling, segmentation: string, where?: string): Promise<ModelInput> {
  let filter = '';
  if (where !== undefined && where.trim() !== '') {
    const parsed = parseRule(where);
    if (!parsed.ok) throw new UserError(`segmentation "${segmentation}": where: ${parsed.errors.map((error) => error.message).join('; ')}`);
    filter = ` WHERE ${ruleToSql(parsed.ast, sqlIdentifier)}`;
  }
  // Streamed chunk by chunk straight into one Float64Array (NaN = missing): reading the whole result
  // as JS arrays first cost ~660 MB at 1M profiles × 8 features.
  const counted = await duck.runAndReadAll(`SELECT count(*) FROM features${filter}`);
  const rows = Number(counted.getRows()[0]?.[0] ?? 0);
  const d = columns.length;
  if (rows < 2) throw new UserError(`segmentation "${segmentation}": needs at least 2 profiles, found ${rows}`);
  const raw = new Float64Array(rows * d);
  const profileIds: string[] = new Array<string>(rows);
  const result = await duck.stream(`SELECT profile_id, ${columns.map((name) => `${sqlIdentifier(name)}::DOUBLE`).join(', ')} FROM features${filter} ORDER BY profile_id`);
  let row = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const ids = chunk.getColumnVector(0);
    const vectors = columns.map((_, column) => chunk.getColumnVector(column + 1));
    for (let index = 0; index < chunk.rowCount && row < rows; index++, row++) {
      profileIds[row] = String(ids.getItem(index));
      for (let column = 0; column < d; column++) {
        const value = vectors[column]?.getItem(index);
        raw[row * d + column] = typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
      }
    }
  }
  const imputed: Record<string, number> = {};
  columns.forEach((name, column) => {
    let missing = 0;
    for (let index = 0; index < rows; index++) if (Number.isNaN(raw[index * d + column])) missing += 1;
    if (missing === rows) throw new UserError(`segmentation "${segmentation}": feature "${name}" has no value for any profile`);
    if (missing === 0) return;
    // The median is needed only to fill gaps; a typed-array sort keeps it cheap when it is.
    const present = new Float64Array(rows - missing);
    let next = 0;
    for (let index = 0; index < rows; index++) {
      const value = raw[index * d + column] as number;
      if (!Number.isNaN(value)) present[next++] = value;
    }
    const median = quantile(present.sort(), 0.5);
    for (let index = 0; index < rows; index++) if (Number.isNaN(raw[index * d + column])) raw[index * d + column] = median;
    imputed[name] = missing;
  });
  const scaled = new Float64Array(raw);
  const column = new Float64Array(rows);
  for (let index = 0; index < d; index++) {
    const name = columns[index] as string;
    for (let row = 0; row < rows; row++) column[row] = scaled[row * d + index] as number;
    if (log1p.includes(name)) {
      for (let row = 0; row < rows; row++) {
        const value = column[row] as number;
        if (value <= -1) throw new UserError(`segmentation "${segmentation}": log1p of "${name}" needs values above −1, found ${value} (profile ${profileIds[row]})`);
        column[row] = Math.log1p(value);
      }
    }
    const result = scaling === 'none' ? column : applyScaler(column, fitScaler(column, scaling));
    for (let row = 0; row < rows; row++) scaled[row * d + index] = result[row] as number;
  }
  return { profileIds, columns: [...columns], raw: { rows, columns: d, data: raw }, scaled: { rows, columns: d, data: scaled }, imputed };
}
