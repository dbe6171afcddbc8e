import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkChange, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { createMarketoClient } from './client/marketo-client.js';
import { createMarketoSink } from './marketo-sink.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { startMarketoSimulator, type MarketoSimulatorOptions, type RunningMarketoSimulator } from './simulator/marketo-simulator.js';

const running: RunningMarketoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

// A higher tier than the published 100 calls / 20 s so the end-to-end runs are not paced.
async function start(options: Partial<MarketoSimulatorOptions> = {}): Promise<RunningMarketoSimulator> {
  const simulator = await startMarketoSimulator({ seed: 3, limits: { requests: 10_000 }, ...options });
  running.push(simulator);
  return simulator;
}

const SPEC: SinkSchemaSpec = {
  properties: [
    { name: 'segflowSegments', label: 'segflow segments', type: 'enumeration', multiple: true, options: ['VIP', 'Churn risk'] },
    { name: 'segflowScore', label: 'segflow score', type: 'number' },
  ],
  lists: [
    { key: 'vip', name: 'segflow: VIP' },
    { key: 'churn', name: 'segflow: Churn, at risk' },
  ],
};

const email = (index: number) => `user${index}@example.com`;
const ref = (index: number, vendorId?: string) => ({ profileId: `u:${index}`, key: email(index), ...(vendorId ? { vendorId } : {}) });
const upserts = (from: number, to: number): SinkChange[] =>
  Array.from({ length: to - from }, (_, offset) => ({ op: 'upsert', record: ref(from + offset), properties: { segflowSegments: 'VIP', segflowScore: from + offset } }));

async function applyInBatches(sink: Sink, op: SinkChange['op'], changes: SinkChange[], list?: string): Promise<ChangeResult[]> {
  const context = recordingContext();
  const results: ChangeResult[] = [];
  for (let start = 0; start < changes.length; start += 300) results.push(...(await sink.apply({ op, list, changes: changes.slice(start, start + 300) }, context)));
  return results;
}

async function prepared(simulator: RunningMarketoSimulator): Promise<Sink> {
  const sink = createMarketoSink(simulator.sinkConfig);
  await sink.prepare(SPEC, recordingContext());
  return sink;
}

