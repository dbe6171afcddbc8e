import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkChange, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { createSegmentSink } from './segment-sink.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { startSegmentSimulator, type RunningSegmentSimulator, type SegmentSimulatorOptions } from './simulator/segment-simulator.js';

const running: RunningSegmentSimulator[] = [];
const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close?.() ?? Promise.resolve()));
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

// A higher tier than the published 1,000 requests/s, so nothing here is paced by the limit unless a test says so.
async function start(options: Partial<SegmentSimulatorOptions> = {}): Promise<RunningSegmentSimulator> {
  const simulator = await startSegmentSimulator({ seed: 9, limits: { requests: 100_000 }, ...options });
  running.push(simulator);
  return simulator;
}

function sinkFor(simulator: RunningSegmentSimulator, overrides: Record<string, unknown> = {}): Sink {
  const sink = createSegmentSink({ ...simulator.sinkConfig, id: 'segment', mode: 'sync', ...overrides });
  sinks.push(sink);
  return sink;
}

const SPEC: SinkSchemaSpec = { properties: [{ name: 'segflow_score', label: 'segflow score', type: 'number' }], lists: [{ key: 'champions', name: 'segflow: Champions' }] };
const ref = (index: number) => ({ profileId: `u:${index}`, key: `user-${index}` });
const upserts = (from: number, to: number, score = (index: number) => index): SinkChange[] =>
  Array.from({ length: to - from }, (_, offset) => ({ op: 'upsert', record: ref(from + offset), properties: { segflow_score: score(from + offset), segflow_tier: 'gold' } }));
const membership = (op: 'list-add' | 'list-remove', indexes: number[]): SinkChange[] => indexes.map((index) => ({ op, record: ref(index), list: 'champions' }));

async function applyInBatches(sink: Sink, changes: SinkChange[], context = recordingContext()): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  for (let from = 0; from < changes.length; from += 100) {
    const batch = changes.slice(from, from + 100);
    const first = batch[0] as SinkChange;
    results.push(...(await sink.apply({ op: first.op, ...('list' in first ? { list: first.list } : {}), changes: batch }, context)));
  }
  return results;
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ConnectorError);
  return outcome as ConnectorError;
}

