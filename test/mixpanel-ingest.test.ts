import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stitchProfiles } from '../core/identity/stitch-profiles.js';
import { runIngest } from '../core/ingest/ingest-runner.js';
import type { Source } from '../core/ingest/source.js';
import { openEventStore, type EventStore } from '../core/store/event-store.js';
import { createMixpanelSource, type MixpanelSourceConfig } from '../connectors/sources/mixpanel/index.js';
import { startMixpanelExportFake, type MixpanelExportFake } from './fakes/mixpanel/export-fake.js';
import { openFresh, STATE_DRIVERS } from './support/state-drivers.js';
import { temporaryDirectory } from './support/temporary-directory.js';

/**
 * The mixpanel source through the real ingest loop and DuckDB store: what the
 * source promises (re-reads are duplicates, a truncated day is quarantined
 * and read again, the cursor is committed per day) holds where it counts.
 */
const PROJECT = '31337';
const ENV = { MP_USER: 'sa', MP_SECRET: 'secret' };
const day1 = Date.parse('2026-06-01T00:00:00Z') / 1_000;

let fake: MixpanelExportFake | undefined;
let store: EventStore | undefined;
afterEach(async () => {
  store?.close();
  await fake?.close();
  store = undefined;
  fake = undefined;
});

describe('mixpanel source through the ingest loop', () => {
  it('stores each event once across lookback re-reads and a truncated day, and reconciles read = accepted + quarantined + duplicates', async () => {
    let now = Date.parse('2026-06-03T18:00:00Z');
    fake = await startMixpanelExportFake({ projectId: PROJECT, username: ENV.MP_USER, secret: ENV.MP_SECRET, now: () => now });
    fake.addEvents(Array.from({ length: 90 }, (_, index) => ({
      event: index % 3 === 0 ? 'Purchase' : 'Viewed',
      properties: {
        time: day1 + Math.floor(index / 30) * 86_400 + index, $insert_id: `i${index}`, revenue: index % 3 === 0 ? 10 : undefined,
        // Device-only events, then the same device logged in: both ids on one event link them.
        distinct_id: index % 2 === 0 ? `$device:d${index % 5}` : `user-${index % 5}`, $device_id: `d${index % 5}`, ...(index % 2 === 1 ? { $user_id: `user-${index % 5}` } : {}),
        filler: 'x'.repeat(80),
      },
    })));
    fake.addRawLines('2026-06-02', ['{"event": "oops"']);
    const stateDir = temporaryDirectory('mixpanel');
    store = await openEventStore(join(stateDir, 'events.duckdb'));
    const config: MixpanelSourceConfig = {
      type: 'mixpanel', id: 'mp', project_id: PROJECT, from_date: '2026-06-01', lookback_days: 1, base_url: fake.url,
      service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
    };
    const source = createMixpanelSource({ env: ENV, sleep: async (ms) => { now += ms; } });
    const run = async (runId: string) => {
      const [counts] = await runIngest({
        store: store!, sources: [{ id: 'mp', source: source as Source<unknown>, config }], runId, baseDir: '/', stateDir,
        now: () => now, signal: new AbortController().signal, batchEvents: 1_000, maxFutureMs: 86_400_000,
      });
      return counts!;
    };

    fake.faults.truncateNext({ day: '2026-06-03', keep: 0.4 });
    const first = await run('r1');
    expect(first.read).toBe(first.accepted + first.quarantined + first.duplicates);
    expect(first.quarantined).toBe(2); // the malformed line of 06-02 and the truncation of 06-03
    expect((await store.progress('mp'))?.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-03' });

    const second = await run('r2'); // 06-02 (lookback) and 06-03 (cursor) again
    expect(second.read).toBe(second.accepted + second.quarantined + second.duplicates);
    expect(second.duplicates).toBeGreaterThanOrEqual(30);
    expect((await store.progress('mp'))?.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-04' });

    const rows = (await store.connection.runAndReadAll(`SELECT count(*), count(DISTINCT message_id), sum(revenue), count(*) FILTER (WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL) FROM events`)).getRows();
    expect(rows[0]!.map(Number)).toEqual([90, 90, 300, 45]);
    const quarantine = (await store.connection.runAndReadAll('SELECT run_id, line, reason FROM quarantine ORDER BY run_id, reason')).getRows();
    // The malformed line sits in a lookback day, so each run that re-reads the day quarantines it again.
    expect(quarantine.map(([runId, line, reason]) => [runId, Number(line), String(reason).split(' (')[0]])).toEqual([
      ['r1', 31, 'not valid JSON'],
      ['r1', expect.any(Number), 'the gzip response ended before its end'],
      ['r2', 31, 'not valid JSON'],
    ]);

    // Simplified ID Merge through core's stitching: the events carrying $user_id and $device_id
    // put each device's anonymous events on its user's profile.
    const state = await openFresh(STATE_DRIVERS[0]!, 'mixpanel');
    try {
      await stitchProfiles(store.connection, state, 'alias_only', 'r2', () => now);
    } finally {
      await state.close();
    }
    const profiles = (await store.connection.runAndReadAll(`
      SELECT m.profile_id, count(*) FROM events e JOIN identity_map m ON m.id_key = e.id_key GROUP BY ALL ORDER BY 1`)).getRows();
    expect(profiles.map(([profile, count]) => [profile, Number(count)])).toEqual([0, 1, 2, 3, 4].map((k) => [`u:user-${k}`, 18]));
  });
});
