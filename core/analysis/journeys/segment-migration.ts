/**
 * Migration between segments over time: each profile has one segment label
 * per period (e.g. monthly RFM segments), and we count moves between
 * consecutive periods. Where `core/segments/migration-matrix.ts` compares two
 * runs keyed by profile id, this works on many periods at once over a dense
 * `profiles × periods` Int32Array, which is how a monthly history of a
 * million profiles fits in memory.
 *
 * A label of -1 means "no label that period" (not yet a customer, deleted):
 * pairs touching it are skipped and counted, not treated as a segment, so a
 * stay rate is about profiles that were there both months. Callers who want
 * churn as a move can give it its own segment name.
 */
import { rowNormalize, rowTotals } from './transition-matrix.js';

export const NO_LABEL = -1;

export interface SegmentHistory {
  /** Row-major `profiles × periods`: labels[profile × periods + period] indexes `segmentNames`, or -1. */
  labels: Int32Array;
  periods: number;
  segmentNames: readonly string[];
  /** One name per period (e.g. "2026-01"), for reports; defaults to "0", "1", … */
  periodNames?: readonly string[];
}

export interface MigrationMatrixStep {
  /** "2026-01 → 2026-02". */
  from: string;
  to: string;
  /** `segments × segments`, row-major: counts[from × segments + to]. */
  counts: Float64Array;
  /** Rows normalized: the share of a segment's members that moved to each segment. */
  shares: Float64Array;
  /** Per segment, the share that stayed; null when the segment had no (labelled-next-period) members. */
  stayRate: (number | null)[];
  /** Profiles whose label was missing in either period. */
  skipped: number;
}

export interface SegmentMigration {
  segmentNames: readonly string[];
  /** One per consecutive pair of periods. */
  steps: MigrationMatrixStep[];
  /** All steps pooled, for "how sticky is each segment month to month". */
  overall: MigrationMatrixStep;
}

export function segmentMigration(history: SegmentHistory): SegmentMigration {
  const { labels, periods, segmentNames } = history;
  if (!(Number.isInteger(periods) && periods >= 2)) throw new RangeError(`segmentMigration: need at least 2 periods, got ${periods}`);
  if (labels.length % periods !== 0) {
    throw new RangeError(`segmentMigration: ${labels.length} labels is not a whole number of profiles × ${periods} periods`);
  }
  const periodNames = history.periodNames ?? Array.from({ length: periods }, (_, period) => String(period));
  if (periodNames.length !== periods) throw new RangeError(`segmentMigration: ${periodNames.length} period names for ${periods} periods`);
  const size = segmentNames.length;
  const pooled = new Float64Array(size * size);
  let pooledSkipped = 0;
  const steps: MigrationMatrixStep[] = [];
  for (let period = 0; period + 1 < periods; period++) {
    const { counts, skipped } = countPeriod(history, period);
    for (let index = 0; index < counts.length; index++) pooled[index] = (pooled[index] as number) + (counts[index] as number);
    pooledSkipped += skipped;
    steps.push(describe(periodNames[period] as string, periodNames[period + 1] as string, counts, size, skipped));
  }
  return {
    segmentNames,
    steps,
    overall: describe(periodNames[0] as string, periodNames[periods - 1] as string, pooled, size, pooledSkipped),
  };
}

function countPeriod(history: SegmentHistory, period: number): { counts: Float64Array; skipped: number } {
  const { labels, periods, segmentNames } = history;
  const size = segmentNames.length;
  const counts = new Float64Array(size * size);
  let skipped = 0;
  for (let row = 0; row < labels.length; row += periods) {
    const from = labels[row + period] as number;
    const to = labels[row + period + 1] as number;
    if (from === NO_LABEL || to === NO_LABEL) {
      skipped++;
      continue;
    }
    if (from < 0 || from >= size || to < 0 || to >= size) {
      throw new RangeError(`segmentMigration: profile ${row / periods} has label ${from < 0 || from >= size ? from : to} outside the ${size} segments (use -1 for none)`);
    }
    counts[from * size + to] = (counts[from * size + to] as number) + 1;
  }
  return { counts, skipped };
}

function describe(from: string, to: string, counts: Float64Array, size: number, skipped: number): MigrationMatrixStep {
  const shares = rowNormalize(counts, size);
  const totals = rowTotals(counts, size);
  const stayRate = Array.from({ length: size }, (_, segment) => ((totals[segment] as number) === 0 ? null : (shares[segment * size + segment] as number)));
  return { from, to, counts, shares, stayRate, skipped };
}
