import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryState, temporaryDirectory } from './support/run-mapping.js';
import { CANARY, occurrences, writeShop } from './forget-fixture.test-support.js';
import { segflowInProcess as segflow } from './support/in-process-cli.js';

/**
 * An erasure outlives the state directory: the suppression list is a file
 * beside the mapping (hashes only), so a run on a brand-new state (another
 * machine, `rm -rf .segflow`) drops the person's events at ingest, counts
 * them in the summary, and never quarantines them with their data; so does
 * a changed source file that brings them back.
 */
const identifiers = [CANARY.email, CANARY.userId, CANARY.anonymousId];

async function canaryEvents(state: string): Promise<unknown> {
  return queryState(state, `SELECT count(*)::INTEGER AS n FROM events WHERE user_id = '${CANARY.userId}' OR anonymous_id = '${CANARY.anonymousId}'`);
}

// Each test runs the real CLI several times (a tsx start each): room for a busy machine.
describe('an erased person stays erased, whatever the state directory', { timeout: 300_000 }, () => {
  it('drops their events on a fresh state and from a changed source file, and says so', async () => {
    const directory = temporaryDirectory('forget-lasting');
    const mapping = writeShop(directory);
    const first = join(directory, 'first');
    expect((await segflow(['run', mapping, '--state', first])).code).toBe(0);
    const forget = await segflow(['forget', mapping, '--state', first, '--email', CANARY.email]);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stderr).toContain(join(directory, 'segflow-suppressions.jsonl'));
    // No key in the environment: the hashes are salted, and forget says what that means.
    expect(forget.stderr).toMatch(/SEGFLOW_PII_KEY is not set/);
    const file = readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(file[0]).toMatchObject({ format: 'segflow-suppressions', scheme: 'sha256-salted' });
    // The email, the userId and the anonymousId, each once, with when and under which request.
    expect(file.slice(1)).toHaveLength(3);
    for (const entry of file.slice(1)) expect(entry).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string, erasedAt: expect.any(String) as string, requestId: expect.stringMatching(/^forget-/) as string });

    const fresh = join(directory, 'fresh');
    const run = await segflow(['run', mapping, '--state', fresh]);
    expect(run.code, run.stderr).toBe(0);
    // 8 events and the quarantined line with their userId: read, dropped, counted.
    expect(run.stdout).toMatch(/erased people: 9 record\(s\) of people on the suppression list dropped/);
    expect(run.stdout).not.toMatch(/DOES NOT RECONCILE/);
    expect(await canaryEvents(fresh)).toEqual([{ n: 0 }]);
    expect(await queryState(fresh, 'SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 120 }]);
    expect(occurrences(fresh, identifiers)).toEqual({});

    // The source file grows with new events of theirs (by userId only, by email only): dropped on the old state too.
    appendFileSync(join(directory, 'events.jsonl'), `${[
      JSON.stringify({ type: 'track', event: 'Order Completed', messageId: 'canary-back-1', userId: CANARY.userId, timestamp: '2026-05-20T10:00:00Z' }),
      JSON.stringify({ type: 'identify', messageId: 'canary-back-2', userId: 'new-login-1', traits: { email: `  ${CANARY.email.toUpperCase()}` }, timestamp: '2026-05-20T10:00:00Z' }),
      JSON.stringify({ type: 'track', event: 'Order Completed', messageId: 'someone-new', userId: 'user-new', timestamp: '2026-05-20T10:00:00Z' }),
    ].join('\n')}\n`);
    const changed = await segflow(['run', mapping, '--state', first]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toMatch(/erased people: 2 record\(s\)/);
    expect(await canaryEvents(first)).toEqual([{ n: 0 }]);
    expect(await queryState(first, "SELECT count(*)::INTEGER AS n FROM events WHERE user_id IN ('new-login-1', 'user-new')")).toEqual([{ n: 1 }]);
  });

  it('keys the hashes with SEGFLOW_PII_KEY, and refuses to run without the key rather than miss an erasure', async () => {
    const directory = temporaryDirectory('forget-keyed');
    const mapping = writeShop(directory);
    const state = join(directory, 'state');
    const keyed = { SEGFLOW_PII_KEY: 'test-key-0123456789abcdef' };
    expect((await segflow(['run', mapping, '--state', state], keyed)).code).toBe(0);
    const forget = await segflow(['forget', mapping, '--state', state, '--email', CANARY.email], keyed);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stderr).not.toMatch(/is not set/);
    const header = JSON.parse(readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    expect(header).toMatchObject({ scheme: 'hmac-sha256' });
    expect(header).not.toHaveProperty('salt');

    const fresh = join(directory, 'fresh');
    const withoutKey = await segflow(['run', mapping, '--state', fresh], { SEGFLOW_PII_KEY: '' });
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toMatch(/segflow-suppressions\.jsonl was written with a key: set SEGFLOW_PII_KEY/);
    const wrongKey = await segflow(['run', mapping, '--state', fresh], { SEGFLOW_PII_KEY: 'another-key' });
    expect(wrongKey.stderr).toMatch(/written with a different SEGFLOW_PII_KEY/);
    const right = await segflow(['run', mapping, '--state', fresh], keyed);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toMatch(/erased people: 9 record\(s\)/);
    expect(occurrences(fresh, [CANARY.email, CANARY.userId, CANARY.anonymousId])).toEqual({});
  });
});
