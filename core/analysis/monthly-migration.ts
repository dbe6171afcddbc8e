import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { RFM_SEGMENTS } from '../segments/rfm-names.js';
import { loadMonthlyRfmLabels } from './inputs/monthly-rfm-labels.js';
import { segmentMigration, type MigrationMatrixStep } from './journeys/segment-migration.js';

/**
 * Month-to-month migration between RFM segments (issue 12, part 1): each
 * buyer's RFM segment recomputed at every month end, and the transition
 * matrices between consecutive months, as counts and row shares, with each
 * segment's stay rate. Null when fewer than two months have buyers.
 */
export interface MigrationStep {
  from: string;
  to: string;
  /** counts[i][j]: buyers in segment i at `from` and in segment j at `to`. */
  counts: number[][];
  /** Row shares of counts (a row of zeros where a segment had no members). */
  shares: number[][];
  stayRate: (number | null)[];
  /** Buyers scored at `to` but not yet at `from` (their first order came in between). */
  newBuyers: number;
}

export interface MonthlyMigration {
  /** Segment slugs, the rows and columns of every matrix. */
  segments: string[];
  names: string[];
  months: string[];
  /** Buyers per segment at each month end: sizes[month][segment]. */
  sizes: number[][];
  steps: MigrationStep[];
  /** All steps pooled. */
  overall: MigrationStep;
}

function toRows(values: Float64Array, size: number): number[][] {
  return Array.from({ length: size }, (_, row) => Array.from(values.subarray(row * size, (row + 1) * size)));
}

/** `newBuyers`: scored at `to` but not at `from` (a buyer stays scored once scored, so this is the growth in buyers). */
function step(matrix: MigrationMatrixStep, size: number, newBuyers: number): MigrationStep {
  return { from: matrix.from, to: matrix.to, counts: toRows(matrix.counts, size), shares: toRows(matrix.shares, size), stayRate: matrix.stayRate, newBuyers };
}

export async function monthlyMigration(duck: DuckDBConnection, mapping: Mapping): Promise<MonthlyMigration | null> {
  const months = mapping.analysis?.journeys?.migration_months ?? 12;
  const history = await loadMonthlyRfmLabels(duck, { orderEvent: mapping.features.events.order, months });
  if (history.periods < 2) return null;
  const size = history.segmentNames.length;
  const migration = segmentMigration(history);
  const sizes = Array.from({ length: history.periods }, () => new Array<number>(size).fill(0));
  for (let index = 0; index < history.labels.length; index++) {
    const label = history.labels[index] as number;
    if (label >= 0) (sizes[index % history.periods] as number[])[label] += 1;
  }
  const buyers = sizes.map((row) => row.reduce((sum, value) => sum + value, 0));
  const last = history.periods - 1;
  return {
    segments: [...history.segmentNames],
    names: RFM_SEGMENTS.map((segment) => segment.name),
    months: [...(history.periodNames ?? [])],
    sizes,
    steps: migration.steps.map((matrix, index) => step(matrix, size, (buyers[index + 1] as number) - (buyers[index] as number))),
    overall: step(migration.overall, size, (buyers[last] as number) - (buyers[0] as number)),
  };
}
