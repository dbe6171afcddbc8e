import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const event = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event: 'Product Viewed', messageId: id, userId: 'u1', timestamp: '2026-05-01T10:00:00Z', ...extra });

describe('bad input is quarantined with file, line and reason; nothing is lost', () => {
  it('rejects each bad row alone and reconciles read = accepted + quarantined + duplicates', async () => {
    const directory = temporaryDirectory('bad-input');
    const lines = [
      event('ok-1'),                                                       // 1 accepted
      '{"type": "track", "event": "Broken"',                               // 2 malformed JSON
      event('no-ids', { userId: undefined }),                              // 3 missing ids
      event('wrong-type', { userId: { nested: true } }),                   // 4 wrong type
      event('future', { timestamp: '2031-01-01T00:00:00Z' }),              // 5 far future
      event('huge', { properties: { blob: 'x'.repeat(5 * 1024 * 1024) } }), // 6 a 5 MB line
      event('ok-1'),                                                       // 7 duplicate of line 1
      '',                                                                  // 8 blank: not a record
      event('bad-props', { properties: ['not', 'an', 'object'] }),         // 9 wrong type
      event('ok-2', { properties: { revenue: '12.50' } }),                 // 10 accepted (numeric string)
    ];
    writeFileSync(join(directory, 'events.jsonl'), `${lines.join('\n')}\n`);
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [frequency]
segments:
  - id: everyone
    model: rules
    name: Everyone
    rule: frequency >= 0
`);
    const summary = await runMapping(mapping, join(directory, 'state'), () => NOW);
    expect(summary.events).toMatchObject({ read: 9, accepted: 2, quarantined: 6, duplicates: 1, storedTotal: 2 });
    expect(summary.events.read).toBe(summary.events.accepted + summary.events.quarantined + summary.events.duplicates);

    expect(summary.quarantineFile).not.toBeNull();
    const quarantined = readFileSync(summary.quarantineFile as string, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const file = join(directory, 'events.jsonl');
    expect(quarantined.map((row) => [row.source, row.file, row.line])).toEqual([2, 3, 4, 5, 6, 9].map((line) => ['web', file, line]));
    const reasons = quarantined.map((row) => String(row.reason));
    expect(reasons[0]).toMatch(/^malformed JSON/);
    expect(reasons[1]).toMatch(/missing identity/);
    expect(reasons[2]).toBe('"userId" must be a string, got object');
    expect(reasons[3]).toMatch(/days in the future/);
    expect(reasons[4]).toBe(`line is ${Buffer.byteLength(lines[5] as string)} bytes; the limit is 32768 (ingest.max_event_bytes)`);
    expect(reasons[5]).toBe('"properties" must be an object, got array');
    // No raw 5 MB sample is copied into the quarantine.
    expect(String(quarantined[4]?.sample).length).toBeLessThanOrEqual(200);

    const stored = await queryState(join(directory, 'state'), 'SELECT message_id, revenue FROM events ORDER BY message_id');
    expect(stored).toEqual([{ message_id: 'ok-1', revenue: null }, { message_id: 'ok-2', revenue: 12.5 }]);
  });

  it('reports a missing source file as a config error naming the path', async () => {
    const directory = temporaryDirectory('missing');
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: web
    type: segment-files
    path: nowhere/events.jsonl
features:
  include: [frequency]
segments:
  - id: rfm
    model: rfm
`);
    await expect(runMapping(mapping, join(directory, 'state'))).rejects.toThrow(/source "web": .*nowhere\/events.jsonl does not exist \(from path "nowhere\/events.jsonl"/);
  });
});
