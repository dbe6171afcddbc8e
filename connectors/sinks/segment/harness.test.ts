import { afterEach, describe, expect, it } from 'vitest';
import { openStateDb } from '../../../core/store/state-db.js';
import type { RunningSimulator } from '../../../test/support/sink-harness.js';
import { syncOnce } from '../../../test/support/sync-once.js';
import { LIST_KEYS, listName, scenarioPopulation, scenarioSpec, type ScenarioFields } from '../../../test/support/sync-scenario.js';
import { expectVendorMatches } from '../../../test/support/vendor-expectations.js';
import { harness } from './harness.test-support.js';

/**
 * The Segment sink through the engine's own sync path (plan → prepare →
 * execute with the account queue and retry policy), as the shared contract
 * and fault suites run it, at a size that fits this folder's time budget.
 */
const FIELDS: ScenarioFields = { segments: 'segflow_segments', score: 'segflow_score' };
const PROFILES = 2_000;

let simulator: RunningSimulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

describe('Segment harness through the sync engine', () => {
  it('a first sync and a churned re-sync leave Segment in the desired state; departed profiles are cleared and leave every list', async () => {
    simulator = await harness.startSimulator({ seed: 11, limits: { requests: 2_000, intervalMs: 10_000, latencyMs: 5 } });
    const sink = harness.createSink({ ...simulator.sinkConfig, id: 'segment', mode: 'sync', sandbox: true });
    const state = openStateDb(':memory:');
    const spec = scenarioSpec(FIELDS);

    const first = scenarioPopulation(PROFILES, 0, FIELDS);
    const run1 = await syncOnce({ sink, state, desired: first, spec });
    expect(run1.result.stopped).toBeUndefined();
    expect(run1.result.deadLettered + run1.result.failed + run1.result.blocked).toBe(0);
    expect(run1.result.applied).toBe(run1.plan.changes.length);
    expectVendorMatches(simulator.view, harness, first);

    const second = scenarioPopulation(PROFILES, 1, FIELDS);
    const run2 = await syncOnce({ sink, state, desired: second, spec });
    expect(run2.result.deadLettered + run2.result.failed + run2.result.blocked).toBe(0);
    expectVendorMatches(simulator.view, harness, second);
    const kept = new Set(second.map((record) => record.key));
    const departed = first.filter((record) => !kept.has(record.key)).map((record) => record.key);
    expect(departed.length).toBeGreaterThan(20);
    const records = simulator.view.records();
    for (const key of departed) {
      expect(records.get(key)?.properties).toMatchObject({ [FIELDS.segments]: null, [FIELDS.score]: null });
      for (const list of LIST_KEYS) expect(simulator.view.listMembers(listName(list)).has(key)).toBe(false);
    }
    // Only the churn was sent, and a third sync sends nothing.
    expect(run2.plan.changes.length).toBeLessThan(run1.plan.changes.length / 3);
    expect((await syncOnce({ sink, state, desired: second, spec })).plan.changes).toHaveLength(0);
    expect(simulator.view.stats()).toMatchObject({ rateLimited: 0, serverErrors: 0 });
    await sink.close?.();
  });

  it('rides out a 429 storm and 10% server errors: the engine pauses and retries, nothing is lost', async () => {
    simulator = await harness.startSimulator({ seed: 5, limits: { requests: 2_000, intervalMs: 10_000, latencyMs: 5 } });
    const sink = harness.createSink(simulator.sinkConfig);
    const state = openStateDb(':memory:');
    const desired = scenarioPopulation(1_000, 0, FIELDS);
    simulator.view.setFaults({ serverErrorRate: 0.1, throttleUntil: Date.now() + 1_500 });

    const run = await syncOnce({ sink, state, desired, spec: scenarioSpec(FIELDS), policy: { maxAttempts: 8 } });
    const stats = simulator.view.stats();
    expect(stats.injectedThrottles).toBeGreaterThan(0);
    expect(stats.serverErrors).toBeGreaterThan(0);
    expect(run.result.throttled).toBeGreaterThan(0);
    expect(run.result.stopped).toBeUndefined();
    expect(run.result.failed + run.result.deadLettered).toBe(0);
    expectVendorMatches(simulator.view, harness, desired);
    await sink.close?.();
  });
});
