import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStateStore } from '../core/store/state/open-state-store.js';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { postgresUrl } from './support/postgres-state.js';
import { runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * A whole run with operational state in PostgreSQL (SEGFLOW_STATE_URL), as
 * several workers would share it: identity, models, run history and sync
 * acknowledgements all land in the mapping's own schema, and a second run
 * finds everything in step.
 */
const NOW = Date.parse('2026-03-01T00:00:00Z');

describe('a run on PostgreSQL state', () => {
  it('ingests, segments and syncs; the next run sends nothing and the state is in segflow_<name>', async () => {
    const simulator = await startHubSpotSimulator({ seed: 12, limits: { requests: 1_000, intervalMs: 10_000 } });
    const name = `pg-run-${randomBytes(4).toString('hex')}`;
    const file = writeMapping(temporaryDirectory('pg-run'), `version: 1
name: ${name}
sources:
  - id: shop
    type: synthetic
    seed: 4
    users: 300
    start: "2025-09-01"
    days: 180
features:
  include: [recency_days, frequency, monetary, sessions_per_week]
segments:
  - id: rfm
    model: rfm
  - id: behavior
    model: kmeans
    features: [recency_days, frequency, monetary]
    k: 3
sinks:
  - id: crm
    type: hubspot
${hubspotConnectionYaml(simulator)}
    properties:
      segflow_rfm: { segment_of: rfm }
    lists:
      - segment: rfm/champions
`);
    const env = {
      ...process.env, SEGFLOW_STATE: '', SEGFLOW_STATE_URL: postgresUrl(), ...hubspotSecrets(simulator),
    };
    const first = await runMapping(file, undefined, () => NOW, env);
    const synced = first.sync?.[0];
    expect(synced?.error).toBeUndefined();
    expect(synced?.execution?.created).toBe(synced?.profiles);
    expect(first.models[0]?.segments).toHaveLength(3);

    const second = await runMapping(file, undefined, () => NOW, env);
    expect(second.events.stored).toBe(0);
    expect(second.models[0]?.segments.map((segment) => segment.status)).toEqual(['kept', 'kept', 'kept']);
    expect(second.sync?.[0]?.unchanged).toBe(synced?.profiles);
    expect(second.sync?.[0]?.execution?.applied).toBe(0);
    expect(simulator.view.records().size).toBe(synced?.profiles);
    await simulator.stop();

    const state = await openStateStore({ driver: 'postgres', url: postgresUrl(), schema: `segflow_${name.replace(/-/g, '_')}` });
    try {
      expect(await state.meta.get('workspace.mapping')).toBe(name);
      expect((await state.runs.recent(5)).map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
      expect((await state.identity.nodes()).length).toBeGreaterThan(300);
    } finally {
      await state.close();
    }
  });
});
