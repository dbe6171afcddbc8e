import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { loadSegmentKpiBuckets, type SegmentKpiBucket } from './inputs/segment-kpi-series.js';
import { decomposeSeries, type SeriesDecomposition } from './trends/series-decomposition.js';
import { denseSeries, type Interval } from './trends/index.js';

/**
 * Trends per segment and KPI (issue 12, part 2): for each segment of the
 * chosen segmentations, the daily and weekly series of revenue, orders,
 * active customers and conversion (buyers / active customers in the bucket)
 * of its current members, over the event store's whole range, each with a
 * robust STL decomposition and its strengths where the series is long
 * enough (and why not where it is not).
 */
export const SEGMENT_KPIS = ['revenue', 'orders', 'active_customers', 'conversion'] as const;
export type SegmentKpi = (typeof SEGMENT_KPIS)[number];

export interface SegmentKpiTrend {
  segmentation: string;
  segment: string;
  name: string;
  kpi: SegmentKpi;
  interval: Interval;
  /** First bucket (YYYY-MM-DD) and number of buckets: the same calendar for every segment. */
  start: string;
  points: number;
  /** Sum over the buckets and mean per bucket (for active customers and conversion, the mean is the one to read). */
  total: number;
  mean: number;
  /** Weekly series only (short enough to keep in every run's summary): the values, for the report. */
  values?: number[];
  decomposition: SeriesDecomposition | null;
  /** Why there is no decomposition. */
  skipped?: string;
}

export interface SegmentTrends {
  /** The calendar of the daily and weekly series. */
  days: number;
  weeks: number;
  start: string;
  series: SegmentKpiTrend[];
}

const dayName = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One KPI's values per bucket from the sparse rows (conversion is a ratio of two densified counts). */
export function kpiSeries(rows: readonly SegmentKpiBucket[], kpi: SegmentKpi, interval: Interval, from: number, to: number): { start: number; values: Float64Array } {
  const dense = (pick: (row: SegmentKpiBucket) => number) => denseSeries(rows.map((row) => ({ timestamp: row.bucket, value: pick(row) })), { interval, from, to });
  if (kpi !== 'conversion') {
    const field = kpi === 'active_customers' ? 'active' : kpi;
    return dense((row) => row[field]);
  }
  const active = dense((row) => row.active);
  const buyers = dense((row) => row.buyers).values;
  // No one active in a bucket: nobody could convert, so the rate is 0 rather than undefined.
  const values = active.values.map((count, index) => (count > 0 ? (buyers[index] as number) / count : 0));
  return { start: active.start, values };
}

export async function segmentTrends(duck: DuckDBConnection, mapping: Mapping): Promise<SegmentTrends | null> {
  const config = mapping.analysis?.trends;
  const segmentations = config?.segmentations ?? mapping.segments.map((segmentation) => segmentation.id);
  const kpis: readonly SegmentKpi[] = config?.segment_kpis ?? SEGMENT_KPIS;
  const order = mapping.features.events.order;
  const daily = await loadSegmentKpiBuckets(duck, segmentations, order, 'day');
  if (daily.range === null) return null;
  const weekly = await loadSegmentKpiBuckets(duck, segmentations, order, 'week');
  const { first, last } = daily.range;
  const byInterval = { day: group(daily.rows), week: group(weekly.rows) };
  const series: SegmentKpiTrend[] = [];
  let days = 0;
  let weeks = 0;
  let start = '';
  for (const segment of daily.segments) {
    for (const interval of ['day', 'week'] as const) {
      const rows = byInterval[interval].get(segment.id) ?? [];
      for (const kpi of kpis) {
        const { start: bucketStart, values } = kpiSeries(rows, kpi, interval, first, last);
        if (interval === 'day') [days, start] = [values.length, dayName(bucketStart)];
        else weeks = values.length;
        const total = values.reduce((sum, value) => sum + value, 0);
        const outcome = decomposeSeries(values, interval);
        series.push({
          segmentation: segment.segmentation, segment: segment.id, name: segment.name, kpi, interval,
          start: dayName(bucketStart), points: values.length, total, mean: values.length > 0 ? total / values.length : 0,
          ...(interval === 'week' ? { values: Array.from(values) } : {}),
          decomposition: outcome.decomposition ?? null,
          ...(outcome.skipped !== undefined ? { skipped: outcome.skipped } : {}),
        });
      }
    }
  }
  return { days, weeks, start, series };
}

function group(rows: readonly SegmentKpiBucket[]): Map<string, SegmentKpiBucket[]> {
  const bySegment = new Map<string, SegmentKpiBucket[]>();
  for (const row of rows) {
    let list = bySegment.get(row.segmentId);
    if (!list) bySegment.set(row.segmentId, (list = []));
    list.push(row);
  }
  return bySegment;
}
