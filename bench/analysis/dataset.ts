import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * A synthetic event store for the analysis benchmark, generated inside
 * DuckDB (seconds for 10M rows, where the JSONL world generator and ingest
 * would take minutes): `profiles` profiles with one identity each, `events`
 * track events spread over them and over a year by hash, 55% product views,
 * 20% carts, 10% checkouts, 8% orders (with revenue) and 7% other events
 * that map to no journey state. The same tables and columns segflow's
 * analyses read (events, identity_map).
 */
export const EVENT_NAMES = { view: 'Product Viewed', cart: 'Product Added', checkout: 'Checkout Started', purchase: 'Order Completed' } as const;
export const START = Date.UTC(2025, 0, 1);

export async function generateStore(duck: DuckDBConnection, profiles: number, events: number): Promise<void> {
  const year = 365 * 86_400_000;
  await duck.run(`CREATE OR REPLACE TABLE identity_map AS
    SELECT 'u:' || p AS id_key, 'p' || lpad(p::VARCHAR, 8, '0') AS profile_id FROM range(${profiles}) t(p)`);
  await duck.run(`CREATE OR REPLACE TABLE events AS
    WITH r AS (SELECT i, hash(i) AS h, hash(i + ${events}) AS g FROM range(${events}) t(i))
    SELECT 'u:' || (h % ${profiles}) AS id_key, 'track' AS type,
      CASE WHEN g % 100 < 55 THEN '${EVENT_NAMES.view}' WHEN g % 100 < 75 THEN '${EVENT_NAMES.cart}'
           WHEN g % 100 < 85 THEN '${EVENT_NAMES.checkout}' WHEN g % 100 < 93 THEN '${EVENT_NAMES.purchase}' ELSE 'Page Viewed' END AS event,
      epoch_ms((${START} + (h // ${profiles}) % ${year})::BIGINT) AS ts,
      i AS seq,
      CASE WHEN g % 100 BETWEEN 85 AND 92 THEN (10 + (g // 100) % 200)::DOUBLE END AS revenue
    FROM r`);
}
