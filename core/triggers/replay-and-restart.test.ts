import { describe, expect, it } from 'vitest';
import { InMemoryTriggerStateRepository } from './in-memory-trigger-state-repository.js';
import { DAY, MINUTE, T0, compile, engineFor, manualClock, profileLookup, track } from './trigger-fixtures.test-support.js';
import { MIXED_PROFILES, MIXED_TRIGGERS, inBatches, mixedHistory } from './mixed-history.test-support.js';
import { TriggerEngine } from './trigger-engine.js';
import type { TriggerCommit } from './trigger-state-repository.js';

describe('replays never fire twice', () => {
  it('drops events replayed with the same messageId, in the same batch or later', async () => {
    const { stream, end } = mixedHistory(11, 150);
    const { engine, repository } = engineFor(MIXED_TRIGGERS, { profiles: MIXED_PROFILES });
    for (const batch of inBatches(stream, 40)) await engine.processEvents([...batch, ...batch.slice(0, 5)]);
    // A source re-reads from an old checkpoint: the last half of the history again, in other batches.
    const before = repository.outbox.length;
    const replay = stream.slice(Math.floor(stream.length / 2));
    let duplicates = 0;
    const tooLate = new Set<string>();
    for (const batch of inBatches(replay, 333)) {
      const result = await engine.processEvents(batch);
      duplicates += result.duplicates;
      for (const hold of result.held) if (hold.reason === 'too_late') tooLate.add(hold.messageId as string);
    }
    // Remembered ids (the last day) are dropped as duplicates; older ones are behind the watermark: none is applied again.
    expect(duplicates).toBeGreaterThan(50);
    expect(duplicates + tooLate.size).toBe(replay.length);
    expect(repository.outbox).toHaveLength(before);
    await engine.advanceTo(end + 5 * DAY);
    const once = repository.outbox.length;
    expect(once).toBeGreaterThan(50);
    // Long after (the messageIds are forgotten): still nothing fires, the events are too late.
    const late = await engine.processEvents(stream.slice(0, 500));
    expect(late.actions).toHaveLength(0);
    expect(late.held.every((hold) => hold.reason === 'too_late')).toBe(true);
    await engine.advanceTo(end + 10 * DAY);
    expect(repository.outbox).toHaveLength(once);
  });

  it('yields the same action ids from two independent runs over the same history', async () => {
    const { stream, end } = mixedHistory(12, 100);
    const ids = async (size: number) => {
      const { engine, repository } = engineFor(MIXED_TRIGGERS, { profiles: MIXED_PROFILES });
      for (const batch of inBatches(stream, size)) await engine.processEvents(batch);
      await engine.advanceTo(end + 5 * DAY);
      return repository.outbox.map((action) => action.id).sort();
    };
    expect(await ids(25)).toEqual(await ids(1000));
  });

  it('processes a batch again after a failed commit with the same ids and nothing lost', async () => {
    const triggers = compile({ rules: [{ id: 'cart', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30m', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] }] });
    const repository = new InMemoryTriggerStateRepository({ clone: true });
    let failNext = false;
    const flaky = Object.assign(Object.create(repository) as InMemoryTriggerStateRepository, {
      commit(batch: TriggerCommit) {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('database is locked'));
        }
        return repository.commit(batch);
      },
    });
    const engine = new TriggerEngine({ triggers, repository: flaky, profiles: profileLookup(), now: () => T0 + DAY });
    await engine.processEvents([track('p1', 'Product Added', T0)]);
    failNext = true;
    await expect(engine.advanceTo(T0 + HOUR_AND_A_BIT)).rejects.toThrow('database is locked');
    expect(repository.outbox).toHaveLength(0);
    const retried = await engine.advanceTo(T0 + HOUR_AND_A_BIT);
    expect(retried.actions).toHaveLength(1);
    expect(repository.outbox).toHaveLength(1);
  });
});

const HOUR_AND_A_BIT = 70 * MINUTE;

describe('timers survive a restart', () => {
  it('fires 10k pending timers exactly once after a restart, each with its original due time', async () => {
    const triggers = compile({
      allowed_lateness: '1m',
      rules: [{ id: 'cart', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30m', key: 'cart_id', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] }],
    });
    const repository = new InMemoryTriggerStateRepository();
    const clock = manualClock(T0);
    const first = engineFor(triggers, { repository, clock }).engine;
    const events = Array.from({ length: 10_000 }, (_, index) => track(`p${index % 2_500}`, 'Product Added', T0 + index * 100, { cart_id: `c${index}` }));
    for (const batch of inBatches(events, 1_000)) await first.processEvents(batch);
    expect(repository.pendingTimers()).toHaveLength(10_000);

    // The process dies; a new one starts a day later on the same state.
    clock.set(T0 + DAY);
    const second = engineFor(triggers, { repository, clock }).engine;
    const result = await second.advanceTo(clock.now());
    expect(result.actions).toHaveLength(10_000);
    expect(new Set(result.actions.map((action) => action.id)).size).toBe(10_000);
    expect(result.actions.every((action) => action.dueAt === action.anchorAt + 30 * MINUTE && action.firedAt === T0 + DAY)).toBe(true);
    expect(repository.pendingTimers()).toHaveLength(0);

    const third = engineFor(triggers, { repository, clock }).engine;
    expect((await third.advanceTo(T0 + 2 * DAY)).actions).toHaveLength(0);
    expect(repository.outbox).toHaveLength(10_000);
  });
});
