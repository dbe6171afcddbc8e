import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkChange, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { harness } from './harness.js';
import { createSalesforceSink } from './salesforce-sink.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { startSalesforceSimulator, type SalesforceSimulator } from './simulator/index.js';

const SPEC: SinkSchemaSpec = {
  properties: [
    { name: 'Lifetime_Value__c', label: 'Lifetime value', type: 'number' },
    { name: 'Segment__c', label: 'Segment', type: 'string' },
  ],
  lists: [{ key: 'vip', name: 'segflow: VIP' }],
};

let running: { stop(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A simulated org whose admin created the mapping's fields, and a sink pointed at it. */
async function setup(overrides: Record<string, unknown> = {}): Promise<{ sim: SalesforceSimulator; sink: Sink; context: ReturnType<typeof recordingContext> }> {
  const sim = await startSalesforceSimulator({
    seed: 11,
    limits: { latencyMs: 2 },
    customFields: [
      { name: 'Lifetime_Value__c', type: 'double' },
      { name: 'Segment__c', type: 'string' },
    ],
  });
  running = sim;
  const sink = createSalesforceSink({ ...sinkConfigFor(sim), ...overrides });
  const context = recordingContext(Date.now, { concurrency: 10 });
  await sink.prepare(SPEC, context);
  return { sim, sink, context };
}

function sinkConfigFor(sim: SalesforceSimulator): Record<string, unknown> {
  return { type: 'salesforce', login_url: sim.url, client_id: sim.clientId, client_secret: sim.clientSecret, bulk_threshold: null, bulk_poll_interval_ms: 5 };
}

const ref = (index: number, vendorId?: string) => ({ profileId: `u:${index}`, key: `u:${index}`, ...(vendorId ? { vendorId } : {}) });
const upsertChange = (index: number, properties: Record<string, string | number | null> = { Lifetime_Value__c: index, Segment__c: 'gold' }): SinkChange => ({ op: 'upsert', record: ref(index), properties });
const range = (count: number, from = 0) => Array.from({ length: count }, (_, index) => from + index);
const vendorIdOf = (result: ChangeResult | undefined) => (result?.status === 'applied' ? result.vendorId : undefined);
const statuses = (results: ChangeResult[]) => results.map((result) => (result.status === 'skipped' ? `skipped: ${result.reason}` : result.status === 'failed' ? `failed: ${result.error.code}` : 'applied'));

async function upsertAll(sink: Sink, context: ReturnType<typeof recordingContext>, indexes: number[]): Promise<ChangeResult[]> {
  const maxBatch = sink.capabilities().operations.upsert?.maxBatch ?? 200;
  const results: ChangeResult[] = [];
  for (let start = 0; start < indexes.length; start += maxBatch) {
    results.push(...(await sink.apply({ op: 'upsert', changes: indexes.slice(start, start + maxBatch).map((index) => upsertChange(index)) }, context)));
  }
  return results;
}

describe('Salesforce sink against the simulator', () => {
  it('upserts 1,000 Contacts in batches of 200, and a replay creates nothing new', async () => {
    const { sim, sink, context } = await setup();
    const first = await upsertAll(sink, context, range(1000));
    expect(first.every((result) => result.status === 'applied' && result.created === true && result.vendorId)).toBe(true);
    const replay = await upsertAll(sink, context, range(1000));
    expect(replay.every((result) => result.status === 'applied' && result.created === false)).toBe(true);
    const records = sim.view.records();
    expect(records.size).toBe(1000);
    expect(records.get('u:999')?.properties).toMatchObject({ Lifetime_Value__c: 999, Segment__c: 'gold' });
    expect(sim.view.duplicateKeys()).toEqual([]);
    expect(sim.view.stats().byRoute['collections.upsert']).toBe(10);
  });

  it('clears a field when the mapping sends null', async () => {
    const { sim, sink, context } = await setup();
    await sink.apply({ op: 'upsert', changes: [upsertChange(1)] }, context);
    await sink.apply({ op: 'upsert', changes: [upsertChange(1, { Segment__c: null })] }, context);
    expect(sim.view.records().get('u:1')?.properties).toMatchObject({ Lifetime_Value__c: 1, Segment__c: null });
  });

  it('reports a validation rejection on its record only, with Salesforce\'s code and message', async () => {
    const { sim, sink, context } = await setup();
    sim.view.setFaults({ rejectKeys: new Set(['u:1']) });
    const results = await sink.apply({ op: 'upsert', changes: range(3).map((index) => upsertChange(index)) }, context);
    expect(statuses(results)).toEqual(['applied', 'failed: salesforce.FIELD_CUSTOM_VALIDATION_EXCEPTION', 'applied']);
    const failed = results[1];
    expect(failed?.status === 'failed' && failed.error.kind).toBe('permanent');
    expect(failed?.status === 'failed' && failed.error.message).toMatch(/profile u:1.*Block_Test_Profiles/);
  });

  it('adds and removes campaign members; re-adding and removing a non-member are skipped', async () => {
    const { sim, sink, context } = await setup();
    const upserted = await sink.apply({ op: 'upsert', changes: range(3).map((index) => upsertChange(index)) }, context);
    const member = (index: number, op: 'list-add' | 'list-remove'): SinkChange => ({ op, list: 'vip', record: ref(index, vendorIdOf(upserted[index])) });
    const added = await sink.apply({ op: 'list-add', list: 'vip', changes: [member(0, 'list-add'), member(1, 'list-add')] }, context);
    expect(statuses(added)).toEqual(['applied', 'applied']);
    expect(sim.view.listMembers('segflow: VIP')).toEqual(new Set(['u:0', 'u:1']));
    const again = await sink.apply({ op: 'list-add', list: 'vip', changes: [member(1, 'list-add'), member(2, 'list-add')] }, context);
    expect(statuses(again)).toEqual(['skipped: already a member', 'applied']);
    const removed = await sink.apply({ op: 'list-remove', list: 'vip', changes: [member(0, 'list-remove'), member(2, 'list-remove')] }, context);
    expect(statuses(removed)).toEqual(['applied', 'applied']);
    const notMember = await sink.apply({ op: 'list-remove', list: 'vip', changes: [member(0, 'list-remove')] }, context);
    expect(statuses(notMember)).toEqual(['skipped: not a member']);
    expect(sim.view.listMembers('segflow: VIP')).toEqual(new Set(['u:1']));
    const withoutId = await sink.apply({ op: 'list-add', list: 'vip', changes: [{ op: 'list-add', list: 'vip', record: ref(5) }] }, context);
    expect(withoutId[0]?.status === 'failed' && withoutId[0].error.message).toBe('no vendor id');
  });

  it('update (enrich) changes existing records only and skips the ones Salesforce does not have', async () => {
    const { sim, sink, context } = await setup();
    await sink.apply({ op: 'upsert', changes: [upsertChange(0)] }, context);
    const results = await sink.apply(
      {
        op: 'update',
        changes: [0, 1].map((index): SinkChange => ({ op: 'update', record: ref(index), properties: { Segment__c: 'platinum' } })),
      },
      context,
    );
    expect(statuses(results)).toEqual(['applied', 'skipped: not found']);
    expect([...sim.view.records().keys()]).toEqual(['u:0']);
    expect(sim.view.records().get('u:0')?.properties.Segment__c).toBe('platinum');
  });

  it('deletes a record with its memberships; deleting it again is skipped', async () => {
    const { sim, sink, context } = await setup();
    const upserted = await sink.apply({ op: 'upsert', changes: [upsertChange(0), upsertChange(1)] }, context);
    await sink.apply({ op: 'list-add', list: 'vip', changes: [{ op: 'list-add', list: 'vip', record: ref(0, vendorIdOf(upserted[0])) }] }, context);
    const deleted = await sink.apply({ op: 'delete', changes: [{ op: 'delete', record: ref(0, vendorIdOf(upserted[0])) }, { op: 'delete', record: ref(1) }] }, context);
    expect(statuses(deleted)).toEqual(['applied', 'applied']);
    expect(sim.view.records().size).toBe(0);
    expect(sim.view.listMembers('segflow: VIP').size).toBe(0);
    const again = await sink.apply({ op: 'delete', changes: [{ op: 'delete', record: ref(0, vendorIdOf(upserted[0])) }] }, context);
    expect(statuses(again)).toEqual(['skipped: not found']);
  });

  it('prepares idempotently: a second prepare finds the campaign instead of creating another', async () => {
    const { sim, sink, context } = await setup();
    await sink.prepare(SPEC, context);
    expect(sim.view.stats().byRoute['sobjects.create']).toBe(1);
  });

  it('names every missing custom field at prepare time as a config error', async () => {
    const sim = await startSalesforceSimulator({ seed: 2, limits: { latencyMs: 0 } });
    running = sim;
    const sink = createSalesforceSink(sinkConfigFor(sim));
    const prepared = sink.prepare(SPEC, recordingContext(Date.now, { concurrency: 10 }));
    await expect(prepared).rejects.toMatchObject({ kind: 'config', code: 'salesforce.fields_missing' });
    await expect(prepared).rejects.toThrow(/Lifetime_Value__c, Segment__c/);
  });
});

describe('Salesforce sink: sessions', () => {
  it('refreshes an expired token once for 10 concurrent calls and replays them', async () => {
    const { sim, sink, context } = await setup();
    const tokensBefore = sim.view.stats().byRoute['oauth.token'];
    sim.view.expireTokens();
    const batches = await Promise.all(range(10).map((batch) => sink.apply({ op: 'upsert', changes: range(5, batch * 5).map((index) => upsertChange(index)) }, context)));
    expect(batches.flat().every((result) => result.status === 'applied')).toBe(true);
    expect(sim.view.stats().byRoute['oauth.token']).toBe((tokensBefore ?? 0) + 1);
    // Every call met the expired token once (401) and was replayed once.
    expect(sim.view.stats().byRoute['collections.upsert']).toBe(20);
    expect(sim.view.records().size).toBe(50);
  });

  it('turns a refused refresh into a config error', async () => {
    const { sim, sink, context } = await setup();
    sim.view.expireTokens();
    sim.setClientSecret('rotated');
    await expect(sink.apply({ op: 'upsert', changes: [upsertChange(0)] }, context)).rejects.toMatchObject({ kind: 'config', code: 'salesforce.auth_failed' });
  });

  it('refuses bad credentials at prepare with a config error', async () => {
    const sim = await startSalesforceSimulator({ seed: 4, limits: { latencyMs: 0 } });
    running = sim;
    const sink = createSalesforceSink({ ...sinkConfigFor(sim), client_secret: 'wrong' });
    await expect(sink.prepare(SPEC, recordingContext(Date.now, { concurrency: 10 }))).rejects.toMatchObject({ kind: 'config', code: 'salesforce.auth_failed' });
  });

  it('mints tokens with a signed JWT bearer assertion when configured with a private key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const sim = await startSalesforceSimulator({ seed: 6, limits: { latencyMs: 0 }, jwtPublicKey: publicKey, customFields: [{ name: 'Segment__c' }] });
    running = sim;
    const jwtConfig = { type: 'salesforce', login_url: sim.url, client_id: sim.clientId, username: 'integration@acme.example', bulk_threshold: null };
    const sink = createSalesforceSink({ ...jwtConfig, private_key: privateKey });
    const results = await sink.apply({ op: 'upsert', changes: [upsertChange(0, { Segment__c: 'a' })] }, recordingContext(Date.now, { concurrency: 10 }));
    expect(statuses(results)).toEqual(['applied']);
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const impostor = createSalesforceSink({ ...jwtConfig, private_key: otherKey });
    await expect(impostor.apply({ op: 'upsert', changes: [upsertChange(1, { Segment__c: 'a' })] }, recordingContext(Date.now, { concurrency: 10 }))).rejects.toMatchObject({ kind: 'config', code: 'salesforce.auth_failed' });
  });

  it('names a missing credential when the sink is built', () => {
    expect(() => createSalesforceSink({ type: 'salesforce', login_url: 'https://acme.my.salesforce.com', client_id: 'id' })).toThrow(ConnectorError);
    expect(() => createSalesforceSink({ type: 'salesforce', login_url: 'https://acme.my.salesforce.com', client_id: 'id' })).toThrow(/client_secret/);
  });
});

describe('Salesforce sink: Leads', () => {
  it('writes Leads and links them to campaigns by LeadId', async () => {
    const sim = await startSalesforceSimulator({ seed: 8, limits: { latencyMs: 0 }, object: 'Lead', customFields: [{ name: 'Segment__c' }] });
    running = sim;
    const sink = createSalesforceSink({ ...sinkConfigFor(sim), object: 'Lead' });
    const context = recordingContext(Date.now, { concurrency: 10 });
    await sink.prepare({ properties: [{ name: 'Segment__c', label: 'Segment', type: 'string' }], lists: [{ key: 'vip', name: 'VIP leads' }] }, context);
    const [upserted] = await sink.apply({ op: 'upsert', changes: [upsertChange(0, { Segment__c: 'a', Company: 'Acme' })] }, context);
    expect(vendorIdOf(upserted)).toMatch(/^00Q/);
    await sink.apply({ op: 'list-add', list: 'vip', changes: [{ op: 'list-add', list: 'vip', record: ref(0, vendorIdOf(upserted)) }] }, context);
    expect(sim.view.listMembers('VIP leads')).toEqual(new Set(['u:0']));
    const removed = await sink.apply({ op: 'list-remove', list: 'vip', changes: [{ op: 'list-remove', list: 'vip', record: ref(0, vendorIdOf(upserted)) }] }, context);
    expect(statuses(removed)).toEqual(['applied']);
  });
});

describe('Salesforce sink: Bulk API 2.0', () => {
  it('reports failed and unprocessed rows as failed, never as applied', async () => {
    const { sim, sink, context } = await setup({ bulk_threshold: 3 });
    expect(sink.capabilities().operations.upsert?.maxBatch).toBe(10_000);
    sim.view.setFaults({ rejectKeys: new Set(['u:1']) });
    sim.setBulkFaults({ failAfterRows: 3 });
    const results = await sink.apply({ op: 'upsert', changes: range(5).map((index) => upsertChange(index)) }, context);
    expect(statuses(results)).toEqual(['applied', 'failed: salesforce.FIELD_CUSTOM_VALIDATION_EXCEPTION', 'applied', 'failed: salesforce.bulk_unprocessed', 'failed: salesforce.bulk_unprocessed']);
    expect(results.map((result) => (result.status === 'failed' ? result.error.kind : 'ok'))).toEqual(['ok', 'permanent', 'ok', 'retryable', 'retryable']);
    expect(vendorIdOf(results[2])).toBe(sim.view.records().get('u:2')?.vendorId);
    expect([...sim.view.records().keys()].sort()).toEqual(['u:0', 'u:2']);
    expect(context.labels).not.toContain('salesforce.upsert');
    expect(sim.view.stats().byRoute['bulk.delete']).toBe(1);
  });

  it('keeps small batches on sObject Collections below the threshold', async () => {
    const { sim, sink, context } = await setup({ bulk_threshold: 3 });
    await sink.apply({ op: 'upsert', changes: range(2).map((index) => upsertChange(index)) }, context);
    expect(sim.view.stats().byRoute['collections.upsert']).toBe(1);
    expect(sim.view.stats().byRoute['bulk.create']).toBeUndefined();
  });
});

describe('Salesforce sink: failures of a whole call', () => {
  it('throws a short retryable throttle for ConcurrentPerOrgLongTxn (a storm)', async () => {
    const { sim, sink, context } = await setup();
    sim.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    await expect(sink.apply({ op: 'upsert', changes: [upsertChange(0)] }, context)).rejects.toMatchObject({ kind: 'retryable', code: 'salesforce.concurrency_limit', details: { throttled: true, retryAfterMs: 2_000 } });
  });

  it('throws a long retryable throttle when the daily allocation is used up', async () => {
    const sim = await startSalesforceSimulator({ seed: 9, limits: { latencyMs: 0, requests: 1 }, customFields: [{ name: 'Segment__c' }] });
    running = sim;
    const sink = createSalesforceSink(sinkConfigFor(sim));
    const context = recordingContext(Date.now, { concurrency: 10 });
    await sink.apply({ op: 'upsert', changes: [upsertChange(0, { Segment__c: 'a' })] }, context);
    await expect(sink.apply({ op: 'upsert', changes: [upsertChange(1, { Segment__c: 'a' })] }, context)).rejects.toMatchObject({
      kind: 'retryable',
      code: 'salesforce.daily_limit',
      details: { throttled: true, retryAfterMs: 3_600_000 },
    });
  });

  it('throws retryable on a 5xx without jsforce retrying it (one request, even for GET and DELETE)', async () => {
    const { sim, sink, context } = await setup();
    sim.view.setFaults({ serverErrorRate: 1 });
    sim.view.resetStats();
    await expect(sink.apply({ op: 'update', changes: [{ op: 'update', record: ref(0), properties: { Segment__c: 'x' } }] }, context)).rejects.toMatchObject({ kind: 'retryable', code: 'salesforce.server_error' });
    await expect(sink.apply({ op: 'delete', changes: [{ op: 'delete', record: ref(0, '0035g0000000001SIM') }] }, context)).rejects.toMatchObject({ kind: 'retryable', code: 'salesforce.server_error' });
    expect(sim.view.stats()).toMatchObject({ requests: 2, serverErrors: 2 });
  });

  it('throws retryable when the org cannot be reached', async () => {
    const { sim, sink, context } = await setup();
    await sim.stop();
    running = undefined;
    await expect(sink.apply({ op: 'upsert', changes: [upsertChange(0)] }, context)).rejects.toMatchObject({ kind: 'retryable', code: 'salesforce.network' });
  });
});

describe('Salesforce harness', () => {
  it('plays the admin: creates the spec\'s fields, so the shared suites can prepare and write', async () => {
    const sim = await harness.startSimulator({ seed: 5 });
    running = sim;
    const sink = harness.createSink(sim.sinkConfig);
    const context = recordingContext(Date.now, { concurrency: 10 });
    await sink.prepare({ properties: [{ name: 'Plan__c', label: 'Plan', type: 'enumeration', options: ['free', 'pro'] }], lists: [{ key: 'l', name: 'List L' }] }, context);
    const results = await sink.apply({ op: 'upsert', changes: [{ op: 'upsert', record: ref(1), properties: { Plan__c: 'pro' } }] }, context);
    expect(statuses(results)).toEqual(['applied']);
    expect(sim.view.records().get('u:1')?.properties.Plan__c).toBe('pro');
    expect(sink.capabilities().operations.upsert?.maxBatch).toBe(200);
  });
});