describe('Segment sink: configuration', () => {
  it('requires write_key, keeps it out of the account name, and applies the limits override', () => {
    expect(() => createSegmentSink({ type: 'segment', host: 'https://api.segment.io' })).toThrow(/write_key/);
    expect(() => createSegmentSink({ type: 'segment', write_key: 'k', host: 'not a url' })).toThrow(ConnectorError);
    const sink = createSegmentSink({ type: 'segment', write_key: 'secret-key', limits: { requests: 200 }, id: 'seg', mode: 'sync', sandbox: false });
    sinks.push(sink);
    expect(sink.account).toMatch(/^https:\/\/api\.segment\.io#source-[0-9a-f]{12}$/);
    expect(sink.account).not.toContain('secret-key');
    expect(sink.capabilities()).toEqual({
      operations: { upsert: { maxBatch: 100 }, update: { maxBatch: 100 }, 'list-add': { maxBatch: 100 }, 'list-remove': { maxBatch: 100 } },
      rateLimit: { requests: 200, intervalMs: 1_000 },
      concurrency: 4,
      membershipNeedsVendorId: false,
      triggerKinds: [],
    });
  });
});

describe('Segment sink against the simulator', () => {
  it('writes 1,000 upserts as identify traits, one request per 100, every request through context.request', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const context = recordingContext();
    await sink.prepare(SPEC, context);
    const results = await applyInBatches(sink, upserts(0, 1_000), context);
    expect(results.filter((result) => result.status === 'applied')).toHaveLength(1_000);
    const users = simulator.view.users();
    expect(users.size).toBe(1_000);
    expect(users.get('user-417')).toEqual({ segflow_score: 417, segflow_tier: 'gold' });
    expect(simulator.view.stats()).toMatchObject({ requests: 10, rateLimited: 0 });
    expect(context.labels).toEqual(Array.from({ length: 10 }, () => 'segment.batch'));
  });

  it('merges later upserts into the profile and clears a value with null', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const [first] = await applyInBatches(sink, upserts(0, 3));
    expect(first).toEqual({ status: 'applied', vendorId: 'user-0' });
    await sink.apply({ op: 'upsert', changes: [{ op: 'upsert', record: ref(1), properties: { segflow_score: null } }] }, recordingContext());
    expect(simulator.view.users().get('user-1')).toEqual({ segflow_score: null, segflow_tier: 'gold' });
  });

  it('updates only users segflow wrote before (the record carries the userId an upsert acknowledged); skips the others as not found', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    await applyInBatches(sink, upserts(0, 2));
    const results = await sink.apply(
      {
        op: 'update',
        changes: [
          { op: 'update', record: { ...ref(0), vendorId: 'user-0' }, properties: { segflow_score: null, segflow_tier: null } },
          { op: 'update', record: ref(7), properties: { segflow_score: 1 } },
        ],
      },
      recordingContext(),
    );
    expect(results[0]).toEqual({ status: 'applied', vendorId: 'user-0' });
    expect(results[1]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('not found') as string });
    expect(simulator.view.users().get('user-0')).toEqual({ segflow_score: null, segflow_tier: null });
    expect(simulator.view.users().has('user-7')).toBe(false);
  });

  it('fails a delete per change: a user deletion is a workspace regulation, not a tracking call', async () => {
    const simulator = await start();
    const results = await sinkFor(simulator).apply({ op: 'delete', changes: [{ op: 'delete', record: ref(1) }] }, recordingContext());
    expect(results).toMatchObject([{ status: 'failed', error: { kind: 'permanent', code: 'segment.operation_unsupported' } }]);
    expect(simulator.view.stats().requests).toBe(0);
  });

  it('sets the list trait true on add and false on remove, readable by the list display name', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const context = recordingContext();
    await sink.prepare(SPEC, context);
    await applyInBatches(sink, upserts(0, 250), context);
    const added = await applyInBatches(sink, membership('list-add', Array.from({ length: 150 }, (_, index) => index)), context);
    expect(added.every((result) => result.status === 'applied')).toBe(true);
    await applyInBatches(sink, membership('list-remove', [3, 4, 149]), context);
    const members = simulator.view.listMembers('segflow: Champions');
    expect(members.size).toBe(147);
    expect(members.has('user-3')).toBe(false);
    expect(simulator.view.users().get('user-3')).toEqual({ segflow_score: 3, segflow_tier: 'gold', champions: false });
    expect(simulator.view.users().get('user-200')).not.toHaveProperty('champions');
  });

  it('fails an event over 32 KB on its own, without sending it, and delivers the rest of the batch', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const changes = upserts(0, 5);
    changes[2] = { op: 'upsert', record: ref(2), properties: { segflow_notes: 'n'.repeat(40 * 1_024), segflow_score: 2 } };
    const results = await sink.apply({ op: 'upsert', changes }, recordingContext());
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied', 'failed', 'applied', 'applied']);
    const failure = results[2]?.status === 'failed' ? results[2].error : undefined;
    expect(failure).toMatchObject({ kind: 'permanent', code: 'segment.event_too_large' });
    expect(failure?.message).toMatch(/profile u:2 .*at most 32 KB.*not sent.*segflow_notes \(40\.0 KB\), segflow_score \(1 B\)/);
    expect(simulator.view.users().has('user-2')).toBe(false);
    expect(simulator.view.stats()).toMatchObject({ requests: 1 });
  });

  it('splits a batch whose events add up past 480 KB into several requests (the SDK guard does not count bytes)', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const heavy = upserts(0, 100).map((change) => ({ ...change, properties: { segflow_notes: 'x'.repeat(8 * 1_024) } }) as SinkChange);
    const results = await sink.apply({ op: 'upsert', changes: heavy }, recordingContext());
    expect(results.every((result) => result.status === 'applied')).toBe(true);
    expect(simulator.view.users().size).toBe(100);
    expect(simulator.view.stats().requests).toBe(2);
  });

  it('surfaces a 429 as a retryable throttle with Retry-After, without the SDK retrying or sleeping', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    simulator.view.setFaults({ throttleUntil: Date.now() + 30_000 });
    const error = await failureOf(sink.apply({ op: 'upsert', changes: upserts(0, 10) }, recordingContext()));
    expect(error).toMatchObject({ kind: 'retryable', code: 'segment.rate_limited', details: { throttled: true, retryAfterMs: 30_000 } });
    // Had the SDK honoured the 429 itself it would still be asleep here, or would have sent again.
    expect(simulator.view.stats()).toMatchObject({ requests: 1, injectedThrottles: 1 });
    simulator.view.setFaults({});
    const retried = await sink.apply({ op: 'upsert', changes: upserts(0, 10) }, recordingContext());
    expect(retried.every((result) => result.status === 'applied')).toBe(true);
  });

  it('surfaces the published rate limit the same way', async () => {
    const simulator = await start({ limits: { requests: 2, intervalMs: 60_000 } });
    const sink = sinkFor(simulator);
    await sink.apply({ op: 'upsert', changes: upserts(0, 1) }, recordingContext());
    await sink.apply({ op: 'upsert', changes: upserts(1, 2) }, recordingContext());
    const error = await failureOf(sink.apply({ op: 'upsert', changes: upserts(2, 3) }, recordingContext()));
    expect(error.details).toMatchObject({ throttled: true, retryAfterMs: 60_000 });
    expect(simulator.view.stats()).toMatchObject({ requests: 3, rateLimited: 1 });
  });

  it('fails every change of a batch Segment answers 400 as permanent', async () => {
    const simulator = await start({ limits: { requests: 100_000, maxRequestBytes: 2_048 } });
    const sink = sinkFor(simulator);
    const results = await sink.apply({ op: 'upsert', changes: upserts(0, 20) }, recordingContext());
    expect(results).toHaveLength(20);
    for (const result of results) expect(result).toMatchObject({ status: 'failed', error: { kind: 'permanent', code: 'segment.batch_rejected', message: expect.stringContaining('Exceed payload limit') as string } });
    expect(simulator.view.users().size).toBe(0);
  });

  it('stops on a wrong write key with a config error', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator, { write_key: 'not-the-key' });
    const error = await failureOf(sink.apply({ op: 'upsert', changes: upserts(0, 3) }, recordingContext()));
    expect(error).toMatchObject({ kind: 'config', code: 'segment.unauthorized' });
    expect(error.message).not.toContain('not-the-key');
  });

  it('turns a server error or an unreachable host into a retryable failure of the whole call', async () => {
    const simulator = await start();
    simulator.view.setFaults({ serverErrorRate: 1 });
    expect(await failureOf(sinkFor(simulator).apply({ op: 'upsert', changes: upserts(0, 3) }, recordingContext()))).toMatchObject({ kind: 'retryable', code: 'segment.unavailable' });
    expect(simulator.view.stats()).toMatchObject({ requests: 1, serverErrors: 1 });
    const closed = await start();
    const unreachable = sinkFor(closed);
    await closed.stop();
    running.splice(running.indexOf(closed), 1);
    expect(await failureOf(unreachable.apply({ op: 'upsert', changes: upserts(0, 3) }, recordingContext()))).toMatchObject({ kind: 'retryable', code: 'segment.network' });
  });

  it('replays a batch without double-counting: the same messageIds are dropped by Segment', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    const clock = () => 1_700_000_000_000;
    const batch = { op: 'upsert' as const, changes: upserts(0, 50) };
    await sink.apply(batch, { ...recordingContext(clock), runId: 'run-1' });
    // The answer was lost (a timeout after Segment took the batch): the run retries it, an hour later even.
    const replayed = await createSegmentSink(simulator.sinkConfig).apply(batch, { ...recordingContext(() => clock() + 3_600_000), runId: 'run-1' });
    expect(replayed.every((result) => result.status === 'applied')).toBe(true);
    expect(simulator.view.eventCounts()).toEqual({ identifies: 50, otherEvents: 0, deduplicated: 50 });
    expect([...simulator.view.messageCounts().values()].every((count) => count === 2)).toBe(true);
  });

  it('does not lose a return to earlier values (A → B → A) on a later sync, however soon', async () => {
    const simulator = await start();
    const sink = sinkFor(simulator);
    // Three syncs a second apart (the old 10-minute window dropped the third as a replay of the first).
    const at = (seconds: number) => () => 1_700_000_000_000 + seconds * 1_000;
    for (const [run, op] of [[0, 'list-add'], [1, 'list-remove'], [2, 'list-add']] as const) {
      await sink.apply({ op, list: 'champions', changes: membership(op, [1]) }, { ...recordingContext(at(run)), runId: `run-${run}` });
    }
    expect(simulator.view.users().get('user-1')).toEqual({ champions: true });
  });

  it('serves concurrent batches with separate SDK instances, each request carrying only its own events', async () => {
    const simulator = await start({ limits: { requests: 100_000, latencyMs: 20 } });
    const sink = sinkFor(simulator);
    const batches = Array.from({ length: 8 }, (_, index) => upserts(index * 60, index * 60 + 60));
    const results = await Promise.all(batches.map((changes) => sink.apply({ op: 'upsert', changes }, recordingContext())));
    expect(results.flat().filter((result) => result.status === 'applied')).toHaveLength(480);
    expect(simulator.view.stats().requests).toBe(8);
    await sink.close?.();
    sinks.splice(sinks.indexOf(sink), 1);
  });
});
