import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../config/mapping-schema.js';
import { RFM_SEGMENTS, rfmSegmentFor } from '../segments/rfm-names.js';
import { monthlyMigration } from './monthly-migration.js';

/**
 * Monthly RFM migration against a direct computation: a seeded set of
 * buyers and orders over five months; at each month end the reference
 * below ranks buyers by recency and frequency in plain TypeScript (pandas
 * qcut semantics over ranks, ties by profile id, as rfmScoreSql), names
 * their segment with rfmSegmentFor, and counts moves between months.
 */
const DAY = 86_400_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

const random = seeded(12);
const FIRST = Date.UTC(2026, 0, 1);
const orders: Array<{ profile: string; ts: number }> = [];
for (let profile = 0; profile < 40; profile++) {
  const count = 1 + Math.floor(random() * 6);
  for (let order = 0; order < count; order++) orders.push({ profile: `p${String(profile).padStart(2, '0')}`, ts: FIRST + Math.floor(random() * 150 * DAY) });
}
// The newest event sits in June, so May is the last complete month: month ends Feb 1 … Jun 1.
const NEWEST = Date.UTC(2026, 5, 10);
const ENDS = [1, 2, 3, 4, 5].map((month) => Date.UTC(2026, month, 1));

function score(rank: number, n: number): number {
  return n <= 1 ? 1 : Math.max(1, Math.floor((5 * (rank - 1) + n - 2) / (n - 1)));
}

/** profile → segment slug at each month end, by hand. */
function reference(): Map<string, (string | undefined)[]> {
  const labels = new Map<string, (string | undefined)[]>();
  ENDS.forEach((end, month) => {
    const buyers = new Map<string, { last: number; count: number }>();
    for (const order of orders.filter((entry) => entry.ts < end)) {
      const buyer = buyers.get(order.profile) ?? { last: 0, count: 0 };
      buyers.set(order.profile, { last: Math.max(buyer.last, order.ts), count: buyer.count + 1 });
    }
    const list = [...buyers].map(([profile, buyer]) => ({ profile, recency: Math.floor(end / DAY) - Math.floor(buyer.last / DAY), frequency: buyer.count }));
    const byId = (a: { profile: string }, b: { profile: string }) => (a.profile < b.profile ? -1 : 1);
    const rRank = new Map([...list].sort((a, b) => b.recency - a.recency || byId(a, b)).map((entry, index) => [entry.profile, index + 1]));
    const fRank = new Map([...list].sort((a, b) => a.frequency - b.frequency || byId(a, b)).map((entry, index) => [entry.profile, index + 1]));
    for (const { profile } of list) {
      const row = labels.get(profile) ?? new Array<string | undefined>(ENDS.length).fill(undefined);
      row[month] = rfmSegmentFor(score(rRank.get(profile) as number, list.length), score(fRank.get(profile) as number, list.length)).slug;
      labels.set(profile, row);
    }
  });
  return labels;
}

async function store() {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  await duck.run(`CREATE TABLE events (id_key TEXT, type TEXT, event TEXT, ts TIMESTAMP, revenue DOUBLE);
    CREATE TABLE identity_map (id_key TEXT, profile_id TEXT);`);
  const profiles = [...new Set(orders.map((order) => order.profile))];
  await duck.run(`INSERT INTO identity_map VALUES ${profiles.map((profile) => `('u:${profile}', '${profile}')`).join(', ')}`);
  await duck.run(`INSERT INTO events VALUES ${orders.map((order) => `('u:${order.profile}', 'track', 'Order Completed', epoch_ms(${order.ts}::BIGINT), 10)`).join(', ')},
    ('u:p00', 'page', NULL, epoch_ms(${NEWEST}::BIGINT), NULL)`);
  return duck;
}

const mapping = { features: { events: { order: 'Order Completed' } }, analysis: { journeys: { migration_months: 5 } } } as unknown as Mapping;

describe('monthly RFM segment migration', () => {
  it('has the segments and month-to-month counts of a direct computation', async () => {
    const migration = await monthlyMigration(await store(), mapping);
    expect(migration?.months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
    expect(migration?.segments).toEqual(RFM_SEGMENTS.map((segment) => segment.slug));
    const expected = reference();
    const slugs = RFM_SEGMENTS.map((segment) => segment.slug);
    for (let month = 0; month + 1 < ENDS.length; month++) {
      const counts = slugs.map(() => slugs.map(() => 0));
      let newBuyers = 0;
      for (const row of expected.values()) {
        const [from, to] = [row[month], row[month + 1]];
        if (from === undefined && to !== undefined) newBuyers++;
        else if (from !== undefined && to !== undefined) (counts[slugs.indexOf(from)] as number[])[slugs.indexOf(to)] += 1;
      }
      expect(migration?.steps[month]?.counts).toEqual(counts);
      expect(migration?.steps[month]?.newBuyers).toBe(newBuyers);
    }
    const sizes = ENDS.map((_, month) => slugs.map((slug) => [...expected.values()].filter((row) => row[month] === slug).length));
    expect(migration?.sizes).toEqual(sizes);
    // Shares are row-normalized counts, and the stay rate is the diagonal share.
    const step = migration?.steps[3];
    step?.counts.forEach((row, index) => {
      const total = row.reduce((sum, value) => sum + value, 0);
      if (total > 0) expect(step.stayRate[index]).toBeCloseTo((row[index] as number) / total, 12);
      else expect(step.stayRate[index]).toBeNull();
    });
  });

  it('is null with fewer than two months of buyers', async () => {
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(`CREATE TABLE events (id_key TEXT, type TEXT, event TEXT, ts TIMESTAMP, revenue DOUBLE);
      CREATE TABLE identity_map (id_key TEXT, profile_id TEXT);
      INSERT INTO identity_map VALUES ('u:a', 'a');
      INSERT INTO events VALUES ('u:a', 'track', 'Order Completed', TIMESTAMP '2026-03-03 10:00:00', 5), ('u:a', 'page', NULL, TIMESTAMP '2026-04-20 10:00:00', NULL);`);
    expect(await monthlyMigration(duck, mapping)).toBeNull();
  });
});
