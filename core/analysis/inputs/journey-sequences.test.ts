import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadJourneySequences } from './journey-sequences.js';

/**
 * Known answers for the loader: two profiles (one with two identities),
 * unmapped events left out, equal timestamps ordered by seq, and a session
 * gap splitting one profile's events into two journeys.
 */
const STATE_OF = { 'Product Viewed': 'view', 'Product Added': 'cart', 'Order Completed': 'purchase' };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);

async function store() {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  await duck.run(`CREATE TABLE events (id_key TEXT, type TEXT, event TEXT, ts TIMESTAMP, seq BIGINT);
    CREATE TABLE identity_map (id_key TEXT, profile_id TEXT);
    INSERT INTO identity_map VALUES ('u:b', 'pb'), ('a:b', 'pb'), ('u:a', 'pa');`);
  const at = (hours: number) => `epoch_ms(${T0 + hours * HOUR}::BIGINT)`;
  await duck.run(`INSERT INTO events VALUES
    ('u:b', 'track', 'Product Viewed', ${at(0)}, 1), ('a:b', 'track', 'Product Added', ${at(0)}, 2),
    ('u:b', 'track', 'Search', ${at(1)}, 3), ('u:b', 'page', 'Product Viewed', ${at(1)}, 4),
    ('a:b', 'track', 'Order Completed', ${at(5)}, 5),
    ('u:a', 'track', 'Product Added', ${at(2)}, 7), ('u:a', 'track', 'Product Viewed', ${at(2)}, 6)`);
  return duck;
}

describe('loadJourneySequences', () => {
  it('streams each profile\'s mapped track events in time order, ties by seq, one journey per profile', async () => {
    const loaded = await loadJourneySequences(await store(), STATE_OF);
    const names = (from: number, to: number) => Array.from(loaded.events.subarray(from, to), (state) => loaded.states[state]);
    expect(loaded.profileIds).toEqual(['pa', 'pb']);
    expect(Array.from(loaded.offsets)).toEqual([0, 2, 5]);
    expect(names(0, 2)).toEqual(['view', 'cart']);
    expect(names(2, 5)).toEqual(['view', 'cart', 'purchase']);
    expect(Array.from(loaded.times)).toEqual([2, 2, 0, 0, 5].map((hours) => T0 + hours * HOUR));
  });

  it('starts a new journey after a gap longer than the session gap', async () => {
    const loaded = await loadJourneySequences(await store(), STATE_OF, { sessionGapMs: 4 * HOUR });
    expect(loaded.profileIds).toEqual(['pa', 'pb', 'pb']);
    expect(Array.from(loaded.offsets)).toEqual([0, 2, 4, 5]);
  });
});
