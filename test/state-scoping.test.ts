import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../core/pipeline/run-pipeline.js';
import { openWorkspace, syncJob } from '../core/runtime/index.js';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { SANDBOXES } from '../connectors/sandbox.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The two ways state used to mix (issue 8): two mappings in one folder
 * sharing `.segflow/`, and a sandbox rehearsal making a real account look
 * "in step". Both run as a new user would: default state locations, the
 * same sink id pointed somewhere else.
 */
const NOW = Date.parse('2026-03-01T00:00:00Z');
const env = { ...process.env, SEGFLOW_STATE: '' };
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

function shop(seed: number, users: number, sink = ''): string {
  return `version: 1
sources:
  - id: shop
    type: synthetic
    seed: ${seed}
    users: ${users}
    start: "2025-09-01"
    days: 180
features:
  include: [recency_days, frequency, monetary]
segments:
  - id: rfm
    model: rfm
${sink}`;
}

async function openCrm(file: string, simulator: Simulator) {
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error('mapping');
  return openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors({ sandboxes: SANDBOXES }), env: { ...env, ...hubspotSecrets(simulator) }, now: () => NOW });
}

function hubspotSink(simulator: Simulator | undefined): string {
  const target = simulator ? hubspotConnectionYaml(simulator) : '    sandbox: true';
  return `sinks:
  - id: crm
    type: hubspot
${target}
    properties:
      segflow_rfm: { segment_of: rfm }
    lists:
      - segment: rfm/champions
`;
}

const comparable = (summary: RunSummary) => ({
  asOf: summary.asOf, profiles: summary.profiles, events: summary.events, identity: summary.identity,
  segments: summary.segments.map((segment) => [segment.id, segment.size]),
});

describe('state belongs to one mapping', () => {
  it('a second mapping in the same folder runs exactly as on fresh state', async () => {
    const folder = temporaryDirectory('two-mappings');
    const first = writeMapping(folder, shop(3, 300), 'shop.yaml');
    const second = writeMapping(folder, shop(9, 120), 'promo.yaml');
    await runMapping(first, undefined, () => NOW, env);
    const shared = await runMapping(second, undefined, () => NOW, env);
    expect(shared.stateDir).toBe(join(folder, '.segflow', 'promo'));
    expect(existsSync(join(folder, '.segflow', 'shop', 'events.duckdb'))).toBe(true);

    const alone = await runMapping(writeMapping(temporaryDirectory('fresh-mapping'), shop(9, 120), 'promo.yaml'), undefined, () => NOW, env);
    expect(comparable(shared)).toEqual(comparable(alone));
  });

  it('refuses another mapping\'s state directory, saying what to do', async () => {
    const folder = temporaryDirectory('foreign-state');
    const state = join(folder, 'state');
    await runMapping(writeMapping(folder, shop(3, 50), 'shop.yaml'), state, () => NOW, env);
    await expect(runMapping(writeMapping(folder, shop(3, 50), 'promo.yaml'), state, () => NOW, env))
      .rejects.toThrow(/belongs to mapping "shop", not to "promo": give this mapping its own state/);
  });
});

describe('sync state belongs to the vendor account', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startHubSpotSimulator({ seed: 8, limits: { requests: 1_000, intervalMs: 10_000 } });
  });
  afterAll(async () => {
    await simulator.stop();
  });

  it('after a sandbox rehearsal, the same sink pointed at a real (empty) account creates every record there', async () => {
    const folder = temporaryDirectory('sandbox-then-real');
    const file = writeMapping(folder, shop(5, 400, hubspotSink(undefined)), 'crm.yaml');
    const rehearsal = await runMapping(file, undefined, () => NOW, env);
    const rehearsed = rehearsal.sync?.[0];
    expect(rehearsed?.execution?.created).toBeGreaterThan(100);

    writeMapping(folder, shop(5, 400, hubspotSink(simulator)), 'crm.yaml');
    const loaded = loadMapping(file);
    if (!loaded.ok) throw new Error('mapping');
    const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors({ sandboxes: SANDBOXES }), env: { ...env, ...hubspotSecrets(simulator) }, now: () => NOW });
    try {
      const plan = (await syncJob(workspace, { dryRun: true, signal: new AbortController().signal })).sinks[0];
      expect(plan?.newAccount).toBe(true);
      expect(plan?.unchanged).toBe(0);
      expect(plan?.planned.upsert).toBe(rehearsed?.profiles);
      const real = (await syncJob(workspace, { dryRun: false, signal: new AbortController().signal })).sinks[0];
      expect(real?.error).toBeUndefined();
      expect(real?.execution?.created).toBe(rehearsed?.profiles);
      expect(real?.execution?.deadLettered).toBe(0);
      expect(real?.execution?.byOp['list-add'].applied).toBe(rehearsed?.execution?.byOp['list-add'].applied);
      expect(simulator.view.records().size).toBe(rehearsed?.profiles);
      expect(simulator.view.listMembers('segflow: Champions').size).toBe(rehearsed?.execution?.byOp['list-add'].applied);
      const again = (await syncJob(workspace, { dryRun: true, signal: new AbortController().signal })).sinks[0];
      expect(again?.newAccount).toBeUndefined();
      expect(again?.unchanged).toBe(rehearsed?.profiles);
    } finally {
      await workspace.close();
    }
  });

  it('a sink moved to another real account fills that one, and the first keeps its own state', async () => {
    const other = await startHubSpotSimulator({ seed: 9, limits: { requests: 1_000, intervalMs: 10_000 } });
    try {
      const folder = temporaryDirectory('two-accounts');
      const file = writeMapping(folder, shop(6, 300, hubspotSink(simulator)), 'crm.yaml');
      const first = await openCrm(file, simulator);
      const firstRun = await runMapping(file, undefined, () => NOW, first.env);
      await first.close();
      // The first account already holds the previous test's records (the same emails): they are upserted, not created.
      const inFirst = firstRun.sync?.[0]?.execution?.byOp.upsert.applied ?? 0;
      expect(inFirst).toBeGreaterThan(50);

      writeMapping(folder, shop(6, 300, hubspotSink(other)), 'crm.yaml');
      const second = await openCrm(file, other);
      try {
        const moved = (await syncJob(second, { dryRun: false, signal: new AbortController().signal })).sinks[0];
        expect(moved?.account).toMatch(/^hubspot:.*:portal-\d+$/);
        expect(moved?.execution?.created).toBe(inFirst);
        expect(other.view.records().size).toBe(inFirst);
      } finally {
        await second.close();
      }

      writeMapping(folder, shop(6, 300, hubspotSink(simulator)), 'crm.yaml');
      const back = await openCrm(file, simulator);
      try {
        const plan = (await syncJob(back, { dryRun: true, signal: new AbortController().signal })).sinks[0];
        expect(plan?.newAccount).toBeUndefined();
        expect(plan?.unchanged).toBe(inFirst);
        expect(plan?.planned.upsert).toBe(0);
      } finally {
        await back.close();
      }
    } finally {
      await other.stop();
    }
  });
});
