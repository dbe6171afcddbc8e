import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { FeaturesConfig } from '../config/mapping-schema.js';
import { EVENT_STORE_MIGRATIONS } from '../store/event-store-schema.js';
import { compileFeatureSql } from './feature-sql.js';
import { missingValueSql } from './missing-values.js';

const DAY = 86_400_000;
const MIN = 60_000;
const AS_OF = Date.UTC(2026, 4, 1); // 2026-05-01T00:00Z
const EVENTS = { order: 'Order Completed', refund: 'Order Refunded', product_view: 'Product Viewed', add_to_cart: 'Product Added', checkout: 'Checkout Started' };

type Row = [profile: string, offsetMs: number, event: string, revenue?: number, orderId?: string, category?: string, properties?: object];

/** Hand-checkable histories: each expected value below is worked out from these rows. */
const ROWS: Row[] = [
  // alice: session 1 (100 d ago): view Books, add, order o1 40.0 (10 min after the view)
  ['alice', -100 * DAY, 'Product Viewed', undefined, undefined, 'Books'],
  ['alice', -100 * DAY + 5 * MIN, 'Product Added', undefined, undefined, 'Books'],
  ['alice', -100 * DAY + 10 * MIN, 'Order Completed', 40, 'o1', 'Books'],
  // alice: session 2 (10 d ago): view Toys, add, leave (abandoned); 31 min later a new session: order o2 60.0
  ['alice', -10 * DAY, 'Product Viewed', undefined, undefined, 'Toys', { brand: 'Lego' }],
  ['alice', -10 * DAY + 2 * MIN, 'Product Added', undefined, undefined, 'Toys'],
  ['alice', -10 * DAY + 33 * MIN, 'Order Completed', 60, 'o2', 'Toys'],
  // an event after as-of is ignored
  ['alice', 2 * DAY, 'Order Completed', 999, 'o3'],
  // bob: only browses, 3 views 40 days ago in one session
  ['bob', -40 * DAY, 'Product Viewed', undefined, undefined, 'Books', { brand: 'Lego' }],
  ['bob', -40 * DAY + MIN, 'Product Viewed', undefined, undefined, 'Books'],
  ['bob', -40 * DAY + 2 * MIN, 'Product Viewed', undefined, undefined, 'Garden'],
  // the same price written as 20 and 20.0 (two ingest paths) is one value
  ['bob', -2 * 3_600_000, 'Product Viewed', undefined, undefined, 'Garden', { price: 20 }],
  ['bob', -3 * 3_600_000, 'Product Viewed', undefined, undefined, 'Garden', { price: 20.0, raw: '20.0' }],
];

/** `raw` forces the JSON text of price, as DuckDB's re-serialization writes it. */
function payloadText(properties: object | undefined): string {
  const { raw, ...rest } = (properties ?? {}) as { raw?: string; price?: number };
  const text = JSON.stringify(rest);
  return raw === undefined ? text : text.replace(`"price":${rest.price}`, `"price":${raw}`);
}

async function featuresFor(config: Partial<FeaturesConfig> & { include: string[] }) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const migration of EVENT_STORE_MIGRATIONS) await connection.run(migration);
  await connection.run('CREATE TABLE identity_map (id_key VARCHAR, profile_id VARCHAR)');
  await connection.run("INSERT INTO identity_map VALUES ('u:alice', 'alice'), ('u:bob', 'bob')");
  let seq = 0;
  for (const [profile, offset, event, revenue, orderId, category, properties] of ROWS) {
    seq++;
    await connection.run(
      `INSERT INTO events VALUES ($1, hash($2), 'test', $2, 'track', $3, $4, NULL, NULL, NULL, $5, epoch_ms(CAST($6 AS BIGINT)), NULL, $7, $8, $9, $10, NULL, NULL, 'f', $1)`,
      [seq, `m${seq}`, event, profile, `u:${profile}`, AS_OF + offset, revenue ?? null, orderId ?? null, category ?? null, payloadText(properties)],
    );
  }
  const features: FeaturesConfig = { as_of: 'latest', custom: [], missing: {}, events: EVENTS, ...config };
  const plan = compileFeatureSql({ features, extra: [], sessionGapMs: 30 * MIN, asOf: AS_OF });
  await connection.run(plan.sql);
  for (const statement of missingValueSql(features.missing)) await connection.run(statement);
  const reader = await connection.runAndReadAll('SELECT * FROM features ORDER BY profile_id');
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  connection.closeSync();
  instance.closeSync();
  return Object.fromEntries(rows.map((row) => [row.profile_id as string, row]));
}

describe('feature SQL on hand-checked histories', () => {
  // Whole days are floored, like pandas' Timedelta.days: the last order was
  // 10 days minus 33 minutes before as-of, so recency is 9.
  it('computes the order features, windows and as-of cut-off', async () => {
    const rows = await featuresFor({ include: ['recency_days', 'frequency', 'frequency_30d', 'monetary', 'monetary_30d', 'avg_order_value', 'tenure_days', 'last_seen_days', 'events', 'engagement_depth'] });
    expect(rows.alice).toMatchObject({
      recency_days: 9, frequency: 2, frequency_30d: 1, monetary: 100, monetary_30d: 60, avg_order_value: 50,
      tenure_days: 100, last_seen_days: 9, events: 6, engagement_depth: 2,
    });
    expect(rows.bob).toMatchObject({ recency_days: null, frequency: 0, monetary: 0, avg_order_value: null, tenure_days: 40, events: 5, engagement_depth: 2 });
  });

  it('splits sessions at the inactivity gap and derives session features', async () => {
    const rows = await featuresFor({ include: ['sessions', 'sessions_per_week', 'avg_session_minutes', 'cart_abandonment_rate', 'purchase_velocity_hours'] });
    // alice: sessions of 10 min, 2 min, and 0 min (the order 31 min after the add).
    expect(rows.alice?.sessions).toBe(3);
    expect(rows.alice?.sessions_per_week).toBeCloseTo(3 / (100 / 7), 10);
    expect(rows.alice?.avg_session_minutes).toBeCloseTo((10 + 2 + 0) / 3, 10);
    // Two sessions with cart activity, one ended without an order.
    expect(rows.alice?.cart_abandonment_rate).toBeCloseTo(0.5, 10);
    expect(rows.alice?.purchase_velocity_hours).toBeCloseTo(10 / 60, 10);
    expect(rows.bob).toMatchObject({ sessions: 3, cart_abandonment_rate: null, purchase_velocity_hours: null });
  });

  it('computes custom count/sum/distinct features with filters, and fills missing values', async () => {
    const rows = await featuresFor({
      include: ['purchase_velocity_hours'],
      custom: [
        { name: 'lego_views', kind: 'count', event: 'Product Viewed', where: { brand: 'Lego' } },
        { name: 'lego_views_30d', kind: 'count', event: 'Product Viewed', where: { brand: 'Lego' }, window: '30d' },
        { name: 'views_at_20_12h', kind: 'count', event: 'Product Viewed', where: { price: 20 }, window: '12h' },
        { name: 'prices_seen', kind: 'distinct', event: 'Product Viewed', property: 'price' },
      ],
      missing: { purchase_velocity_hours: { constant: -1 } },
    });
    expect(rows.alice).toMatchObject({ lego_views: 1, lego_views_30d: 1 });
    expect(rows.bob).toMatchObject({ lego_views: 1, lego_views_30d: 0, purchase_velocity_hours: -1, views_at_20_12h: 2, prices_seen: 1 });
  });
});
