import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignArm, type Arm } from '../core/analysis/experiments/index.js';
import type { RunSummary } from '../core/pipeline/run-pipeline.js';
import { createRng } from '../core/random/rng.js';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { formatAnalysis } from '../cli/output/analysis-table.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * A/B holdouts end to end (issue 12, part 5): a shop whose customers all
 * belong to one segment, a campaign from 1 May for 30 days with 20% held
 * out, and orders generated knowing each customer's arm (the same salted
 * hash segflow uses). With a planted lift the run's analysis finds it; with
 * none it does not. The arm reaches HubSpot as a property a campaign can
 * filter on, and stays put on the next run.
 */
const NOW = Date.parse('2026-06-10T00:00:00Z');
const CUSTOMERS = 2500;
const SALT = 'winback';
const HOLDOUT_SHARE = 0.2;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const DAY_MS = 86_400_000;

type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

/**
 * Every customer identifies in March; big spenders (a third) order more
 * often before and after start, which is what CUPED's pre-period revenue
 * captures. After 1 May a customer orders with probability `rate`, plus
 * `lift` when in treatment. The last event is on 5 June, so the window is complete.
 */
function writeShop(directory: string, seed: number, rates: { rate: number; lift: number }): Map<string, Arm> {
  const rng = createRng(seed);
  const lines: string[] = [];
  const arms = new Map<string, Arm>();
  const order = (user: string, at: number, revenue: number, index: number) => lines.push(JSON.stringify({
    type: 'track', messageId: `${user}-order-${index}`, userId: user, event: 'Order Completed', timestamp: new Date(at).toISOString(),
    properties: { order_id: `${user}-${index}`, revenue: Math.round(revenue * 100) / 100, currency: 'USD' },
  }));
  for (let index = 0; index < CUSTOMERS; index++) {
    const user = `customer-${index}`;
    const arm = assignArm(`u:${user}`, { salt: SALT, holdoutShare: HOLDOUT_SHARE });
    arms.set(`${user}@example.com`, arm);
    const spender = rng.chance(1 / 3);
    lines.push(JSON.stringify({ type: 'identify', messageId: `${user}-identify`, userId: user, timestamp: '2026-03-02T10:00:00Z', traits: { email: `${user}@example.com` } }));
    if (rng.chance(spender ? 0.6 : 0.2)) order(user, day('2026-04-01') + rng.next() * 29 * DAY_MS, (spender ? 120 : 40) + rng.next() * 40, 0);
    if (rng.chance((spender ? 1.5 : 0.75) * rates.rate + (arm === 'treatment' ? rates.lift : 0))) {
      order(user, day('2026-05-01') + rng.next() * 29 * DAY_MS, (spender ? 120 : 40) + rng.next() * 40, 1);
    }
  }
  lines.push(JSON.stringify({ type: 'track', messageId: 'last', userId: 'customer-0', event: 'Product Viewed', timestamp: '2026-06-05T12:00:00Z', properties: {} }));
  writeFileSync(join(directory, 'events.jsonl'), `${lines.join('\n')}\n`);
  return arms;
}

function mappingText(simulator: Simulator | undefined, laterExperiment = ''): string {
  return `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [frequency, monetary]
segments:
  - id: everyone
    model: rules
    name: Everyone
    rule: frequency >= 0
analysis:
  experiments:
    - id: winback
      segment: Everyone
      holdout_share: ${HOLDOUT_SHARE}
      start: "2026-05-01"
      window: 30d
      covariate: revenue
${laterExperiment}${simulator ? `sinks:
  - id: crm
    type: hubspot
${hubspotConnectionYaml(simulator)}
    properties:
      segflow_holdout_winback: { holdout: winback }
` : ''}`;
}

