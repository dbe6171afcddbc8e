import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { queryState, temporaryDirectory } from './support/run-mapping.js';
import { CANARY, occurrences, writeShop } from './forget-fixture.test-support.js';
import { segflowInProcess as segflow } from './support/in-process-cli.js';

/**
 * Erasure across sinks, through the CLI (its parsing, commands and error
 * reporting, in this process: a tsx start per call was most of this file's
 * minute) against two HubSpot accounts
 * (simulators that outlive the runs, as real accounts do). forget checks
 * every sink's credentials before touching anything; `--local-only`
 * erases locally and records the vendor deletions as pending; `--resume`
 * (or the next run) sends them; forget exits non-zero while anything is
 * pending and says, per sink, what is done and what is not.
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

const canaryKey = CANARY.email.toLowerCase();

function sinkYaml(id: string, simulator: Simulator, tokenVariable: string): string {
  return `  - id: ${id}
    type: hubspot
${hubspotConnectionYaml(simulator).replace('TEST_HUBSPOT_TOKEN', tokenVariable)}
    properties:
      segflow_monetary: { feature: monetary }
    lists:
      - segment: all
`;
}

// Each test runs the real CLI several times (a tsx start each): room for a busy machine.
describe('segflow forget across sinks', { timeout: 300_000 }, () => {
  const directory = temporaryDirectory('forget-sinks');
  let first: Simulator;
  let second: Simulator;
  let mapping: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [first, second] = await Promise.all([startHubSpotSimulator({ seed: 1 }), startHubSpotSimulator({ seed: 2 })]);
    env = { ...hubspotSecrets(first), TEST_SECOND_TOKEN: hubspotSecrets(second).TEST_HUBSPOT_TOKEN ?? '' };
    // Both accounts' refresh token and client secret are the simulators' fixed test values.
    mapping = writeShop(directory, `sinks:\n${sinkYaml('crm', first, 'TEST_HUBSPOT_TOKEN')}${sinkYaml('crm_eu', second, 'TEST_SECOND_TOKEN')}`);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('refuses before touching anything, erases locally with --local-only, and finishes the vendors on --resume', async () => {
    const state = join(directory, 'state');
    const other = join(directory, 'other-machine');
    const run = await segflow(['run', mapping, '--state', state], env);
    expect(run.code, run.stderr).toBe(0);
    // Another machine synced the same people to the same accounts before the erasure.
    expect((await segflow(['run', mapping, '--state', other], env)).code).toBe(0);
    expect(first.view.records().has(canaryKey)).toBe(true);
    expect(second.view.records().has(canaryKey)).toBe(true);

    const { TEST_SECOND_TOKEN: _missing, ...withoutSecond } = env;
    const refused = await segflow(['forget', mapping, '--state', state, '--email', CANARY.email], { ...withoutSecond, TEST_SECOND_TOKEN: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/forget: nothing was erased, because a sink cannot be reached/);
    expect(refused.stderr).toMatch(/sink "crm_eu" \(hubspot\): .*TEST_SECOND_TOKEN/);
    expect(refused.stderr).not.toMatch(/sink "crm" /);
    expect(refused.stderr).toMatch(/--local-only/);
    expect(refused.stderr).not.toContain(canaryKey);
    // Nothing was touched: no suppression, the data and both vendor records are still there.
    expect(existsSync(join(directory, 'segflow-suppressions.jsonl'))).toBe(false);
    expect(await queryState(state, `SELECT count(*)::INTEGER AS n FROM events WHERE user_id = '${CANARY.userId}'`)).toEqual([{ n: 7 }]);
    expect(first.view.records().has(canaryKey) && second.view.records().has(canaryKey)).toBe(true);

    const local = await segflow(['forget', mapping, '--state', state, '--email', CANARY.email, '--local-only'], { ...withoutSecond, TEST_SECOND_TOKEN: '' });
    expect(local.code, local.stderr).toBe(3);
    expect(local.stderr).toMatch(/erased 1 profile\(s\) and 8 event\(s\) from the local stores/);
    expect(local.stderr).toMatch(/still pending: sink "crm" owes 1 erasure\(s\), sink "crm_eu" owes 1 erasure\(s\)/);
    // Events, identity, quarantine: gone. Only what each account acknowledged (the key its pending delete is sent by) stays in the state.
    expect(Object.keys(occurrences(state, [CANARY.email, CANARY.userId, CANARY.anonymousId]))).toEqual(['state.sqlite']);
    // Nothing was sent: the vendors still hold the person, as the summary says.
    expect(first.view.records().has(canaryKey) && second.view.records().has(canaryKey)).toBe(true);

    const stillMissing = await segflow(['forget', mapping, '--state', state, '--resume'], { ...withoutSecond, TEST_SECOND_TOKEN: '' });
    expect(stillMissing.code).toBe(1);
    expect(stillMissing.stderr).toMatch(/sink "crm_eu"/);

    const resumed = await segflow(['forget', mapping, '--state', state, '--resume'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/sink "crm" \(hubspot\): done, 1 record\(s\) deleted/);
    expect(resumed.stderr).toMatch(/sink "crm_eu" \(hubspot\): done, 1 record\(s\) deleted/);
    expect(resumed.stderr).not.toMatch(/pending/i);
    expect(occurrences(state, [CANARY.email, CANARY.userId, CANARY.anonymousId])).toEqual({});
    expect(first.view.records().has(canaryKey)).toBe(false);
    expect(second.view.records().has(canaryKey)).toBe(false);
    const others = first.view.records().size;

    // The other machine's state still has them, and it never heard of the erasure: the shared file stops the sync.
    const elsewhere = await segflow(['run', mapping, '--state', other], env);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(first.view.records().has(canaryKey)).toBe(false);
    expect(second.view.records().has(canaryKey)).toBe(false);
    // A brand-new state drops them at ingest and syncs everybody else.
    const fresh = await segflow(['run', mapping, '--state', join(directory, 'fresh')], env);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/erased people: 9 record\(s\)/);
    expect(first.view.records().has(canaryKey)).toBe(false);
    expect(first.view.records().size).toBe(others);
    expect(first.view.listMembers('segflow: Everyone').has(canaryKey)).toBe(false);
  });

  it('lets the next run send what --local-only left pending, and a repeated forget changes nothing', async () => {
    // An account of its own: the first test's erasure is not in this mapping's suppression file.
    const vendor = await startHubSpotSimulator({ seed: 3 });
    onTestFinished(() => vendor.stop());
    const env = hubspotSecrets(vendor);
    const elsewhere = temporaryDirectory('forget-sinks-run');
    const file = writeShop(elsewhere, `sinks:\n${sinkYaml('crm', vendor, 'TEST_HUBSPOT_TOKEN')}`);
    const state = join(elsewhere, 'state');
    expect((await segflow(['run', file, '--state', state], env)).code).toBe(0);
    expect(vendor.view.records().has(canaryKey)).toBe(true);
    const local = await segflow(['forget', file, '--state', state, '--email', CANARY.email, '--local-only'], env);
    expect(local.code, local.stderr).toBe(3);
    expect(vendor.view.records().has(canaryKey)).toBe(true);

    const run = await segflow(['run', file, '--state', state], env);
    expect(run.code, run.stderr).toBe(0);
    expect(vendor.view.records().has(canaryKey)).toBe(false);
    const settled = await segflow(['forget', file, '--state', state, '--resume'], env);
    expect(settled.code, settled.stderr).toBe(0);
    expect(settled.stderr).not.toMatch(/pending/i);

    const again = await segflow(['forget', file, '--state', state, '--email', CANARY.email], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already on the suppression list/);
    expect(again.stderr).toMatch(/erased 0 profile\(s\) and 0 event\(s\)/);
    expect(occurrences(state, [CANARY.email, CANARY.userId, CANARY.anonymousId])).toEqual({});
  });

  it('removes the dead letters of a person the vendor refused', async () => {
    const vendor = await startHubSpotSimulator({ seed: 4 });
    onTestFinished(() => vendor.stop());
    const env = hubspotSecrets(vendor);
    const elsewhere = temporaryDirectory('forget-sinks-dlq');
    const file = writeShop(elsewhere, `sinks:\n${sinkYaml('crm', vendor, 'TEST_HUBSPOT_TOKEN')}`);
    const state = join(elsewhere, 'state');
    vendor.view.setFaults({ rejectKeys: new Set([canaryKey]) });
    const run = await segflow(['run', file, '--state', state], env);
    expect(run.code, run.stderr).toBe(3);
    expect((await segflow(['dlq', 'list', file, '--state', state], env)).stdout).toMatch(/1 change\(s\) parked/);
    vendor.view.setFaults({});

    const forget = await segflow(['forget', file, '--state', state, '--email', CANARY.email], env);
    expect(forget.code, forget.stderr).toBe(0);
    expect((await segflow(['dlq', 'list', file, '--state', state], env)).stdout).toMatch(/the dead-letter queue is empty/);
    expect(vendor.view.records().has(canaryKey)).toBe(false);
    expect(occurrences(state, [CANARY.email, CANARY.userId, CANARY.anonymousId])).toEqual({});
  });
});
