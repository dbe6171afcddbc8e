import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';

import { openEventStore } from './event-store.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const line = (id: string, timestamp = '2026-05-01T10:00:00.000Z') =>
  JSON.stringify({ type: 'track', event: 'Viewed', messageId: id, userId: 'u', timestamp });

describe('bulk file load', () => {
  it('stores each messageId once, counting stored copies and in-file repeats as duplicates', async () => {
    const directory = temporaryDirectory('bulk');
    const first = join(directory, 'a.jsonl');
    const second = join(directory, 'b.jsonl');
    writeFileSync(first, `${[line('1'), line('2'), line('2', '2026-05-01T09:00:00.000Z')].join('\n')}\n`);
    writeFileSync(second, `${[line('2'), line('3')].join('\n')}\n`);
    const store = await openEventStore(join(directory, 'events.duckdb'));
    const settings = { now: NOW, maxFutureMs: 86_400_000 };
    expect(await store.bulkLoadSegmentFile('web', first, 32768, { files: 'a' }, settings)).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(await store.bulkLoadSegmentFile('web', second, 32768, { files: 'b' }, settings)).toMatchObject({ accepted: 1, duplicates: 1 });
    const rows = (await store.connection.runAndReadAll('SELECT message_id, epoch_ms(ts) FROM events ORDER BY message_id')).getRows();
    // Of the two copies of "2" in a.jsonl, the earlier event is kept (DEDUP_ORDER), as the staged path keeps it.
    expect(rows.map(([id, ts]) => [id, Number(ts)])).toEqual([['1', Date.parse('2026-05-01T10:00:00Z')], ['2', Date.parse('2026-05-01T09:00:00Z')], ['3', Date.parse('2026-05-01T10:00:00Z')]]);
    expect(Number((await store.connection.runAndReadAll('SELECT count(*) FROM pending_dedup')).getRows()[0]?.[0])).toBe(0);
    store.close();
  });

  it('finishes an interrupted duplicate removal when the store is opened again', async () => {
    const directory = temporaryDirectory('bulk');
    const path = join(directory, 'events.duckdb');
    const store = await openEventStore(path);
    store.close();
    // The state a crash between the load's COMMIT and its cleanup leaves behind.
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    for (const [seq, id] of [[1, 'x'], [2, 'x'], [2, 'y'], [2, 'y']] as const) {
      await connection.run(`INSERT INTO events VALUES ($1, hash($2), 'web', $2, 'track', 'e', 'u', NULL, NULL, NULL, 'u:u', epoch_ms(0), NULL, NULL, NULL, NULL, '{}', NULL, NULL, 'f', NULL)`, [seq, id]);
    }
    await connection.run('INSERT INTO pending_dedup VALUES (2)');
    connection.closeSync();
    instance.closeSync();
    const reopened = await openEventStore(path);
    const rows = (await reopened.connection.runAndReadAll('SELECT seq, message_id FROM events ORDER BY seq, message_id')).getRows();
    expect(rows.map(([seq, id]) => [Number(seq), id])).toEqual([[1, 'x'], [2, 'y']]);
    expect(Number((await reopened.connection.runAndReadAll('SELECT count(*) FROM pending_dedup')).getRows()[0]?.[0])).toBe(0);
    reopened.close();
  });
});
