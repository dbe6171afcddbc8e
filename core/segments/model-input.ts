import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier } from '../features/sql-quote.js';
import { applyScaler, fitScaler } from '../features/scaling.js';
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
  const reader = await duck.runAndReadAll(`SELECT profile_id, ${columns.map((name) => `${sqlIdentifier(name)}::DOUBLE`).join(', ')} FROM features${filter} ORDER BY profile_id`);
  const values = reader.getColumnsJS();
  const profileIds = (values[0] ?? []).map(String);
  const rows = profileIds.length;
  const d = columns.length;
  if (rows < 2) throw new UserError(`segmentation "${segmentation}": needs at least 2 profiles, found ${rows}`);
  const raw = new Float64Array(rows * d);
  const imputed: Record<string, number> = {};
  columns.forEach((name, column) => {
    const source = values[column + 1] ?? [];
    let missingCount = 0;
    for (const value of source) if (value === null || value === undefined || !Number.isFinite(Number(value))) missingCount += 1;
    if (missingCount === rows) throw new UserError(`segmentation "${segmentation}": feature "${name}" has no value for any profile`);
    // The median is needed only to fill gaps; a typed-array sort keeps it cheap when it is.
    let median = 0;
    if (missingCount > 0) {
      const present = new Float64Array(rows - missingCount);
      let next = 0;
      for (const value of source) if (value !== null && value !== undefined && Number.isFinite(Number(value))) present[next++] = Number(value);
      present.sort();
      const middle = present.length >> 1;
      median = present.length % 2 === 1 ? (present[middle] as number) : ((present[middle - 1] as number) + (present[middle] as number)) / 2;
    }
    let missing = 0;
    for (let row = 0; row < rows; row++) {
      const value = source[row];
      const number = value === null || value === undefined ? Number.NaN : Number(value);
      if (Number.isFinite(number)) raw[row * d + column] = number;
      else {
        raw[row * d + column] = median;
        missing += 1;
      }
    }
    if (missing > 0) imputed[name] = missing;
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
