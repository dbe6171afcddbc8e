import { EVENT_STORE_SETTINGS } from '../../core/store/event-store.js';

/**
 * What both sides of the benchmark share, so a change to one cannot silently
 * make the comparison unfair.
 */

/**
 * DuckDB settings of segflow's event store (core/store/event-store.ts:
 * `openEventStore` defaults, which `runPipeline` uses). The baseline runs with
 * the same ones: the same engine, the same budget.
 */
export const DUCKDB_SETTINGS = EVENT_STORE_SETTINGS;

/**
 * The built-in features of mappings/examples/retail.yaml (its custom features
 * left out: they parse the payload JSON, which the baseline has no analogue of).
 */
export const BENCH_FEATURES = [
  'recency_days', 'frequency', 'frequency_90d', 'monetary', 'monetary_90d', 'avg_order_value', 'tenure_days',
  'last_seen_days', 'sessions_per_week', 'avg_session_minutes', 'engagement_depth', 'purchase_velocity_hours',
  'cart_abandonment_rate',
] as const;

/** retail.yaml's missing-value policy, applied by both sides. */
export const MISSING_MEDIAN = 'purchase_velocity_hours';

export const SESSION_GAP_MS = 30 * 60_000;

/** The Segment e-commerce names the feature catalog reads by default (core/config/mapping-schema.ts). */
export const EVENT_NAMES = {
  order: 'Order Completed',
  productView: 'Product Viewed',
  addToCart: 'Product Added',
  checkout: 'Checkout Started',
} as const;

/** Peak-RSS budget for one segflow run. */
export const RSS_TARGET_BYTES = 2 * 1024 ** 3;

/** segflow throughput / baseline throughput we aim for. */
export const THROUGHPUT_RATIO_TARGET = 0.5;
