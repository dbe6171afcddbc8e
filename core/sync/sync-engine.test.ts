import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors/connector-error.js';
import { openEphemeralStateStore } from '../store/state/open-state-store.js';
import type { SinkAccountState } from '../store/state/sink-account-state.js';
import { fingerprint } from './change-fingerprint.js';
import { AccountQueue } from './delivery/account-queue.js';
import { executeChanges } from './record-sync.js';
import { MemorySink } from './memory-sink.test-support.js';
import { planSync, type DesiredRecord } from './planner.js';
import { DEFAULT_RETRY_POLICY } from './delivery/retry-policy.js';

const now = () => Date.parse('2026-11-25T12:00:00Z');
const desired = (index: number, lists: string[], tier = 'gold'): DesiredRecord => ({
  profileId: `u:${index}`, key: `p${index}@example.com`, properties: { tier, score: index }, lists: new Set(lists),
});

async function sync(sink: MemorySink, store: SinkAccountState, records: DesiredRecord[], mode: 'sync' | 'additive' | 'enrich' = 'sync') {
  await store.reconcileKeys(records);
  const parked = await store.parkedFingerprints();
  const plan = planSync({ mode, desired: records, acked: await store.loadAcked(), isParked: (change) => parked.has(fingerprint(change)) });
  await store.forget(plan.forget);
  const queue = new AccountQueue(sink.capabilities());
  const result = await executeChanges(plan.changes, {
    sink, sinkId: 'crm', runId: 'r', state: store, queue, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }, random: () => 0.5,
    sleep: () => Promise.resolve(), now, signal: new AbortController().signal,
  });
  await queue.close();
  return { plan, result };
}

function setup() {
  const db = openEphemeralStateStore(now);
  return { db, store: db.account('memory:crm'), sink: new MemorySink() };
}

