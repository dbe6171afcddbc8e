import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../config/mapping-schema.js';
import { segmentTrends } from './segment-trends.js';
import { decomposeSeries } from './trends/series-decomposition.js';
import { stl, strength } from './trends/index.js';

/**
 * Known answers: two segments, three profiles (one with two identities),
 * orders and page views on chosen days; every daily and weekly KPI value is
 * counted by hand below.
 */
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5); // a Monday

async function store(days: number) {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  await duck.run(`CREATE TABLE events (id_key TEXT, type TEXT, event TEXT, ts TIMESTAMP, revenue DOUBLE);
    CREATE TABLE identity_map (id_key TEXT, profile_id TEXT);
    CREATE TABLE segments (segment_id TEXT, name TEXT, segmentation TEXT);
    CREATE TABLE segment_members (segment_id TEXT, profile_id TEXT);
    INSERT INTO identity_map VALUES ('u:a', 'p1'), ('a:a', 'p1'), ('u:b', 'p2'), ('u:c', 'p3');
    INSERT INTO segments VALUES ('rfm/champions', 'Champions', 'rfm'), ('rfm/hibernating', 'Hibernating', 'rfm');
    INSERT INTO segment_members VALUES ('rfm/champions', 'p1'), ('rfm/champions', 'p2'), ('rfm/hibernating', 'p3');`);
  const at = (day: number, hour = 12) => `epoch_ms(${START + day * DAY + hour * 3_600_000}::BIGINT)`;
  // Day 0: p1 orders 10 (as u:a) and 5 (as a:a), p2 only views; day 1: p2 orders 7; day 8: p3 views.
  await duck.run(`INSERT INTO events VALUES
    ('u:a', 'track', 'Order Completed', ${at(0)}, 10), ('a:a', 'track', 'Order Completed', ${at(0, 13)}, 5),
    ('u:b', 'page', NULL, ${at(0)}, NULL), ('u:b', 'track', 'Order Completed', ${at(1)}, 7),
    ('u:c', 'page', NULL, ${at(8)}, NULL), ('u:c', 'identify', NULL, ${at(9)}, NULL),
    ('u:c', 'page', NULL, ${at(days - 1)}, NULL)`);
  return duck;
}

const mapping = { segments: [{ id: 'rfm' }], features: { events: { order: 'Order Completed' } }, analysis: { trends: {} } } as unknown as Mapping;

describe('segment KPI trends', () => {
  it('counts revenue, orders, active customers and conversion per segment, day and week', async () => {
    const trends = await segmentTrends(await store(14), mapping);
    expect(trends).toMatchObject({ days: 14, weeks: 2, start: '2026-01-05' });
    const find = (segment: string, kpi: string, interval: string) => trends?.series.find((entry) => entry.segment === segment && entry.kpi === kpi && entry.interval === interval);
    expect(find('rfm/champions', 'revenue', 'week')?.values).toEqual([22, 0]);
    expect(find('rfm/champions', 'orders', 'week')?.values).toEqual([3, 0]);
    // Two identities of p1 are one active customer.
    expect(find('rfm/champions', 'active_customers', 'week')?.values).toEqual([2, 0]);
    expect(find('rfm/champions', 'conversion', 'week')?.values).toEqual([1, 0]);
    expect(find('rfm/hibernating', 'active_customers', 'week')?.values).toEqual([0, 1]);
    const dailyConversion = find('rfm/champions', 'conversion', 'day');
    // Day 0: p1 bought, p2 only looked (1/2); day 1: p2 bought (1/1); then nothing: 1.5 over 14 days.
    expect(dailyConversion).toMatchObject({ points: 14, total: 1.5, start: '2026-01-05' });
    expect(dailyConversion?.mean).toBeCloseTo(1.5 / 14, 12);
    expect(find('rfm/champions', 'revenue', 'day')).toMatchObject({ total: 22, decomposition: null, skipped: '14 days: STL with period 7 needs at least 28' });
    expect(find('rfm/champions', 'revenue', 'week')?.skipped).toBe('2 weeks: STL with period 52 needs at least 104');
    expect(trends?.series).toHaveLength(2 * 4 * 2);
  });

  it('says why a flat or mostly-zero daily series is not decomposed', async () => {
    const trends = await segmentTrends(await store(35), mapping);
    const find = (segment: string) => trends?.series.find((entry) => entry.segment === segment && entry.kpi === 'revenue' && entry.interval === 'day');
    expect(find('rfm/champions')).toMatchObject({ decomposition: null, skipped: 'non-zero on 2 of 35 days: too sparse for STL (needs at least half)' });
    expect(find('rfm/hibernating')?.skipped).toBe('constant at 0 over 35 days: no trend or season to find');
  });

  it('decomposes a long enough series with activity on most days, as STL and strength do directly', () => {
    const values = Float64Array.from({ length: 35 }, (_, day) => (day % 3 === 0 ? 0 : 10 + day + (day % 7 === 4 ? 20 : 0)));
    const direct = stl(values, { period: 7, robust: true });
    expect(decomposeSeries(values, 'day').decomposition).toEqual({ period: 7, strength: strength(direct), trendStart: direct.trend[0], trendEnd: direct.trend[34] });
  });

  it('finds a planted weekly season and no trend in a flat-level series', () => {
    const values = Float64Array.from({ length: 56 }, (_, day) => 100 + (day % 7 === 5 ? 50 : 0));
    const outcome = decomposeSeries(values, 'day');
    expect(outcome.decomposition?.strength.seasonal).toBeGreaterThan(0.99);
    expect(Math.abs((outcome.decomposition?.trendEnd ?? 0) - (outcome.decomposition?.trendStart ?? 1))).toBeLessThan(1e-6);
  });
});
