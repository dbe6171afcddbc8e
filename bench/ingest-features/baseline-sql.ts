import { EVENT_NAMES, MISSING_MEDIAN, SESSION_GAP_MS } from './bench-settings.js';

/**
 * The baseline: what a person fluent in DuckDB would write by hand to go from
 * Segment JSONL to the same feature table, with no framework in between. It
 * is the physical limit the benchmark measures segflow against: one engine,
 * the same settings, the same bytes in, the same features out, persisted.
 *
 * Deliberately NOT imported from core/: the point is an independent
 * implementation of the same definitions (core/features/feature-sql.ts), so
 * the agreement check means something.
 */

const DAY_MS = 86_400_000;

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Reads and persists in one streaming statement. The reader parses only the
 * listed top-level fields; the hot fields segflow lifts at ingest (revenue,
 * order id, category: core/events/normalize-segment.ts) are taken from
 * `properties` with ONE json_extract_string call, which parses each document
 * once for all paths.
 */
export function loadSql(input: string): string {
  const hot = `json_extract_string(properties, ['$.revenue', '$.total', '$.order_id', '$.orderId', '$.category', '$.products[0].category'])`;
  // Revenue falls back to the products' sum only when neither revenue nor
  // total is set (normalize-segment.ts `hotFields`); CASE keeps the list
  // lambda off every row that has a revenue or no products.
  const productsSum = `list_sum(list_transform(CAST(json_extract(properties, '$.products[*]') AS JSON[]),
        p -> coalesce(TRY_CAST(p->>'price' AS DOUBLE), 0) * coalesce(TRY_CAST(p->>'quantity' AS DOUBLE), 1)))`;
  return `
    CREATE TABLE events AS
    WITH raw AS (
      SELECT *, ${hot} AS hot FROM read_json(${quote(input)},
        format = 'newline_delimited',
        columns = {type: 'VARCHAR', messageId: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR',
                   event: 'VARCHAR', timestamp: 'TIMESTAMP', properties: 'JSON'}))
    SELECT messageId AS message_id, type, event, userId AS user_id, anonymousId AS anonymous_id, timestamp AS ts,
      coalesce(TRY_CAST(hot[1] AS DOUBLE), TRY_CAST(hot[2] AS DOUBLE),
        CASE WHEN json_type(properties, '$.products') = 'ARRAY' THEN ${productsSum} END) AS revenue,
      coalesce(hot[3], hot[4]) AS order_id,
      coalesce(hot[5], hot[6]) AS category,
      properties
    FROM raw`;
}

/**
 * Dedup on messageId after the load, on narrow columns only: a GROUP BY
 * messageId carrying every column (properties included) ran out of the 1 GB
 * memory_limit at 10M events. A retry repeats its message's columns (only
 * sentAt/receivedAt move, and they are not stored), so which copy survives
 * does not matter: the one with the lowest rowid.
 */
export const DEDUP_SQL = `
  DELETE FROM events WHERE rowid IN (
    SELECT e.rowid FROM events e
    JOIN (SELECT message_id, min(rowid) AS keep FROM events GROUP BY message_id HAVING count(*) > 1) d
      ON d.message_id = e.message_id AND e.rowid <> d.keep)`;

/**
 * The simplest correct stitching for Segment data: an anonymousId belongs to
 * the userId it was seen with (identify, or any later event of an identified
 * device); an anonymousId never seen with one is its own profile. segflow's
 * union-find (alias_only) gives the same components on this data, where no
 * device is shared between two users.
 */
export const IDENTITY_SQL = `
  CREATE TABLE identity_map AS
  SELECT anonymous_id, min(user_id) AS user_id
  FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
  GROUP BY anonymous_id`;

/** As-of = midnight (UTC) after the last event, as segflow's `as_of: latest` (core/pipeline/as-of.ts). */
export function asOfFromLastEvent(lastEventMs: number): number {
  return Math.floor(lastEventMs / DAY_MS) * DAY_MS + DAY_MS;
}

/**
 * The feature table, same definitions as core/features/feature-sql.ts for
 * BENCH_FEATURES. One aggregation over events for the plain features, one
 * session pass (gap rule, then a running sum numbers the sessions), and the
 * first-order-after-first-view join over order events only.
 */
