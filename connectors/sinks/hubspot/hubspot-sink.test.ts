import { afterEach, describe, expect, it } from 'vitest';
import { AccountQueue } from '../../../core/sync/delivery/account-queue.js';
import type { ChangeResult, PropertyValue, Sink, SinkChange, SinkContext, SinkRecordRef, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { harness } from './harness.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { HubSpotSimulator } from './simulator/hubspot-simulator.js';

/** The sink end to end: the real SDK over HTTP against the simulator. */
let simulator: HubSpotSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

const SPEC: SinkSchemaSpec = {
  properties: [
    { name: 'segflow_segments', label: 'Segments', type: 'enumeration', multiple: true, options: ['High Value', 'Churn Risk'] },
    { name: 'segflow_tier', label: 'Tier', type: 'enumeration', options: ['Gold', 'Silver'] },
    { name: 'segflow_score', label: 'Score', type: 'number' },
    { name: 'segflow_vip', label: 'VIP', type: 'bool' },
    { name: 'segflow_last_seen', label: 'Last seen', type: 'datetime' },
  ],
  lists: [
    { key: 'vip', name: 'segflow: VIP' },
    { key: 'churn', name: 'segflow: Churn risk' },
  ],
};

async function setUp(config: Record<string, unknown> = {}): Promise<{ sim: HubSpotSimulator; sink: Sink; context: ReturnType<typeof recordingContext> }> {
  simulator = (await harness.startSimulator({ seed: 11, limits: { requests: 10_000 } })) as HubSpotSimulator;
  const sink = harness.createSink({ ...simulator.sinkConfig, ...config, id: 'crm', mode: 'sync' });
  const context = recordingContext();
  await sink.prepare(SPEC, context);
  return { sim: simulator, sink, context };
}

const person = (index: number, vendorId?: string): SinkRecordRef => ({ profileId: `u:${index}`, key: `person${index}@example.com`, ...(vendorId ? { vendorId } : {}) });
const upsert = (index: number, properties: Record<string, PropertyValue> = {}): SinkChange => ({ op: 'upsert', record: person(index), properties });

/** Sends changes the way the executor does: batches of maxBatch, all at once, through one queue. */
async function applyAll(sink: Sink, op: SinkChange['op'], changes: SinkChange[], context: SinkContext, list?: string): Promise<ChangeResult[]> {
  const size = sink.capabilities().operations[op]?.maxBatch ?? 1;
  const batches: SinkChange[][] = [];
  for (let start = 0; start < changes.length; start += size) batches.push(changes.slice(start, start + size));
  const answers = await Promise.all(batches.map((batch) => sink.apply({ op, ...(list ? { list } : {}), changes: batch }, context)));
  return answers.flat();
}

const vendorIdOf = (result: ChangeResult | undefined): string => (result?.status === 'applied' ? (result.vendorId ?? '') : '');

describe('HubSpot sink', () => {
  it('prepares properties and lists idempotently, adding only missing options', async () => {
    const { sim, sink, context } = await setUp();
    const created = context.labels.filter((label) => label.endsWith('.create'));
    expect(created).toEqual(['properties.create', 'properties.create', 'properties.create', 'properties.create', 'properties.create', 'lists.create', 'lists.create']);
    context.labels.length = 0;
    await sink.prepare(SPEC, context);
    expect(context.labels).toEqual(['properties.list']);

    const grown: SinkSchemaSpec = { ...SPEC, properties: SPEC.properties.map((property) => (property.name === 'segflow_segments' ? { ...property, options: ['New Customer', ...(property.options ?? [])] } : property)) };
    await harness.createSink(sim.sinkConfig).prepare(grown, context);
    expect(context.labels.filter((label) => label !== 'properties.list' && label !== 'lists.get-by-name')).toEqual(['properties.update']);
    await sink.apply({ op: 'upsert', changes: [upsert(1, { segflow_segments: 'New Customer;High Value' })] }, context);
    expect(sim.view.records().get('person1@example.com')?.properties['segflow_segments']).toBe('new_customer;high_value');
  });

  it('lets two runs prepare the same schema at once: the loser of each create race reads the winner’s', async () => {
    simulator = (await harness.startSimulator({ seed: 12, limits: { requests: 10_000 } })) as HubSpotSimulator;
    const [first, second] = [harness.createSink(simulator.sinkConfig), harness.createSink(simulator.sinkConfig)];
    const [contextA, contextB] = [recordingContext(), recordingContext()];
    await Promise.all([first?.prepare(SPEC, contextA), second?.prepare(SPEC, contextB)]);
    const creates = [...contextA.labels, ...contextB.labels].filter((label) => label.endsWith('.create'));
    expect(creates.length).toBeGreaterThan(SPEC.properties.length + SPEC.lists.length);
    const stats = simulator.view.stats();
    expect(stats.byRoute['properties.get']).toBe(creates.filter((label) => label === 'properties.create').length - SPEC.properties.length);
    const lists = await fetch(`${simulator.url}/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent('segflow: VIP')}`, {
      headers: { authorization: `Bearer ${simulator.control.credentials.privateAppToken}` },
    });
    expect(lists.status).toBe(200);
  });

  it('upserts 1,000 contacts through the account queue with values as HubSpot stores them', async () => {
    const { sim, sink } = await setUp();
    const queue = new AccountQueue(sink.capabilities());
    const context: SinkContext = { request: (label, call) => queue.request(label, call), signal: new AbortController().signal, now: Date.now };
    sim.view.resetStats();
    const changes = Array.from({ length: 1000 }, (_, index) =>
      upsert(index, { segflow_segments: index % 2 ? 'High Value;Churn Risk' : 'High Value', segflow_tier: 'Gold', segflow_score: index, segflow_vip: index % 3 === 0, segflow_last_seen: '2026-11-20T10:00:00Z' }),
    );
    const results = await applyAll(sink, 'upsert', changes, context);
    expect(results.every((result) => result.status === 'applied' && result.created === true)).toBe(true);
    expect(new Set(results.map(vendorIdOf)).size).toBe(1000);
    expect(sim.view.stats()).toMatchObject({ requests: 10, rateLimited: 0, byRoute: { 'contacts.batch.upsert': 10 } });
    expect(sim.view.records().get('person7@example.com')?.properties).toEqual({
      email: 'person7@example.com',
      segflow_segments: 'high_value;churn_risk',
      segflow_tier: 'gold',
      segflow_score: '7',
      segflow_vip: 'false',
      segflow_last_seen: '2026-11-20T10:00:00Z',
    });

    const again = await applyAll(sink, 'upsert', changes, context);
    expect(again.every((result, index) => result.status === 'applied' && result.created === false && result.vendorId === vendorIdOf(results[index]))).toBe(true);
    expect(sim.view.records().size).toBe(1000);
    expect(sim.view.duplicateKeys()).toEqual([]);
    await queue.close();
  });

  it('clears a property set to null, and fails only the records HubSpot rejects', async () => {
    const { sim, sink, context } = await setUp();
    await sink.apply({ op: 'upsert', changes: [upsert(1, { segflow_score: 5, segflow_tier: 'Gold' })] }, context);
    sim.view.setFaults({ rejectKeys: new Set(['person2@example.com']) });
    const results = await sink.apply(
      { op: 'upsert', changes: [upsert(1, { segflow_score: null, segflow_tier: 'Silver' }), upsert(2, { segflow_score: 1 }), upsert(3, { segflow_tier: 'Bronze' }), upsert(4, {})] },
      context,
    );
    expect(results.map((result) => result.status)).toEqual(['applied', 'failed', 'failed', 'applied']);
    const [, rejected, badOption] = results;
    expect(rejected).toMatchObject({ error: { kind: 'permanent', code: 'hubspot.invalid_email' } });
    expect(badOption).toMatchObject({ error: { kind: 'permanent', code: 'hubspot.invalid_option' } });
    for (const failure of [rejected, badOption]) expect(JSON.stringify(failure?.status === 'failed' ? failure.error.message : '')).not.toMatch(/@example\.com/);
    expect(sim.view.records().get('person1@example.com')?.properties).toEqual({ email: 'person1@example.com', segflow_tier: 'silver' });
  });

  it('fails the later of two changes whose emails differ only in case, without losing the batch', async () => {
    const { sim, sink, context } = await setUp();
    const twin: SinkChange = { op: 'upsert', record: { profileId: 'u:twin', key: 'PERSON1@example.com' }, properties: {} };
    const results = await sink.apply({ op: 'upsert', changes: [upsert(1), twin] }, context);
    expect(results.map((result) => result.status)).toEqual(['applied', 'failed']);
    expect(results[1]).toMatchObject({ error: { kind: 'permanent', code: 'hubspot.duplicate_email' } });
    expect(sim.view.records().size).toBe(1);
  });

  it('updates (enrich) only contacts that exist and never creates one', async () => {
    const { sim, sink, context } = await setUp();
    const [first] = await sink.apply({ op: 'upsert', changes: [upsert(1, { segflow_score: 1, segflow_tier: 'Gold' })] }, context);
    const results = await sink.apply(
      {
        op: 'update',
        changes: [
          { op: 'update', record: person(1), properties: { segflow_score: 2 } },
          { op: 'update', record: person(2), properties: { segflow_score: 3 } },
        ],
      },
      context,
    );
    expect(results).toEqual([{ status: 'applied', vendorId: vendorIdOf(first) }, { status: 'skipped', reason: 'not found' }]);
    expect(sim.view.records().get('person1@example.com')?.properties).toMatchObject({ segflow_score: '2', segflow_tier: 'gold' });
    expect(sim.view.records().has('person2@example.com')).toBe(false);
  });

  it('adds and removes list members by record id, skipping what already holds', async () => {
    const { sim, sink, context } = await setUp();
    const upserted = await sink.apply({ op: 'upsert', changes: [upsert(1), upsert(2), upsert(3)] }, context);
    const [one, two, three] = upserted.map(vendorIdOf);
    await sink.apply({ op: 'delete', changes: [{ op: 'delete', record: person(3, three) }] }, context);
    const member = (index: number, vendorId: string | undefined, op: 'list-add' | 'list-remove' = 'list-add'): SinkChange => ({ op, record: person(index, vendorId), list: 'vip' });

    const added = await sink.apply({ op: 'list-add', list: 'vip', changes: [member(1, one), member(2, two), member(3, three), member(4, undefined)] }, context);
    expect(added.map((result) => (result.status === 'failed' ? result.error.code : result.status))).toEqual(['applied', 'applied', 'hubspot.record_missing', 'hubspot.no_vendor_id']);
    expect(await sink.apply({ op: 'list-add', list: 'vip', changes: [member(1, one)] }, context)).toEqual([{ status: 'skipped', reason: 'already a member' }]);
    expect(sim.view.listMembers('segflow: VIP')).toEqual(new Set(['person1@example.com', 'person2@example.com']));

    const removed = await sink.apply({ op: 'list-remove', list: 'vip', changes: [member(1, one, 'list-remove'), member(2, two, 'list-remove')] }, context);
    expect(removed.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(await sink.apply({ op: 'list-remove', list: 'vip', changes: [member(1, one, 'list-remove')] }, context)).toEqual([{ status: 'skipped', reason: 'not a member' }]);
    expect(sim.view.listMembers('segflow: VIP')).toEqual(new Set());
    expect(sim.view.listMembers('segflow: Churn risk')).toEqual(new Set());
  });

  it('GDPR-deletes a contact by email, and takes it out of its lists', async () => {
    const { sim, sink, context } = await setUp();
    const [upserted] = await sink.apply({ op: 'upsert', changes: [upsert(1)] }, context);
    await sink.apply({ op: 'list-add', list: 'churn', changes: [{ op: 'list-add', record: person(1, vendorIdOf(upserted)), list: 'churn' }] }, context);
    expect(await sink.apply({ op: 'delete', changes: [{ op: 'delete', record: person(1) }] }, context)).toEqual([{ status: 'applied' }]);
    expect(sim.view.records().size).toBe(0);
    expect(sim.view.listMembers('segflow: Churn risk').size).toBe(0);
  });

  it('fails every change of a batch HubSpot refuses as a whole, with HubSpot’s reason', async () => {
    const { sim, sink, context } = await setUp({ list_batch_size: 5_000 });
    const upserted = await applyAll(sink, 'upsert', Array.from({ length: 1001 }, (_, index) => upsert(index)), context);
    const changes = upserted.map((result, index): SinkChange => ({ op: 'list-add', record: person(index, vendorIdOf(result)), list: 'vip' }));
    const results = await sink.apply({ op: 'list-add', list: 'vip', changes }, context);
    expect(results).toHaveLength(1001);
    expect(results.every((result) => result.status === 'failed' && result.error.kind === 'permanent' && result.error.message.includes('At most 1000'))).toBe(true);
    expect(sim.view.listMembers('segflow: VIP').size).toBe(0);
  });

  it('recreates a list deleted in HubSpot mid-run: retryable first, then applied', async () => {
    const { sim, sink, context } = await setUp();
    const [upserted] = await sink.apply({ op: 'upsert', changes: [upsert(1)] }, context);
    const listId = await fetch(`${sim.url}/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent('segflow: VIP')}`, {
      headers: { authorization: `Bearer ${sim.control.credentials.privateAppToken}` },
    }).then(async (response) => ((await response.json()) as { list: { listId: string } }).list.listId);
    await fetch(`${sim.url}/crm/v3/lists/${listId}`, { method: 'DELETE', headers: { authorization: `Bearer ${sim.control.credentials.privateAppToken}` } });
    const batch = { op: 'list-add' as const, list: 'vip', changes: [{ op: 'list-add' as const, record: person(1, vendorIdOf(upserted)), list: 'vip' }] };
    await expect(sink.apply(batch, context)).rejects.toMatchObject({ kind: 'retryable', code: 'hubspot.list_missing' });
    expect(await sink.apply(batch, context)).toEqual([{ status: 'applied', vendorId: vendorIdOf(upserted) }]);
    expect(sim.view.listMembers('segflow: VIP')).toEqual(new Set(['person1@example.com']));
  });

  it('sends every vendor call through context.request', async () => {
    const { sim, sink, context } = await setUp();
    await sink.apply({ op: 'upsert', changes: [upsert(1)] }, context);
    await sink.apply({ op: 'update', changes: [{ op: 'update', record: person(1), properties: {} }] }, context);
    expect(context.labels.length).toBe(sim.view.stats().requests);
  });
});
