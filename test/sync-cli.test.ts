import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { queryState, temporaryDirectory, writeMapping } from './support/run-mapping.js';
import { segflow } from './support/segflow-cli.js';

/**
 * The sync commands a marketing-ops user runs, end to end against a HubSpot
 * simulator that outlives the runs (as a real account does): `run` syncs,
 * `plan` then shows nothing to do, a vendor rejection lands in the
 * dead-letter queue with its reason, `dlq list` shows it without the email,
 * `dlq retry` sends it once the cause is fixed.
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

describe('segflow run / plan / sync / dlq against a persistent vendor', () => {
  const directory = temporaryDirectory('sync-cli');
  const state = join(directory, 'state');
  let simulator: Simulator;
  let mapping: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    simulator = await startHubSpotSimulator({ seed: 4, limits: { requests: 1_000, intervalMs: 10_000 } });
    env = hubspotSecrets(simulator);
    mapping = writeMapping(directory, `version: 1
sources:
  - id: shop
    type: synthetic
    seed: 3
    users: 400
    start: "2025-09-01"
    days: 180
features:
  include: [recency_days, frequency, monetary]
segments:
  - id: rfm
    model: rfm
sinks:
  - id: crm
    type: hubspot
${hubspotConnectionYaml(simulator)}
    properties:
      segflow_rfm: { segment_of: rfm }
      segflow_monetary: { feature: monetary }
    lists:
      - segment: rfm/champions
`);
  });
  afterAll(async () => {
    await simulator.stop();
  });

  it('syncs on run, parks vendor rejections, plans nothing more, lists them masked, and retries them', async () => {
    // The vendor will refuse the first 40 simulated customers' emails (those that exist).
    const refused = new Set(Array.from({ length: 40 }, (_, index) => `user${index}@example.com`));
    simulator.view.setFaults({ rejectKeys: refused });
    const run = await segflow(['run', mapping, '--state', state], env);
    // Finished, with dead-lettered changes: exit 3, so cron and CI notice.
    expect(run.code, run.stderr).toBe(3);
    const applied = Number(/upsert\s+applied ([\d,]+)/.exec(run.stdout)?.[1]?.replace(/,/g, ''));
    const parked = Number(/dead-lettered ([\d,]+)/.exec(run.stdout)?.[1]?.replace(/,/g, ''));
    expect(parked).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/rejected by the vendor: segflow dlq list/);
    expect(simulator.view.records().size).toBe(applied);
    expect(simulator.view.listMembers('segflow: Champions').size).toBeGreaterThan(0);

    const plan = await segflow(['plan', mapping, '--state', state], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`parked in the dead-letter queue \\(not re-sent until changed or retried\\): ${parked}`));
    expect(plan.stdout).toMatch(/nothing to change/);

    const list = await segflow(['dlq', 'list', mapping, '--state', state], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${parked} change\\(s\\) parked`));
    expect(list.stdout).toMatch(/hubspot\.INVALID_EMAIL|INVALID_EMAIL/);
    expect(list.stdout).not.toMatch(/user\d+@example\.com/);

    simulator.view.setFaults({});
    const retry = await segflow(['dlq', 'retry', mapping, '--state', state], env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(new RegExp(`upsert\\s+applied ${parked},`));
    expect(simulator.view.records().size).toBe(applied + parked);
    const after = await segflow(['dlq', 'list', mapping, '--state', state], env);
    expect(after.stdout).toMatch(/the dead-letter queue is empty/);
    const quiet = await segflow(['plan', mapping, '--state', state], env);
    expect(quiet.stdout).toMatch(/nothing to change/);
    expect(quiet.stdout).not.toMatch(/parked/);
  });

  it('forget deletes a customer from the vendor, and no later run brings them back', async () => {
    const email = [...simulator.view.records().keys()].sort()[5]!;
    const before = simulator.view.records().size;
    const forget = await segflow(['forget', mapping, '--state', state, '--email', email.toUpperCase()], env);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stdout).toMatch(/delete\s+applied 1,/);
    expect(forget.stderr).toMatch(/erased 1 profile\(s\) and [\d,]+ event\(s\)/);
    const left = await queryState(state, `SELECT count(*)::INTEGER AS n FROM events WHERE lower(json_extract_string(traits, '$.email')) = '${email}'`);
    expect(left).toEqual([{ n: 0 }]);
    expect(simulator.view.records().has(email)).toBe(false);
    expect(simulator.view.records().size).toBe(before - 1);

    const again = await segflow(['run', mapping, '--state', state], env);
    expect(again.code, again.stderr).toBe(0);
    expect(simulator.view.records().has(email)).toBe(false);
    expect(simulator.view.records().size).toBe(before - 1);
  });
});