export function featuresSql(asOfMs: number): string {
  const asOf = `epoch_ms(${asOfMs})`;
  const order = quote(EVENT_NAMES.order);
  const days = (column: string) => `CAST(floor((${asOfMs} - epoch_ms(${column})) / ${DAY_MS}) AS INTEGER)`;
  const in90 = `ts >= ${asOf} - INTERVAL 90 DAY`;
  return `
    CREATE TABLE features AS
    WITH ev AS (
      SELECT CASE WHEN e.user_id IS NOT NULL THEN 'u:' || e.user_id
                  WHEN m.user_id IS NOT NULL THEN 'u:' || m.user_id
                  ELSE 'a:' || e.anonymous_id END AS profile_id,
        e.ts, e.event, e.revenue, coalesce(e.order_id, e.message_id) AS order_key, e.category
      FROM events e LEFT JOIN identity_map m ON m.anonymous_id = e.anonymous_id
      WHERE e.ts < ${asOf}),
    base AS (
      SELECT profile_id, min(ts) AS first_ts, max(ts) AS last_ts,
        max(ts) FILTER (WHERE event = ${order}) AS last_order,
        min(ts) FILTER (WHERE event = ${quote(EVENT_NAMES.productView)}) AS first_view,
        count(DISTINCT order_key) FILTER (WHERE event = ${order}) AS frequency,
        count(DISTINCT order_key) FILTER (WHERE event = ${order} AND ${in90}) AS frequency_90d,
        coalesce(sum(revenue) FILTER (WHERE event = ${order}), 0) AS monetary,
        coalesce(sum(revenue) FILTER (WHERE event = ${order} AND ${in90}), 0) AS monetary_90d,
        sum(revenue) FILTER (WHERE event = ${order}) / nullif(count(DISTINCT order_key) FILTER (WHERE event = ${order}), 0) AS avg_order_value,
        count(DISTINCT category) AS engagement_depth
      FROM ev GROUP BY profile_id),
    marked AS (
      SELECT profile_id, ts,
        event IN (${quote(EVENT_NAMES.addToCart)}, ${quote(EVENT_NAMES.checkout)}) AS cart,
        event = ${order} AS purchased,
        CASE WHEN epoch_ms(ts) - epoch_ms(lag(ts) OVER (PARTITION BY profile_id ORDER BY ts)) <= ${SESSION_GAP_MS} THEN 0 ELSE 1 END AS starts
      FROM ev),
    numbered AS (SELECT *, sum(starts) OVER (PARTITION BY profile_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_no FROM marked),
    sessions AS (
      SELECT profile_id, min(ts) AS started, max(ts) AS ended, bool_or(cart) AS cart, bool_or(purchased) AS purchased
      FROM numbered GROUP BY profile_id, session_no),
    session_features AS (
      SELECT profile_id,
        count(*) / (greatest((${asOfMs} - epoch_ms(min(started))) / ${DAY_MS}.0, 7) / 7.0) AS sessions_per_week,
        avg(epoch_ms(ended) - epoch_ms(started)) / 60000.0 AS avg_session_minutes,
        count(*) FILTER (WHERE cart AND NOT purchased) / nullif(count(*) FILTER (WHERE cart), 0) AS cart_abandonment_rate
      FROM sessions GROUP BY profile_id),
    velocity AS (
      SELECT b.profile_id, min(e.ts) AS first_order_after_view
      FROM base b JOIN ev e ON e.profile_id = b.profile_id AND e.event = ${order} AND e.ts >= b.first_view
      GROUP BY b.profile_id)
    SELECT b.profile_id,
      ${days('b.last_order')} AS recency_days,
      b.frequency, b.frequency_90d, b.monetary, b.monetary_90d,
      b.avg_order_value,
      ${days('b.first_ts')} AS tenure_days,
      ${days('b.last_ts')} AS last_seen_days,
      coalesce(s.sessions_per_week, 0) AS sessions_per_week,
      s.avg_session_minutes,
      b.engagement_depth,
      (epoch_ms(v.first_order_after_view) - epoch_ms(b.first_view)) / 3600000.0 AS purchase_velocity_hours,
      s.cart_abandonment_rate
    FROM base b
    LEFT JOIN session_features s ON s.profile_id = b.profile_id
    LEFT JOIN velocity v ON v.profile_id = b.profile_id`;
}

/** retail.yaml's `missing: { purchase_velocity_hours: median }`. */
export const MISSING_SQL = `UPDATE features SET ${MISSING_MEDIAN} = (SELECT median(${MISSING_MEDIAN}) FROM features) WHERE ${MISSING_MEDIAN} IS NULL`;
