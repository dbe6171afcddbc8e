import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';

import { openEventStore } from './event-store.js';

describe('message hashes', () => {
  it('recomputes every stored hash when the DuckDB that wrote them differs', async () => {
    const path = join(temporaryDirectory('hash'), 'events.duckdb');
    const store = await openEventStore(path);
    await store.connection.run(`INSERT INTO events VALUES (1, 42, 'web', 'm1', 'track', 'e', 'u', NULL, NULL, NULL, 'u:u', epoch_ms(0), NULL, NULL, NULL, NULL, '{}', NULL, NULL, 'f', NULL)`);
    // As if written by another DuckDB version, whose hash() differs.
    await store.connection.run("UPDATE store_meta SET value = 'duckdb-hash@v0.0.0' WHERE key = 'mid_hash'");
    store.close();
    const reopened = await openEventStore(path);
    const [[stored, expected]] = (await reopened.connection.runAndReadAll("SELECT mid_hash, hash('m1') FROM events")).getRows() as [[bigint, bigint]];
    expect(stored).toBe(expected);
    reopened.close();
  });
});