describe('sync engine (planner + executor + acknowledged state)', () => {
  it('creates, then sends nothing for unchanged records, then only the churn', async () => {
    const { store, sink } = setup();
    const people = Array.from({ length: 35 }, (_, index) => desired(index, index % 2 === 0 ? ['vip'] : []));
    const first = await sync(sink, store, people);
    expect(first.result.applied).toBe(35 + 18);
    expect(sink.records.size).toBe(35);
    expect(sink.lists.get('vip')?.size).toBe(18);
    expect(sink.calls).toBe(4 + 1);

    const again = await sync(sink, store, people);
    expect(again.plan.changes).toHaveLength(0);
    expect(again.plan.unchanged).toBe(35);

    const churned = people.map((person, index) => (index < 4 ? desired(index, index % 2 === 0 ? [] : ['vip'], 'silver') : person));
    const third = await sync(sink, store, churned);
    expect(third.plan.counts).toMatchObject({ upsert: 4, 'list-add': 2, 'list-remove': 2 });
    expect([...(sink.lists.get('vip') ?? [])].sort()).toEqual(people.filter((_, index) => index >= 4 && index % 2 === 0).map((p) => p.key).concat(['p1@example.com', 'p3@example.com']).sort());
    expect(sink.creates).toBe(35);
  });

  it('never removes a membership it did not add, and additive mode removes nothing', async () => {
    const { store, sink } = setup();
    sink.lists.set('vip', new Set(['someone-else@example.com']));
    await sync(sink, store, [desired(1, ['vip'])]);
    await sync(sink, store, [desired(1, [])], 'additive');
    expect(sink.lists.get('vip')).toEqual(new Set(['someone-else@example.com', 'p1@example.com']));
    await sync(sink, store, [desired(1, [])]);
    expect(sink.lists.get('vip')).toEqual(new Set(['someone-else@example.com']));
  });

  it('enrich mode updates existing records and never creates', async () => {
    const { store, sink } = setup();
    sink.records.set('p1@example.com', { id: '77', properties: {} });
    const { result } = await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])], 'enrich');
    expect(sink.records.size).toBe(1);
    expect(sink.records.get('p1@example.com')?.properties).toEqual({ tier: 'gold', score: 1 });
    expect(result.byOp.update).toMatchObject({ applied: 1, skipped: 1 });
    // Memberships follow once the record is known to exist.
    await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])], 'enrich');
    expect(sink.lists.get('vip')).toEqual(new Set(['p1@example.com']));
  });

  it('throttling waits do not use up attempts; exhausted 5xx retries leave the change for the next run', async () => {
    const { store, sink } = setup();
    for (let index = 0; index < 8; index++) sink.failNext.push(new ConnectorError('retryable', 'memory.throttled', 'slow down', { throttled: true, retryAfterMs: 1 }));
    const throttled = await sync(sink, store, [desired(1, [])]);
    expect(throttled.result.applied).toBe(1);
    expect(throttled.result.throttled).toBe(8);

    for (let index = 0; index < 3; index++) sink.failNext.push(new ConnectorError('retryable', 'memory.unavailable', 'HTTP 503'));
    const failing = await sync(sink, store, [desired(1, [], 'silver')]);
    expect(failing.result.failed).toBe(1);
    expect(sink.records.get('p1@example.com')?.properties.tier).toBe('gold');
    const next = await sync(sink, store, [desired(1, [], 'silver')]);
    expect(next.result.applied).toBe(1);
    expect(sink.records.get('p1@example.com')?.properties.tier).toBe('silver');
  });

  it('sends vendor rejections to the dead-letter queue once, and re-sends when the record changes', async () => {
    const { db, store, sink } = setup();
    sink.rejectKeys.add('p2@example.com');
    const first = await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])]);
    expect(first.result.deadLettered).toBe(1);
    expect(first.result.blocked).toBe(1);
    const letters = (await db.deadLetters.open()).map(({ profileId, op, errorCode, errorMessage }) => ({ profileId, op, errorCode, errorMessage }));
    expect(letters).toEqual([{ profileId: 'u:2', op: 'upsert', errorCode: 'memory.invalid', errorMessage: 'record u:2 rejected: invalid value' }]);
    const second = await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])]);
    expect(second.plan.parked).toBe(1);
    expect(sink.calls).toBe(2); // the second run sent nothing: the rejected upsert is parked, its list-add blocked
    sink.rejectKeys.clear();
    await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'], 'silver')]);
    expect(sink.lists.get('vip')).toEqual(new Set(['p1@example.com', 'p2@example.com']));
    expect(await db.deadLetters.open()).toEqual([]);
  });

  it('bad credentials stop the run with the reason and acknowledge nothing', async () => {
    const { store, sink } = setup();
    sink.failNext.push(new ConnectorError('config', 'memory.auth', 'the access token was rejected; set MEMORY_TOKEN'));
    const { result } = await sync(sink, store, [desired(1, [])]);
    expect(result.stopped).toMatch(/access token was rejected/);
    // Nothing confirmed; the values it was about to send are remembered as "maybe sent".
    expect((await store.loadAcked()).get('u:1')).toMatchObject({ properties: null, pendingProperties: { tier: 'gold', score: 1 } });
  });

  it('a membership sent but never acknowledged (crash) is removed later if no longer wanted', async () => {
    const { store, sink } = setup();
    await sync(sink, store, [desired(1, [])]);
    // Simulate the crash window: the add reached the vendor, the process died before the acknowledgement.
    const plan = planSync({ mode: 'sync', desired: [desired(1, ['vip'])], acked: (await store.loadAcked()) });
    const add = plan.changes.filter((change) => change.op === 'list-add');
    await store.markPending(add);
    sink.lists.set('vip', new Set(['p1@example.com']));
    await sync(sink, store, [desired(1, [])]);
    expect(sink.lists.get('vip')?.size).toBe(0);
    expect((await store.loadAcked()).get('u:1')?.lists.size).toBe(0);
  });

  it('a profile that loses its email has its memberships removed and its values cleared', async () => {
    const { store, sink } = setup();
    await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])]);
    await sync(sink, store, [desired(1, ['vip'])]);
    expect(sink.lists.get('vip')).toEqual(new Set(['p1@example.com']));
    expect(sink.records.get('p2@example.com')?.properties).toEqual({ tier: null, score: null });
    const after = await sync(sink, store, [desired(1, ['vip'])]);
    expect(after.plan.changes).toHaveLength(0);
  });

  it('an erased key is deleted in every mode, or emptied where the vendor cannot delete', async () => {
    const { store, sink } = setup();
    await sync(sink, store, [desired(1, ['vip']), desired(2, ['vip'])]);
    const acked = (await store.loadAcked());
    const erased = (key: string) => key === 'p2@example.com';
    const deleting = planSync({ mode: 'additive', desired: [desired(1, ['vip'])], acked, isErased: erased, canDelete: true });
    expect(deleting.changes.map((change) => `${change.op} ${change.record.key}`)).toEqual(['delete p2@example.com']);
    const emptying = planSync({ mode: 'sync', desired: [desired(1, ['vip'])], acked, isErased: erased, canDelete: false });
    expect(emptying.changes.map((change) => change.op).sort()).toEqual(['list-remove', 'update']);
  });

  it('a new email: the old record leaves the lists (even after an interrupted run), the new one joins', async () => {
    const { store, sink } = setup();
    await sync(sink, store, [desired(1, ['vip'])]);
    const moved = { ...desired(1, ['vip']), key: 'new1@example.com' };
    // Interrupted right after the new record's upsert: the removal from the old record never ran.
    await store.reconcileKeys([moved]);
    const plan = planSync({ mode: 'sync', desired: [moved], acked: (await store.loadAcked()) });
    const upsert = plan.changes.find((change) => change.op === 'upsert')!;
    await store.acknowledge([{ change: upsert, vendorId: '99' }]);
    sink.records.set('new1@example.com', { id: '99', properties: { ...moved.properties } });
    await sync(sink, store, [moved]);
    expect(sink.lists.get('vip')).toEqual(new Set(['new1@example.com']));
    expect(sink.records.get('p1@example.com')?.properties).toEqual({ tier: null, score: null });
  });

  it('a shared email taken over by another profile hands over the memberships, so stale ones are removed', async () => {
    const { store, sink } = setup();
    await sync(sink, store, [desired(1, ['a', 'b'])]);
    const takeover = { ...desired(2, ['a']), key: 'p1@example.com' };
    const { plan } = await sync(sink, store, [takeover]);
    // Its values are rewritten (score 2), membership b goes; nothing is created or added.
    expect(plan.changes.map((change) => change.op).sort()).toEqual(['list-remove', 'upsert']);
    expect(sink.lists.get('a')).toEqual(new Set(['p1@example.com']));
    expect(sink.lists.get('b')?.size).toBe(0);
    expect(sink.creates).toBe(1);
  });

  it('a whole call refused for one bad record is bisected: only that record is dead-lettered', async () => {
    const { db, store, sink } = setup();
    const original = sink.apply.bind(sink);
    sink.apply = (batch, context) =>
      batch.changes.some((change) => change.record.key === 'p3@example.com')
        ? Promise.reject(new ConnectorError('permanent', 'memory.bad_request', 'HTTP 400: one input is invalid'))
        : original(batch, context);
    const { result } = await sync(sink, store, Array.from({ length: 8 }, (_, index) => desired(index, [])));
    expect(result.deadLettered).toBe(1);
    expect(result.byOp.upsert.applied).toBe(7);
    expect((await db.deadLetters.open()).map((letter) => letter.profileId)).toEqual(['u:3']);
  });

  it('per-record throttling waits the vendor\'s time by pausing the account, without using attempts', async () => {
    const { store, sink } = setup();
    let throttledOnce = false;
    const original = sink.apply.bind(sink);
    sink.apply = async (batch, context) => {
      if (!throttledOnce) {
        throttledOnce = true;
        return batch.changes.map(() => ({ status: 'failed' as const, error: new ConnectorError('retryable', 'memory.slow', 'slow down', { throttled: true, retryAfterMs: 120 }) }));
      }
      return original(batch, context);
    };
    const started = performance.now();
    const { result } = await sync(sink, store, [desired(1, [])]);
    expect(result.applied).toBe(1);
    expect(result.throttled).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});
