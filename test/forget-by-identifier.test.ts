import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryState, temporaryDirectory } from './support/run-mapping.js';
import { segflowInProcess } from './support/in-process-cli.js';
import { CANARY, occurrences, spellings, writeShop } from './forget-fixture.test-support.js';

/**
 * `segflow forget --user-id` and `--anonymous-id`: the request names one
 * identifier, the identity graph names the person, and every identifier of
 * theirs (userId, anonymousId, e-mail) is erased and suppressed. The report
 * says what was found and deleted without printing any of them; an
 * identifier nobody carries is still suppressed, and the report says so.
 */
const identifiers = [CANARY.email, CANARY.userId, CANARY.anonymousId];

function suppressionLines(directory: string): Array<Record<string, unknown>> {
  return readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectNoRawIdentifier(text: string, values: readonly string[]): void {
  for (const value of values) for (const form of spellings(value)) expect(text).not.toContain(form);
}

describe('segflow forget by userId or anonymousId', { timeout: 60_000 }, () => {
  for (const [flag, value] of [['--user-id', CANARY.userId], ['--anonymous-id', CANARY.anonymousId]] as const) {
    it(`${flag} erases and suppresses every identifier the identity graph links to it`, async () => {
      const directory = temporaryDirectory('forget-by-id');
      const mapping = writeShop(directory);
      const state = join(directory, 'state');
      expect((await segflowInProcess(['run', mapping, '--state', state])).code).toBe(0);

      const forget = await segflowInProcess(['forget', mapping, '--state', state, flag, value]);
      expect(forget.code, forget.stderr).toBe(0);
      expect(forget.stderr).toMatch(/resolved through the identity graph to 1 profile\(s\) seen by 1 userId\(s\), 1 anonymousId\(s\) and 1 e-mail\(s\): all suppressed/);
      expect(forget.stderr).toMatch(/erased 1 profile\(s\) and 8 event\(s\) from the local stores, and 1 quarantined row\(s\)/);
      expect(forget.stderr).toMatch(new RegExp(`for ${flag === '--user-id' ? 'userId' : 'anonymousId'}#[0-9a-f]{12} in `));
      expectNoRawIdentifier(forget.stdout + forget.stderr, identifiers);
      // The e-mail, the userId and the anonymousId, each once: the e-mail was found through the graph.
      expect(suppressionLines(directory)).toHaveLength(3);
      expect(occurrences(state, identifiers)).toEqual({});
      expect(await queryState(state, 'SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 120 }]);

      // A fresh state drops everything of theirs at ingest, the page seen only by anonymousId and e-mail included.
      const fresh = join(directory, 'fresh');
      const run = await segflowInProcess(['run', mapping, '--state', fresh]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/erased people: 9 record\(s\)/);
      expect(occurrences(fresh, identifiers)).toEqual({});
    });
  }

  it('suppresses an identifier nobody carries yet, says so, and drops its later events', async () => {
    const directory = temporaryDirectory('forget-by-id-nobody');
    const mapping = writeShop(directory);
    const state = join(directory, 'state');
    expect((await segflowInProcess(['run', mapping, '--state', state])).code).toBe(0);
    const stranger = 'stranger-user-4410';

    const forget = await segflowInProcess(['forget', mapping, '--state', state, '--user-id', stranger]);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stderr).toMatch(/no profile carries userId#[0-9a-f]{12}: nothing stored to erase; the suppression is recorded, so its future events are dropped at ingest and never synced/);
    expectNoRawIdentifier(forget.stderr, [stranger]);
    expect(suppressionLines(directory)).toHaveLength(1);
    expect(await queryState(state, 'SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 128 }]);

    appendFileSync(join(directory, 'events.jsonl'), `${JSON.stringify({ type: 'track', event: 'Order Completed', messageId: 'stranger-1', userId: stranger, timestamp: '2026-05-20T10:00:00Z' })}\n`);
    const run = await segflowInProcess(['run', mapping, '--state', state]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/erased people: 1 record\(s\)/);
    expect(occurrences(state, [stranger])).toEqual({});
  });

  it('refuses two identifiers in one request', async () => {
    const directory = temporaryDirectory('forget-by-id-two');
    const mapping = writeShop(directory);
    const both = await segflowInProcess(['forget', mapping, '--state', join(directory, 'state'), '--user-id', 'a', '--anonymous-id', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with option '--user-id/);
  });
});
