import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../core/store/state/open-state-store.js';
import { HARNESSES } from '../connectors/sinks/harnesses.js';
import { scenarioPopulation, scenarioSpec, type RunningSimulator } from '../core/sync/simulation/index.js';
import { STATE_DRIVERS } from './support/state-drivers.js';
import { syncOnce } from '../core/sync/simulation/sync-once.js';
import { expectVendorMatches } from './support/vendor-expectations.js';

/**
 * The contract every sink meets, run against each vendor's simulator with
 * the real client over HTTP: a first sync of 5k profiles (many calls per operation at every vendor's batch size) and a churned
 * re-sync leave the vendor exactly in the desired state, with no duplicate
 * record, and unchanged records cost no call. Limits are a higher tier than
 * the published default so the suite stays fast; pacing is the same code.
 */
const PROFILES = 5_000;

// Every vendor against every state driver: acknowledged state must behave the same on SQLite and PostgreSQL.
const CASES = STATE_DRIVERS.flatMap((driver) => HARNESSES.map((harness) => ({ driver, harness, name: `${harness.name} on ${driver.name}` })));

describe.each(CASES)('sink contract: $name', ({ driver, harness }) => {
  let simulator: RunningSimulator | undefined;
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it(`${PROFILES.toLocaleString('en-US')} profiles, then segment churn: the vendor equals the desired state after each sync`, async () => {
    simulator = await harness.startSimulator({ seed: 11, limits: { requests: 2_000, intervalMs: 10_000, latencyMs: 5 } });
    const sink = harness.createSink(simulator.sinkConfig);
    const state = await openStateStore(driver.location(harness.name));
    const fields = harness.fields;
    const spec = scenarioSpec(fields);

    const first = scenarioPopulation(PROFILES, 0, fields);
    const run1 = await syncOnce({ sink, state, desired: first, spec });
    expect(run1.result.stopped).toBeUndefined();
    expect(run1.result.deadLettered + run1.result.failed + run1.result.blocked).toBe(0);
    // Every profile reached the vendor as a new record; Segment's identify cannot say "created", only "taken".
    if (harness.supports.reportsCreated === false) expect(run1.result.byOp.upsert.applied).toBe(PROFILES);
    else expect(run1.result.created).toBe(PROFILES);
    expectVendorMatches(simulator.view, harness, first);

    const second = scenarioPopulation(PROFILES, 1, fields);
    const run2 = await syncOnce({ sink, state, desired: second, spec });
    expect(run2.result.deadLettered + run2.result.failed + run2.result.blocked).toBe(0);
    const kept = new Set(second.map((record) => record.key));
    const departed = first.filter((record) => !kept.has(record.key)).map((record) => record.key);
    expect(departed.length).toBeGreaterThan(100);
    expectVendorMatches(simulator.view, harness, second, departed);
    // Only the churn was sent: far fewer changes than a full re-sync.
    expect(run2.plan.unchanged).toBeGreaterThan(PROFILES * 0.8);
    expect(run2.plan.changes.length).toBeLessThan(run1.plan.changes.length / 3);

    const run3 = await syncOnce({ sink, state, desired: second, spec });
    expect(run3.plan.changes).toHaveLength(0);
    await sink.close?.();
    await state.close();
  });
});
