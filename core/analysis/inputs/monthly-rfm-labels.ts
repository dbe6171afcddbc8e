import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../features/sql-quote.js';
import { RFM_SEGMENTS } from '../../segments/rfm-names.js';
import { NO_LABEL, type SegmentHistory } from '../journeys/segment-migration.js';

/**
 * Every buyer's RFM segment at the end of each month, recomputed from the
 * order events as of that month (issue 12, part 1: segment-level migration
 * over time). The scores follow rfmScoreSql (core/segments/rfm-sql.ts):
 * quintiles over ranks with ties broken by profile id, R from days since the
 * last order (more recent scores higher), F from the number of orders, and
 * the same (R, F) → segment map; only profiles with an order by then are
 * scored, so a profile is unlabelled (-1) in the months before its first
 * order.
 */
export interface MonthlyRfmOptions {
  orderEvent: string;
  /** How many month ends, the latest being the last complete month before the newest event. */
  months: number;
}

export async function loadMonthlyRfmLabels(duck: DuckDBConnection, options: MonthlyRfmOptions): Promise<SegmentHistory & { profileIds: string[] }> {
  const segmentNames = RFM_SEGMENTS.map((segment) => segment.slug);
  const empty = { labels: new Int32Array(0), periods: 0, segmentNames, periodNames: [], profileIds: [] };
  const latest = (await duck.runAndReadAll('SELECT strftime(date_trunc(\'month\', max(ts)), \'%Y-%m-%d\') FROM events')).getRows()[0]?.[0];
  if (latest === null || latest === undefined) return empty;
  const score = (rank: string) => `CASE WHEN n <= 1 THEN 1 ELSE greatest(1, CAST((5 * (${rank} - 1) + n - 2) // (n - 1) AS INTEGER)) END`;
  const segmentCase = RFM_SEGMENTS.map(
    (segment, index) => `WHEN r BETWEEN ${segment.recency[0]} AND ${segment.recency[1]} AND f BETWEEN ${segment.frequency[0]} AND ${segment.frequency[1]} THEN ${index}`,
  ).join(' ');
  // Month ends are exclusive bounds (the first instant of the next month); the newest, still running month is left out.
  const reader = await duck.runAndReadAll(`WITH ends AS (
      SELECT unnest(generate_series(DATE ${sqlString(String(latest))} - INTERVAL ${options.months - 1} MONTH, DATE ${sqlString(String(latest))}, INTERVAL 1 MONTH))::TIMESTAMP AS month_end),
    orders AS (
      SELECT i.profile_id, e.ts FROM events e JOIN identity_map i ON i.id_key = e.id_key
      WHERE e.type = 'track' AND e.event = ${sqlString(options.orderEvent)}),
    buyers AS (
      SELECT ends.month_end, o.profile_id, date_diff('day', max(o.ts), ends.month_end) AS recency, count(*) AS frequency
      FROM ends JOIN orders o ON o.ts < ends.month_end GROUP BY ends.month_end, o.profile_id),
    ranked AS (
      SELECT month_end, profile_id, count(*) OVER (PARTITION BY month_end) AS n,
        row_number() OVER (PARTITION BY month_end ORDER BY recency DESC, profile_id) AS r_rank,
        row_number() OVER (PARTITION BY month_end ORDER BY frequency, profile_id) AS f_rank
      FROM buyers),
    scored AS (SELECT month_end, profile_id, ${score('r_rank')} AS r, ${score('f_rank')} AS f FROM ranked)
    SELECT strftime(month_end - INTERVAL 1 DAY, '%Y-%m'), profile_id, CASE ${segmentCase} END
    FROM scored ORDER BY profile_id, month_end`);
  const rows = reader.getRows();
  const periodNames = [...new Set(rows.map(([month]) => String(month)))].sort();
  const periodIndex = new Map(periodNames.map((name, index) => [name, index]));
  const profileIds = [...new Set(rows.map(([, profile]) => String(profile)))];
  const profileIndex = new Map(profileIds.map((id, index) => [id, index]));
  const periods = periodNames.length;
  const labels = new Int32Array(profileIds.length * periods).fill(NO_LABEL);
  for (const [month, profile, segment] of rows) {
    labels[(profileIndex.get(String(profile)) as number) * periods + (periodIndex.get(String(month)) as number)] = Number(segment);
  }
  return { labels, periods, segmentNames, periodNames, profileIds };
}
