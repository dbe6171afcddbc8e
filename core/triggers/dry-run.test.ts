import { describe, expect, it } from 'vitest';
import { dryRunTriggers, emptyDryRunReport, tally } from './dry-run.js';
import { DAY } from './trigger-fixtures.test-support.js';
import { engineFor } from './trigger-fixtures.test-support.js';
import { MIXED_PROFILES, MIXED_TRIGGERS, inBatches, mixedHistory } from './mixed-history.test-support.js';

describe('dry run over history', () => {
  it('reports the same counts and the same actions as a live run over the same history', async () => {
    const { stream, end } = mixedHistory(99, 300);
    const until = end + 5 * DAY;
    const batches = inBatches(stream, 50);

    const { engine, repository } = engineFor(MIXED_TRIGGERS, { profiles: MIXED_PROFILES });
    const live = emptyDryRunReport(MIXED_TRIGGERS);
    for (const batch of batches) tally(live, await engine.processEvents(batch));
    tally(live, await engine.advanceTo(until));

    const dry = await dryRunTriggers({ triggers: MIXED_TRIGGERS, profiles: MIXED_PROFILES, history: batches, until, now: () => Date.parse('2030-01-01T00:00:00Z') });

    expect(dry.would_fire).toBe(repository.outbox.length);
    expect(dry.would_fire).toBe(live.would_fire);
    expect(dry.held_by).toEqual(live.held_by);
    expect(dry.by_trigger).toEqual(live.by_trigger);
    // The history exercises every guard, so equality is not the trivial 0 = 0.
    expect(dry.would_fire).toBeGreaterThan(100);
    for (const reason of ['no_consent', 'suppressed', 'quiet_hours_deferred', 'frequency_cap', 'cooldown'] as const) expect(dry.held_by[reason] ?? 0).toBeGreaterThan(0);
    expect(dry.examples.fired).toHaveLength(5);
    expect(dry.examples.held.no_consent?.[0]).toMatchObject({ reason: 'no_consent' });
  });

  it('gives the same answer in one batch as in many (decisions are on event time, arrival order preserved)', async () => {
    const { stream, end } = mixedHistory(5, 120);
    const run = (size: number) => dryRunTriggers({ triggers: MIXED_TRIGGERS, profiles: MIXED_PROFILES, history: inBatches(stream, size), until: end + 5 * DAY, now: () => Date.parse('2030-01-01T00:00:00Z') });
    const [small, large] = await Promise.all([run(7), run(100_000)]);
    expect(small.held_by).toEqual(large.held_by);
    expect(small.would_fire).toBe(large.would_fire);
  });
});
