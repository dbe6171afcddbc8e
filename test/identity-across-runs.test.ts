import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
let counter = 0;
const message = (fields: Record<string, unknown>) =>
  JSON.stringify({ messageId: `m${++counter}`, timestamp: '2026-05-01T10:00:00Z', ...fields });
const order = (userId: string, revenue: number) => message({ type: 'track', event: 'Order Completed', userId, properties: { order_id: `o${counter}`, revenue } });

describe('identity across runs', () => {
  it('a later login and a later alias re-attribute earlier events, and the merge is recorded', async () => {
    const directory = temporaryDirectory('identity');
    const file = join(directory, 'events.jsonl');
    writeFileSync(file, `${[
      message({ type: 'track', event: 'Product Viewed', anonymousId: 'cookie-1' }),
      message({ type: 'track', event: 'Product Viewed', anonymousId: 'cookie-1' }),
      order('old-id', 30),
      message({ type: 'track', event: 'Product Viewed', anonymousId: 'kiosk', userId: 'someone-else' }),
    ].join('\n')}\n`);
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  as_of: "2026-06-01"
  include: [events, frequency, monetary]
segments:
  - id: buyers
    model: rules
    name: Buyers
    rule: frequency > 0
`);
    const state = join(directory, 'state');
    await runMapping(mapping, state, () => NOW);
    expect((await queryState(state, 'SELECT profile_id, events FROM features ORDER BY profile_id')).map((row) => [row.profile_id, row.events]))
      .toEqual([['a:cookie-1', 2], ['u:old-id', 1], ['u:someone-else', 1]]);

    // Second run: the cookie logs in as new-id, new-id aliases old-id, and
    // the alias call comes from the shared kiosk (which must not fuse someone-else).
    appendFileSync(file, `${[
      message({ type: 'identify', anonymousId: 'cookie-1', userId: 'new-id', traits: { email: 'n@example.com' } }),
      message({ type: 'alias', userId: 'new-id', previousId: 'old-id', anonymousId: 'kiosk' }),
      order('new-id', 12.5),
    ].join('\n')}\n`);
    const second = await runMapping(mapping, state, () => NOW);
    expect(second.events.read).toBe(3);
    const rows = await queryState(state, 'SELECT profile_id, events, frequency, monetary FROM features ORDER BY profile_id');
    expect(rows.map((row) => [row.profile_id, row.events, row.frequency, row.monetary])).toEqual([
      ['u:new-id', 6, 2, 42.5],
      ['u:someone-else', 1, 0, 0],
    ]);
    expect(second.identity.merges).toBe(2); // a:cookie-1 → u:new-id, u:old-id → u:new-id
  });
});
