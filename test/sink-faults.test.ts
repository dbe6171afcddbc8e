import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../core/store/state/open-state-store.js';
import { HARNESSES } from '../connectors/sinks/harnesses.js';
import { scenarioPopulation, scenarioSpec, type RunningSimulator } from '../core/sync/simulation/index.js';
import { STATE_DRIVERS } from './support/state-drivers.js';
import { syncOnce } from '../core/sync/simulation/sync-once.js';
import { expectVendorMatches } from './support/vendor-expectations.js';

/**
 * A bad day at the vendor: 10% of calls answer 5xx, a throttle storm at the
 * start, every token expires mid-run, 1% of records fail the vendor's
 * validation. The run must end with every good record applied, every
 * rejected one in the dead-letter queue with the vendor's reason, and
 * nothing applied twice (no duplicate records).
 */
const PROFILES = 3_000;

// Every vendor against every state driver: acknowledged state must behave the same on SQLite and PostgreSQL.
const CASES = STATE_DRIVERS.flatMap((driver) => HARNESSES.map((harness) => ({ driver, harness, name: `${harness.name} on ${driver.name}` })));

describe.each(CASES)('sink faults: $name', ({ driver, harness }) => {
  let simulator: RunningSimulator | undefined;
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it('5xx, a 429 storm, a token expiry and 1% rejections: good records applied, rejected ones dead-lettered with the reason', async () => {
    simulator = await harness.startSimulator({ seed: 5, limits: { requests: 400, intervalMs: 2_000, latencyMs: 5 } });
    const sink = harness.createSink(simulator.sinkConfig);
    const state = await openStateStore(driver.location(harness.name));
    const fields = harness.fields;
    const desired = scenarioPopulation(PROFILES, 0, fields);
    // A vendor that cannot refuse one record and say so (Segment answers a batch 200 and drops
    // bad events silently) gets no rejections: the dead-letter half of this test is skipped for it.
    const rejecting = harness.supports.perRecordRejection !== false;
    const rejected = new Set(rejecting ? desired.filter((_, index) => index % 100 === 37).map((record) => record.key) : []);
    simulator.view.setFaults({ serverErrorRate: 0.1, throttleUntil: Date.now() + 1_500, rejectKeys: rejected });
    const expiry = setTimeout(() => simulator?.view.expireTokens(), 1_000);

    const run = await syncOnce({ sink, state, desired, spec: scenarioSpec(fields), policy: { maxAttempts: 8 } });
    clearTimeout(expiry);
    const stats = simulator.view.stats();
    expect(stats.serverErrors).toBeGreaterThan(0);
    expect(stats.injectedThrottles).toBeGreaterThan(0);
    expect(run.result.stopped).toBeUndefined();
    expect(run.result.failed).toBe(0);

    // Every rejected record is dead-lettered once, with the vendor's reason; their memberships wait.
    const letters = await state.deadLetters.open();
    const rejectedProfiles = desired.filter((record) => rejected.has(record.key)).map((record) => record.profileId).sort();
    if (rejecting) expect(rejectedProfiles.length).toBeGreaterThan(0);
    expect(letters.map((letter) => letter.profileId).sort()).toEqual(rejectedProfiles);
    for (const letter of letters) {
      expect(letter.op).toBe('upsert');
      expect(letter.errorMessage.length).toBeGreaterThan(10);
      expect(letter.errorMessage).not.toMatch(/@example\.com/);
    }

    // Every good record is in the desired state, once.
    const good = desired.filter((record) => !rejected.has(record.key));
    expectVendorMatches(simulator.view, harness, good);
    expect(simulator.view.records().size).toBe(good.length);
    // Segment cannot say "created" (every identify creates or merges): count the upserts it took instead.
    if (harness.supports.reportsCreated === false) expect(run.result.byOp.upsert.applied).toBe(good.length);
    else expect(run.result.created).toBe(good.length);
    await sink.close?.();
    await state.close();
  });
});
