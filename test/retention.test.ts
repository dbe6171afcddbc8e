import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVERYONE_SECTIONS, queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/** `privacy.retention.events`: what is older than the window (by the run's clock) leaves the store before anything is computed. */
describe('event retention', () => {
  it('deletes events older than the window at the start of each run, and says how many', async () => {
    const directory = temporaryDirectory('retention');
    const now = Date.parse('2026-06-01T00:00:00Z');
    const day = 86_400_000;
    const event = (user: string, daysAgo: number, index: number) => JSON.stringify({ type: 'track', event: 'Order Completed', userId: user, messageId: `${user}-${index}`, timestamp: new Date(now - daysAgo * day).toISOString(), properties: { revenue: 10 } });
    writeFileSync(join(directory, 'events.jsonl'), [event('old', 45, 1), event('old', 40, 2), event('both', 50, 1), event('both', 5, 2), event('new', 1, 1)].join('\n') + '\n');
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
${EVERYONE_SECTIONS}privacy:
  retention: { events: 30d }
`);
    const state = join(directory, 'state');
    const summary = await runMapping(mapping, state, () => now);
    expect(summary.retention).toEqual({ window: '30d', before: new Date(now - 30 * day).toISOString(), purged: 3 });
    expect(summary.events.storedTotal).toBe(2);
    expect(await queryState(state, "SELECT user_id, count(*)::INTEGER AS n FROM events GROUP BY 1 ORDER BY 1")).toEqual([{ user_id: 'both', n: 1 }, { user_id: 'new', n: 1 }]);
    // A profile with nothing left inside the window is not a profile any more.
    expect(summary.profiles).toBe(2);
    // Ten days later the 5-day-old event is still inside, the next run purges nothing more.
    const later = await runMapping(mapping, state, () => now + 10 * day);
    expect(later.retention?.purged).toBe(0);
  });
});
