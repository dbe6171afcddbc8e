/**
 * Dense, regularly spaced series from irregular (timestamp, value) points:
 * values falling in the same UTC day (or ISO week, Monday 00:00 UTC) are
 * summed, and every bucket between the first and the last is present, 0
 * when nothing happened. Decomposition and forecasting assume this shape.
 */
export type Interval = 'day' | 'week';

export interface SeriesPoint {
  /** Milliseconds since the epoch (UTC). */
  readonly timestamp: number;
  readonly value: number;
}

export interface DenseSeries {
  readonly interval: Interval;
  /** Start of the first bucket, ms since the epoch (UTC midnight; a Monday for weeks). */
  readonly start: number;
  readonly values: Float64Array;
}

export interface DenseSeriesOptions {
  /** @default 'day' */
  readonly interval?: Interval;
  /** Extend the range to include this instant (e.g. a report's first day). @default first point */
  readonly from?: number;
  /** Extend the range to include this instant (e.g. today, injected). @default last point */
  readonly to?: number;
}

const DAY_MS = 86_400_000;
// 1970-01-01 was a Thursday; Monday-based weeks start 3 days later in the epoch cycle.
const MONDAY_OFFSET_MS = 4 * DAY_MS;

function bucketStart(timestamp: number, interval: Interval): number {
  if (interval === 'day') return Math.floor(timestamp / DAY_MS) * DAY_MS;
  const week = 7 * DAY_MS;
  return Math.floor((timestamp - MONDAY_OFFSET_MS) / week) * week + MONDAY_OFFSET_MS;
}

export function denseSeries(points: readonly SeriesPoint[], options: DenseSeriesOptions = {}): DenseSeries {
  const interval = options.interval ?? 'day';
  const width = interval === 'day' ? DAY_MS : 7 * DAY_MS;
  let first = options.from ?? Number.POSITIVE_INFINITY;
  let last = options.to ?? Number.NEGATIVE_INFINITY;
  points.forEach((point, index) => {
    if (!Number.isFinite(point.timestamp) || !Number.isFinite(point.value)) {
      throw new RangeError(`denseSeries: point ${index} has timestamp ${point.timestamp} and value ${point.value}; both must be finite`);
    }
    first = Math.min(first, point.timestamp);
    last = Math.max(last, point.timestamp);
  });
  if (!Number.isFinite(first) || !Number.isFinite(last)) return { interval, start: Number.NaN, values: new Float64Array(0) };
  const start = bucketStart(first, interval);
  const values = new Float64Array(Math.round((bucketStart(last, interval) - start) / width) + 1);
  for (const point of points) {
    const index = Math.round((bucketStart(point.timestamp, interval) - start) / width);
    values[index] = (values[index] as number) + point.value;
  }
  return { interval, start, values };
}
