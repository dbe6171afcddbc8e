import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier, sqlString } from '../../features/sql-quote.js';

/**
 * One segmentation's members with feature columns beside them, as typed
 * arrays for the validation and drift computations: `labels[i]` is the
 * index (in `segments`) of profile i's segment, `columns[name][i]` its value
 * (NaN when missing). Profiles outside the segmentation are left out.
 */
export interface SegmentColumns {
  segments: Array<{ id: string; name: string }>;
  /** In `labels` order (by profile id). */
  profileIds: string[];
  labels: Int32Array;
  columns: Record<string, Float64Array>;
}

export async function loadSegmentColumns(duck: DuckDBConnection, segmentation: string, columns: readonly string[]): Promise<SegmentColumns> {
  const segmentRows = (await duck.runAndReadAll(`SELECT segment_id, name FROM segments WHERE segmentation = ${sqlString(segmentation)} ORDER BY segment_id`)).getRows();
  const segments = segmentRows.map(([id, name]) => ({ id: String(id), name: String(name) }));
  const position = new Map(segments.map((segment, index) => [segment.id, index]));
  const from = `FROM segment_members m JOIN segments s USING (segment_id) JOIN features f USING (profile_id) WHERE s.segmentation = ${sqlString(segmentation)}`;
  const total = Number((await duck.runAndReadAll(`SELECT count(*) ${from}`)).getRows()[0]?.[0] ?? 0);
  const labels = new Int32Array(total);
  const profileIds = new Array<string>(total);
  const values = columns.map(() => new Float64Array(total));
  const result = await duck.stream(`SELECT m.segment_id, m.profile_id${columns.map((name) => `, f.${sqlIdentifier(name)}::DOUBLE`).join('')} ${from} ORDER BY m.profile_id`);
  let row = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const ids = chunk.getColumnVector(0);
    const profiles = chunk.getColumnVector(1);
    const vectors = columns.map((_, column) => chunk.getColumnVector(column + 2));
    for (let item = 0; item < chunk.rowCount && row < total; item++, row++) {
      labels[row] = position.get(String(ids.getItem(item))) ?? -1;
      profileIds[row] = String(profiles.getItem(item));
      vectors.forEach((vector, column) => {
        const value = vector.getItem(item);
        (values[column] as Float64Array)[row] = typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
      });
    }
  }
  return { segments, profileIds, labels, columns: Object.fromEntries(columns.map((name, column) => [name, values[column] as Float64Array])) };
}

/** A feature column of `table` (`features`, or `features_previous`: the last run's) as a Float64Array, missing values dropped. */
export async function loadFeatureColumn(duck: DuckDBConnection, table: 'features' | 'features_previous', column: string): Promise<Float64Array> {
  const reader = await duck.runAndReadAll(`SELECT ${sqlIdentifier(column)}::DOUBLE FROM ${table} WHERE ${sqlIdentifier(column)} IS NOT NULL AND isfinite(${sqlIdentifier(column)}::DOUBLE)`);
  return Float64Array.from(reader.getRows().map(([value]) => Number(value)));
}

export async function tableColumns(duck: DuckDBConnection, table: string): Promise<string[]> {
  const reader = await duck.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${sqlString(table)} ORDER BY ordinal_position`);
  return reader.getRows().map(([name]) => String(name));
}