describe('Marketo sink against the simulator', () => {
  it('declares Marketo capabilities, with the limits override', () => {
    const sink = createMarketoSink({ type: 'marketo', base_url: 'https://123-ABC-456.mktorest.com/rest', client_id: 'id', client_secret: 'secret', limits: { requests: 50 }, id: 'mkto', mode: 'sync' });
    expect(sink.account).toBe('https://123-ABC-456.mktorest.com');
    expect(sink.capabilities()).toMatchObject({ rateLimit: { requests: 50, intervalMs: 20_000 }, concurrency: 10, membershipNeedsVendorId: true, operations: { upsert: { maxBatch: 300 }, delete: { maxBatch: 300 } } });
  });

  it('names the missing credential and the missing lead fields as config errors', async () => {
    expect(() => createMarketoSink({ type: 'marketo', base_url: 'https://x.mktorest.com', client_secret: 's' })).toThrow(/client_id/);
    const simulator = await start();
    const sink = createMarketoSink({ ...simulator.sinkConfig, create_missing_fields: false });
    const error = await sink.prepare(SPEC, recordingContext()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'config', code: 'marketo.field_missing', message: expect.stringContaining('segflowSegments, segflowScore') as string });
  });

  it('prepares twice without creating a second list or field', async () => {
    const simulator = await start();
    await prepared(simulator);
    const second = recordingContext();
    await createMarketoSink(simulator.sinkConfig).prepare(SPEC, second);
    expect(second.labels).toEqual(['marketo.leads.describe', 'marketo.lists.find']);
    expect(simulator.view.stats().byRoute).toMatchObject({ 'staticLists.create': 2, 'leads.fields.create': 1 });
  });

  it('two runs preparing at once end up sharing one static list (the loser of the create race gets 709 and looks it up)', async () => {
    const simulator = await start({ limits: { requests: 10_000, latencyMs: 50 } });
    const spec: SinkSchemaSpec = { properties: [], lists: [{ key: 'vip', name: 'segflow: VIP' }] };
    await Promise.all([createMarketoSink(simulator.sinkConfig).prepare(spec, recordingContext()), createMarketoSink(simulator.sinkConfig).prepare(spec, recordingContext())]);
    expect(simulator.view.stats().byRoute['staticLists.create']).toBe(2);
    expect(simulator.view.stats().byRoute['lists.get']).toBe(3);
  });

  it('upserts 1,000 leads in batches of 300, then updates them without duplicates', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    const first = await applyInBatches(sink, 'upsert', upserts(0, 1_000));
    expect(first.every((result) => result.status === 'applied' && result.created === true)).toBe(true);
    expect(simulator.view.stats().byRoute['leads.sync']).toBe(4);
    const second = await applyInBatches(sink, 'upsert', upserts(0, 1_000));
    expect(second.every((result) => result.status === 'applied' && result.created === false)).toBe(true);
    const records = simulator.view.records();
    expect(records.size).toBe(1_000);
    expect(records.get(email(42))?.properties).toMatchObject({ segflowSegments: 'VIP', segflowScore: 42 });
    expect(first.map((result) => (result.status === 'applied' ? result.vendorId : undefined))).toEqual(second.map((result) => (result.status === 'applied' ? result.vendorId : undefined)));
    expect(simulator.view.duplicateKeys()).toEqual([]);
  });

  it('adds and removes static-list members; a second remove is skipped and a missing vendor id fails', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    const ids = (await applyInBatches(sink, 'upsert', upserts(0, 3))).map((result) => (result.status === 'applied' ? result.vendorId : undefined));
    const member = (index: number, op: 'list-add' | 'list-remove'): SinkChange => ({ op, record: ref(index, ids[index]), list: 'churn' });
    const added = await applyInBatches(sink, 'list-add', [member(0, 'list-add'), member(1, 'list-add'), { op: 'list-add', record: ref(7), list: 'churn' }], 'churn');
    expect(added.map((result) => result.status)).toEqual(['applied', 'applied', 'failed']);
    expect(simulator.view.listMembers('segflow: Churn, at risk')).toEqual(new Set([email(0), email(1)]));
    const removed = await applyInBatches(sink, 'list-remove', [member(0, 'list-remove')], 'churn');
    expect(removed).toEqual([{ status: 'applied', vendorId: ids[0] }]);
    const again = await applyInBatches(sink, 'list-remove', [member(0, 'list-remove'), member(2, 'list-remove')], 'churn');
    expect(again.map((result) => result.status)).toEqual(['skipped', 'skipped']);
    expect(simulator.view.listMembers('segflow: Churn, at risk')).toEqual(new Set([email(1)]));
  });

  it('update (enrich) never creates: missing leads are skipped, existing ones updated', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    await applyInBatches(sink, 'upsert', upserts(0, 1));
    const results = await applyInBatches(sink, 'update', [
      { op: 'update', record: ref(0), properties: { segflowScore: 99 } },
      { op: 'update', record: ref(1), properties: { segflowScore: 5 } },
    ]);
    expect(results[0]).toMatchObject({ status: 'applied', created: false });
    expect(results[1]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('not found') as string });
    expect(simulator.view.records().size).toBe(1);
    expect(simulator.view.records().get(email(0))?.properties.segflowScore).toBe(99);
  });

  it('deletes leads (with or without a known id), leaving their lists; an unknown lead is skipped', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    const [first] = await applyInBatches(sink, 'upsert', upserts(0, 2));
    const vendorId = first?.status === 'applied' ? first.vendorId : undefined;
    await applyInBatches(sink, 'list-add', [{ op: 'list-add', record: ref(0, vendorId), list: 'vip' }], 'vip');
    const results = await applyInBatches(sink, 'delete', [
      { op: 'delete', record: ref(0, vendorId) },
      { op: 'delete', record: ref(1) },
      { op: 'delete', record: ref(5) },
    ]);
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied', 'skipped']);
    expect(simulator.view.records().size).toBe(0);
    expect(simulator.view.listMembers('segflow: VIP').size).toBe(0);
  });

  it('fails a rejected record permanently with the vendor code while its neighbours apply', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    simulator.view.setFaults({ rejectKeys: new Set([email(1)]) });
    const results = await applyInBatches(sink, 'upsert', upserts(0, 3));
    expect(results.map((result) => result.status)).toEqual(['applied', 'failed', 'applied']);
    const failure = results[1]?.status === 'failed' ? results[1].error : undefined;
    expect(failure).toMatchObject({ kind: 'permanent', code: 'marketo.invalid_value', message: expect.stringContaining('u:1') as string });
    expect(failure?.message).not.toContain(email(1));
  });

  it('survives a token expiry mid-run and surfaces a throttle storm as retryable + throttled', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    await applyInBatches(sink, 'upsert', upserts(0, 10));
    simulator.view.expireTokens();
    const results = await applyInBatches(sink, 'upsert', upserts(10, 20));
    expect(results.every((result) => result.status === 'applied')).toBe(true);
    expect(simulator.view.tokenRequests()).toBe(2);
    simulator.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    const error = await sink.apply({ op: 'upsert', changes: upserts(20, 21) }, recordingContext()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ kind: 'retryable', details: { throttled: true, retryAfterMs: 20_000 } });
  });

  it('never sends two changes for one email in one call', async () => {
    const simulator = await start({ limits: { requests: 10_000, latencyMs: 20 } });
    const sink = await prepared(simulator);
    const changes: SinkChange[] = [
      { op: 'upsert', record: ref(0), properties: { segflowScore: 1 } },
      { op: 'upsert', record: { profileId: 'u:0b', key: 'USER0@example.com' }, properties: { segflowScore: 2 } },
    ];
    const results = await applyInBatches(sink, 'upsert', changes);
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(simulator.view.duplicateKeys()).toEqual([]);
    expect(simulator.view.stats().byRoute['leads.sync']).toBe(2);
  });

  it('creates the multi-value segment property as a string field (Create Lead Fields has no text type), and the score as float', async () => {
    const simulator = await start();
    await prepared(simulator);
    const client = createMarketoClient({ baseUrl: simulator.url, identityUrl: `${simulator.url}/identity`, clientId: 'segflow-sandbox-client', clientSecret: 'segflow-sandbox-secret', now: Date.now });
    const described = (await client.send({ method: 'GET', path: '/rest/v1/leads/describe.json' })).result as Array<{ dataType: string; length?: number; rest: { name: string } }>;
    const byName = new Map(described.map((field) => [field.rest.name, field]));
    expect(byName.get('segflowSegments')).toMatchObject({ dataType: 'string', length: 255 });
    expect(byName.get('segflowScore')).toMatchObject({ dataType: 'float' });
  });

  // Segment names joined with ";" (core/sync/desired-state.ts), as many as it takes to pass `length` characters.
  const joinedSegments = (length: number) => {
    let value = 'Segment 0';
    for (let index = 1; value.length < length; index += 1) value += `;Segment ${index}`;
    return value;
  };

  it('fails a lead whose joined segments pass the string field\'s 255 characters, without sending it, while its neighbours apply', async () => {
    const simulator = await start();
    const sink = await prepared(simulator);
    const tooLong = joinedSegments(256);
    expect(tooLong.length).toBeGreaterThan(255);
    const context = recordingContext();
    const results = await sink.apply(
      {
        op: 'upsert',
        changes: [
          { op: 'upsert', record: ref(0), properties: { segflowSegments: 'x'.repeat(255), segflowScore: 1 } },
          { op: 'upsert', record: ref(1), properties: { segflowSegments: tooLong, segflowScore: 2 } },
          { op: 'upsert', record: ref(2), properties: { segflowSegments: 'VIP', segflowScore: 3 } },
        ],
      },
      context,
    );
    expect(results.map((result) => result.status)).toEqual(['applied', 'failed', 'applied']);
    const failure = results[1]?.status === 'failed' ? results[1].error : undefined;
    expect(failure).toMatchObject({ kind: 'permanent', code: 'marketo.value_too_long' });
    expect(failure?.message).toContain('u:1');
    expect(failure?.message).toContain('segflowSegments');
    expect(failure?.message).toContain(`${tooLong.length} characters`);
    expect(failure?.message).not.toContain(tooLong);
    expect([...simulator.view.records().keys()].sort()).toEqual([email(0), email(2)]);

    const alone = recordingContext();
    const [only] = await sink.apply({ op: 'update', changes: [{ op: 'update', record: ref(0), properties: { segflowSegments: tooLong } }] }, alone);
    expect(only).toMatchObject({ status: 'failed', error: { code: 'marketo.value_too_long' } });
    expect(alone.labels).toEqual([]);
    expect(simulator.view.records().get(email(0))?.properties.segflowSegments).toBe('x'.repeat(255));
  });

  it('writes long joined segments into a field an admin made a Text Area: the limit comes from Describe, not a constant', async () => {
    const simulator = await start({ customFields: [{ name: 'segflowSegments', displayName: 'segflow segments', dataType: 'text' }] });
    const sink = await prepared(simulator);
    const long = joinedSegments(300);
    const [result] = await sink.apply({ op: 'upsert', changes: [{ op: 'upsert', record: ref(0), properties: { segflowSegments: long, segflowScore: 1 } }] }, recordingContext());
    expect(result).toMatchObject({ status: 'applied', created: true });
    expect(simulator.view.records().get(email(0))?.properties.segflowSegments).toBe(long);
  });
});
