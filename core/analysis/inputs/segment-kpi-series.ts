import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../features/sql-quote.js';
import type { Interval } from '../trends/index.js';

/**
 * Per segment and per day (or ISO week), what its current members did: order
 * revenue, orders, distinct active customers (any event but identify) and
 * distinct buyers, from the events every identity of a member sent. Sparse:
 * buckets where a segment's members did nothing are absent (the caller
 * densifies them to zeros over the store's whole range).
 */
export interface SegmentKpiBucket {
  segmentId: string;
  /** Start of the bucket, ms since the epoch (UTC midnight; a Monday for weeks). */
  bucket: number;
  revenue: number;
  orders: number;
  active: number;
  buyers: number;
}

export interface SegmentKpiRows {
  segments: Array<{ id: string; name: string; segmentation: string }>;
  rows: SegmentKpiBucket[];
  /** First and last event of the store, ms (null when it has none): the calendar every segment's series spans. */
  range: { first: number; last: number } | null;
}

export async function loadSegmentKpiBuckets(
  duck: DuckDBConnection, segmentations: readonly string[], orderEvent: string, interval: Interval,
): Promise<SegmentKpiRows> {
  const range = (await duck.runAndReadAll('SELECT epoch_ms(min(ts))::DOUBLE, epoch_ms(max(ts))::DOUBLE FROM events')).getRows()[0];
  const first = range?.[0];
  const last = range?.[1];
  if (segmentations.length === 0 || first === null || first === undefined || last === null || last === undefined) {
    return { segments: [], rows: [], range: null };
  }
  const list = segmentations.map(sqlString).join(', ');
  const segmentRows = (await duck.runAndReadAll(`SELECT segment_id, name, segmentation FROM segments WHERE segmentation IN (${list}) ORDER BY segmentation, segment_id`)).getRows();
  const isOrder = `(e.type = 'track' AND e.event = ${sqlString(orderEvent)})`;
  // DuckDB's week truncation is ISO (Monday 00:00), the same buckets as denseSeries.
  const reader = await duck.runAndReadAll(`WITH members AS (
      SELECT m.segment_id, i.profile_id, i.id_key FROM segment_members m JOIN segments s USING (segment_id)
      JOIN identity_map i ON i.profile_id = m.profile_id WHERE s.segmentation IN (${list}))
    SELECT members.segment_id, epoch_ms(date_trunc(${sqlString(interval)}, e.ts))::DOUBLE,
      coalesce(sum(CASE WHEN ${isOrder} THEN e.revenue END), 0)::DOUBLE,
      count(*) FILTER (WHERE ${isOrder})::DOUBLE,
      count(DISTINCT members.profile_id)::DOUBLE,
      count(DISTINCT CASE WHEN ${isOrder} THEN members.profile_id END)::DOUBLE
    FROM events e JOIN members ON members.id_key = e.id_key
    WHERE e.type <> 'identify'
    GROUP BY 1, 2 ORDER BY 1, 2`);
  return {
    segments: segmentRows.map(([id, name, segmentation]) => ({ id: String(id), name: String(name), segmentation: String(segmentation) })),
    rows: reader.getRows().map(([segmentId, bucket, revenue, orders, active, buyers]) => ({
      segmentId: String(segmentId), bucket: Number(bucket), revenue: Number(revenue), orders: Number(orders), active: Number(active), buyers: Number(buyers),
    })),
    range: { first: Number(first), last: Number(last) },
  };
}
