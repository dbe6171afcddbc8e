import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENT_NAMES } from './dataset.js';

/**
 * The hand-written DuckDB SQL a data engineer would write for the same
 * answers as segflow's journey and trend analyses: transition counts
 * (repeats collapsed, start and exit pseudo-states, one journey per
 * profile), the ordered funnel (greedy earliest match, as funnel.ts), and
 * the dense daily revenue series.
 */
const STATES = `CASE e.event ${Object.entries(EVENT_NAMES).map(([state, event]) => `WHEN '${event}' THEN '${state}'`).join(' ')} END`;
const MAPPED = `e.type = 'track' AND e.event IN (${Object.values(EVENT_NAMES).map((name) => `'${name}'`).join(', ')})`;

export async function sqlTransitions(duck: DuckDBConnection): Promise<Map<string, number>> {
  const reader = await duck.runAndReadAll(`WITH s AS (
      SELECT m.profile_id, ${STATES} AS state, e.ts, e.seq FROM events e JOIN identity_map m ON m.id_key = e.id_key WHERE ${MAPPED}),
    w AS (SELECT state, lag(state, 1, 'start') OVER j AS previous, lead(state) OVER j IS NULL AS last FROM s
      WINDOW j AS (PARTITION BY profile_id ORDER BY ts, seq))
    SELECT previous, state, count(*) FROM w WHERE previous <> state GROUP BY ALL
    UNION ALL SELECT state, 'exit', count(*) FROM w WHERE last GROUP BY ALL`);
  return new Map(reader.getRows().map(([from, to, count]) => [`${String(from)}>${String(to)}`, Number(count)]));
}

export async function sqlFunnel(duck: DuckDBConnection): Promise<number[]> {
  const reader = await duck.runAndReadAll(`WITH s AS (
      SELECT m.profile_id, ${STATES} AS state, row_number() OVER (PARTITION BY m.profile_id ORDER BY e.ts, e.seq) AS position
      FROM events e JOIN identity_map m ON m.id_key = e.id_key WHERE ${MAPPED}),
    v AS (SELECT profile_id, min(position) AS at FROM s WHERE state = 'view' GROUP BY 1),
    c AS (SELECT s.profile_id, min(s.position) AS at FROM s JOIN v USING (profile_id) WHERE s.state = 'cart' AND s.position > v.at GROUP BY 1),
    k AS (SELECT s.profile_id, min(s.position) AS at FROM s JOIN c USING (profile_id) WHERE s.state = 'checkout' AND s.position > c.at GROUP BY 1),
    p AS (SELECT s.profile_id, min(s.position) AS at FROM s JOIN k USING (profile_id) WHERE s.state = 'purchase' AND s.position > k.at GROUP BY 1)
    SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM c), (SELECT count(*) FROM k), (SELECT count(*) FROM p)`);
  return (reader.getRows()[0] ?? []).map(Number);
}

export async function sqlDailyRevenue(duck: DuckDBConnection): Promise<Float64Array> {
  const reader = await duck.runAndReadAll(`WITH d AS (
      SELECT date_trunc('day', ts) AS day, sum(revenue) AS revenue FROM events
      WHERE type = 'track' AND event = '${EVENT_NAMES.purchase}' AND revenue IS NOT NULL GROUP BY 1),
    days AS (SELECT unnest(generate_series((SELECT min(day) FROM d), (SELECT max(day) FROM d), INTERVAL 1 DAY)) AS day)
    SELECT coalesce(d.revenue, 0)::DOUBLE FROM days LEFT JOIN d USING (day) ORDER BY days.day`);
  return Float64Array.from(reader.getRows().map(([value]) => Number(value)));
}
