import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryState, temporaryDirectory } from './support/run-mapping.js';
import { CANARY, occurrences, writeShop } from './forget-fixture.test-support.js';
import { segflowInProcess as segflow } from './support/in-process-cli.js';

/**
 * Erasure is physical: after `segflow forget` the canary's email, userId and
 * anonymousId are in no byte of any file in the state directory (DuckDB and
 * its WAL, SQLite and its WAL, quarantine files), in any letter case or
 * JSON escaping. Queries returning nothing is not enough: deleted rows
 * linger in database pages until they are rewritten.
 */
// Each test runs the real CLI several times (a tsx start each): room for a busy machine.
describe('segflow forget removes the bytes, not just the rows', { timeout: 300_000 }, () => {
  it('leaves no trace of the person in any file of the state directory', async () => {
    const directory = temporaryDirectory('forget-physical');
    const state = join(directory, 'state');
    const mapping = writeShop(directory);
    const run = await segflow(['run', mapping, '--state', state]);
    expect(run.code, run.stderr).toBe(0);
    const identifiers = [CANARY.email, CANARY.userId, CANARY.anonymousId];
    const before = occurrences(state, identifiers);
    // The person is really there before (else the test proves nothing).
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['events.duckdb']));
    process.stdout.write(`canary bytes before forget: ${JSON.stringify(before)}\n`);

    const forget = await segflow(['forget', mapping, '--state', state, '--email', ` ${CANARY.email.toUpperCase()} `]);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stderr).toMatch(/erased 1 profile\(s\) and 8 event\(s\)/);
    const after = occurrences(state, identifiers);
    process.stdout.write(`canary bytes after forget: ${JSON.stringify(after)}\n`);
    expect(after).toEqual({});
    // The shared suppression file beside the mapping holds hashes only.
    expect(occurrences(directory, identifiers)).toEqual({ 'events.jsonl': expect.any(Number) as number });

    // The rewritten store still holds everyone else, and another run keeps the person gone.
    expect(await queryState(state, 'SELECT count(*)::INTEGER AS events, count(DISTINCT user_id)::INTEGER AS users FROM events')).toEqual([{ events: 120, users: 20 }]);
    const again = await segflow(['run', mapping, '--state', state]);
    expect(again.code, again.stderr).toBe(0);
    expect(occurrences(state, identifiers)).toEqual({});
    expect(await queryState(state, 'SELECT count(*)::INTEGER AS n FROM features')).toEqual([{ n: 20 }]);
  });
});
