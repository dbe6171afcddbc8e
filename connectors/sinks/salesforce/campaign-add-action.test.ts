import { afterEach, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { ChangeResult, SinkAction } from '../../../core/sync/sink.js';
import { createSalesforceSink } from './salesforce-sink.js';
import { startSalesforceSimulator, type SalesforceSimulator } from './simulator/index.js';

const KIND = 'salesforce:campaign-add';
const CAMPAIGN = 'Win-back: abandoned cart';

let running: SalesforceSimulator | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function setup() {
  const sim = await startSalesforceSimulator({ seed: 9, limits: { latencyMs: 1 } });
  running = sim;
  const sink = createSalesforceSink({ type: 'salesforce', login_url: sim.url, client_id: sim.clientId, client_secret: sim.clientSecret, bulk_threshold: null });
  const context = recordingContext(Date.now, { concurrency: 10 });
  await sink.prepare({ properties: [], lists: [] }, context);
  const upserted = await sink.apply({ op: 'upsert', changes: [0, 1].map((index) => ({ op: 'upsert' as const, record: { profileId: `u:${index}`, key: `u:${index}` }, properties: {} })) }, context);
  const vendorIds = upserted.map((result) => (result.status === 'applied' ? result.vendorId : undefined));
  if (!sink.actions) throw new Error('the Salesforce sink has no actions');
  return { sim, actions: sink.actions, context, vendorIds };
}

const action = (index: number, vendorId?: string): SinkAction => ({
  id: `camp${String(index).padStart(18, '0')}`,
  kind: KIND,
  target: CAMPAIGN,
  record: { profileId: `u:${index}`, key: `u:${index}`, ...(vendorId ? { vendorId } : {}) },
  occurredAt: '2026-12-03T10:00:00.000Z',
  properties: {},
});
const statuses = (results: ChangeResult[]) => results.map((result) => (result.status === 'failed' ? `failed: ${result.error.code}` : result.status === 'skipped' ? `skipped: ${result.reason}` : result.status));

describe('Salesforce sink: campaign-add actions', () => {
  it('prepares the campaign by name once, adds the Contact (found by vendor id or external id), and a repeat is skipped', async () => {
    const { sim, actions, context, vendorIds } = await setup();
    await actions.prepare?.([{ kind: KIND, target: CAMPAIGN, fields: [] }], context);
    await actions.prepare?.([{ kind: KIND, target: CAMPAIGN, fields: [] }], context);
    expect(sim.view.stats().byRoute['sobjects.create']).toBe(1);

    const first = await actions.deliver([action(0, vendorIds[0]), action(1)], context);
    expect(statuses(first)).toEqual(['applied', 'applied']);
    expect(sim.view.listMembers(CAMPAIGN)).toEqual(new Set(['u:0', 'u:1']));
    // A retry after a lost answer meets the existing membership: no second row.
    expect(statuses(await actions.deliver([action(0, vendorIds[0])], context))).toEqual(['skipped: already a member']);
  });

  it('fails (retryable) an action whose person is not in Salesforce yet, without holding back the others', async () => {
    const { sim, actions, context } = await setup();
    const results = await actions.deliver([action(7), action(1)], context);
    expect(statuses(results)).toEqual(['failed: salesforce.person_missing', 'applied']);
    expect(results[0]?.status === 'failed' && results[0].error.kind).toBe('retryable');
    expect(sim.view.listMembers(CAMPAIGN)).toEqual(new Set(['u:1']));
  });
});