describe('an A/B holdout in the run summary and the sinks', () => {
  let simulator: Simulator;
  let arms: Map<string, Arm>;
  let first: RunSummary;
  let second: RunSummary;

  beforeAll(async () => {
    simulator = await startHubSpotSimulator({ seed: 21, limits: { requests: 1_000, intervalMs: 10_000 } });
    const directory = temporaryDirectory('experiment-lift');
    arms = writeShop(directory, 4, { rate: 0.12, lift: 0.1 });
    const file = writeMapping(directory, mappingText(simulator));
    const env = { ...process.env, ...hubspotSecrets(simulator) };
    first = await runMapping(file, join(directory, 'state'), () => NOW, env);
    second = await runMapping(file, join(directory, 'state'), () => NOW, env);
  }, 120_000);
  afterAll(async () => simulator?.stop());

  it('detects the planted lift: conversion and revenue intervals exclude 0, CUPED narrows the revenue interval', () => {
    const experiment = first.analysis?.experiments?.[0];
    expect(experiment).toMatchObject({ id: 'winback', status: 'measured', complete: true, daysObserved: 30, segmentIds: ['everyone'] });
    const held = [...arms.values()].filter((arm) => arm === 'holdout').length;
    expect(experiment?.members).toEqual({ treatment: CUSTOMERS - held, holdout: held });
    const uplift = experiment?.uplift;
    expect(uplift?.conversion.newcombe.low).toBeGreaterThan(0);
    expect(uplift?.conversion.p).toBeLessThan(1e-3);
    expect(uplift?.revenue.welch.low).toBeGreaterThan(0);
    expect(uplift?.revenue.bootstrap.low).toBeGreaterThan(0);
    expect(uplift?.sequential.pValue).toBeLessThan(0.05);
    const adjusted = uplift?.cuped?.revenue.test;
    expect((adjusted?.high as number) - (adjusted?.low as number)).toBeLessThan((uplift?.revenue.welch.high as number) - (uplift?.revenue.welch.low as number));
    expect(uplift?.sampleSize?.perArm).toBeGreaterThan(0);
    expect(formatAnalysis(first.analysis ?? {})).toMatch(/experiment winback .*\n\s+converted .*uplift \+\d+\.\d pts/);
  });

  it('gives every member its arm in HubSpot as segflow_holdout_winback, the same on the next run', () => {
    const records = simulator.view.records();
    expect(records.size).toBe(CUSTOMERS);
    for (const [email, arm] of arms) expect(records.get(email)?.properties.segflow_holdout_winback, email).toBe(arm);
    expect(second.sync?.[0]?.unchanged).toBe(CUSTOMERS);
    expect(second.sync?.[0]?.execution?.applied).toBe(0);
    expect(second.analysis?.experiments?.[0]?.uplift?.revenue.bootstrap).toEqual(first.analysis?.experiments?.[0]?.uplift?.revenue.bootstrap);
  });

  it('finds nothing when there is no lift', async () => {
    const directory = temporaryDirectory('experiment-null');
    writeShop(directory, 5, { rate: 0.15, lift: 0 });
    const later = `    - id: summer
      segment: everyone
      start: "2026-07-01"
`;
    const summary = await runMapping(writeMapping(directory, mappingText(undefined, later)), join(directory, 'state'), () => NOW);
    const uplift = summary.analysis?.experiments?.[0]?.uplift;
    expect(uplift?.conversion.p).toBeGreaterThan(0.05);
    expect(uplift?.conversion.newcombe.low).toBeLessThan(0);
    expect(uplift?.conversion.newcombe.high).toBeGreaterThan(0);
    expect(uplift?.revenue.welch.p).toBeGreaterThan(0.05);
    expect(uplift?.sequential.pValue).toBeGreaterThan(0.05);
    // A campaign starting after the data ends: its arms are already assigned (and synced), nothing is measured yet.
    const summer = summary.analysis?.experiments?.[1];
    expect(summer).toMatchObject({ id: 'summer', status: 'not-started', daysObserved: 0, complete: false, reason: 'the events end before 2026-07-01' });
    expect((summer?.members.treatment ?? 0) + (summer?.members.holdout ?? 0)).toBe(CUSTOMERS);
    expect(Math.abs((summer?.members.holdout ?? 0) / CUSTOMERS - 0.1)).toBeLessThan(0.02);
    expect(summer?.uplift).toBeUndefined();
    expect(formatAnalysis(summary.analysis ?? {})).toContain('experiment summer (everyone, 10.0% held out, from 2026-07-01 for 30d; day 0 of 30)');
  }, 60_000);
});
