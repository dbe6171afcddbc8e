import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors/connector-error.js';
import { openEphemeralStateStore } from '../store/state/open-state-store.js';
import type { StateStore } from '../store/state/state-store.js';
import { AccountQueue } from '../sync/delivery/account-queue.js';
import { DEFAULT_RETRY_POLICY } from '../sync/delivery/retry-policy.js';
import type { ActionCapability, ChangeResult, SinkAction, SinkRecordRef } from '../sync/sink.js';
import { drainOutbox, type ActionSinkBinding } from './deliver-actions.js';
import type { OutgoingAction } from './engine-records.js';

/** A vendor that records what it got; a scripted answer per call. */
function vendor(answer: (actions: readonly SinkAction[]) => ChangeResult[] | Error) {
  const calls: SinkAction[][] = [];
  const capability: ActionCapability = {
    kinds: ['memory:event'],
    maxBatch: 3,
    deliver: (actions) => {
      calls.push([...actions]);
      const result = answer(actions);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  return { capability, calls };
}

function action(index: number, overrides: Partial<OutgoingAction> = {}): OutgoingAction {
  return {
    id: `action-${index}`, firingId: `firing-${index}`, triggerId: 'cart', profileId: `u:${index}`, purpose: 'Marketing', sink: 'crm', kind: 'memory:event', target: 'cart_abandoned',
    payload: { cart_id: `c${index}` }, matchKey: `c${index}`, anchorAt: 1_000 * index, occurredAt: 1_000 * index + 1_800_000, dueAt: 1_000 * index + 1_800_000, deferredUntil: undefined, firedAt: 5_000_000,
    ...overrides,
  };
}

describe('draining the trigger outbox', () => {
  let state: StateStore;
  let clock = 10_000_000;
  const queues: AccountQueue[] = [];
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    await state.close();
  });

  async function setUp(actions: OutgoingAction[], capability: ActionCapability, records: (ids: readonly string[]) => Map<string, SinkRecordRef> = (ids) => new Map(ids.map((id) => [id, { profileId: id, key: `${id.slice(2)}@shop.test` }]))) {
    state = openEphemeralStateStore(() => clock);
    await state.triggers.commit({ clock: { eventTime: clock }, profiles: [], outbox: actions, held: [] });
    const queue = new AccountQueue({ rateLimit: null, concurrency: 2 });
    queues.push(queue);
    const binding: ActionSinkBinding = { sinkId: 'crm', actions: capability, queue, missing: 'the profile has no email', records: (ids) => Promise.resolve(records(ids)) };
    return (sinks: Map<string, ActionSinkBinding> = new Map([['crm', binding]])) => drainOutbox({
      outbox: state.actions, sinks, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1 }, random: () => 0, sleep: () => Promise.resolve(), now: () => clock, signal: new AbortController().signal,
    });
  }

  it('delivers each owed action once, in calls of the sink\'s batch size, with the vendor record and the event time', async () => {
    const { capability, calls } = vendor((actions) => actions.map(() => ({ status: 'applied' })));
    const drain = await setUp([1, 2, 3, 4, 5].map((index) => action(index)), capability);
    expect(await drain()).toMatchObject({ delivered: 5, skipped: 0, dead: 0, retrying: 0 });
    expect(calls.map((call) => call.length)).toEqual([3, 2]);
    expect(calls[0]?.[0]).toMatchObject({ id: 'action-1', target: 'cart_abandoned', record: { profileId: 'u:1', key: '1@shop.test' }, occurredAt: new Date(1_801_000).toISOString(), properties: { cart_id: 'c1' } });
    // Nothing is owed any more: a second drain sends nothing.
    expect(await drain()).toMatchObject({ delivered: 0 });
    expect(calls).toHaveLength(2);
  });

  it('dead-letters a refused action with a masked reason, skips a profile without a record, and keeps the rest flowing', async () => {
    const { capability } = vendor((actions) => actions.map((sent): ChangeResult => sent.id === 'action-2'
      ? { status: 'failed', error: new ConnectorError('permanent', 'memory.invalid', `Contact ann.lee@shop.test (+49 151 2345 6789) is invalid`) }
      : { status: 'applied' }));
    const drain = await setUp([1, 2, 3].map((index) => action(index)), capability, (ids) => new Map(ids.filter((id) => id !== 'u:3').map((id) => [id, { profileId: id, key: id }])));
    expect(await drain()).toMatchObject({ delivered: 1, skipped: 1, dead: 1 });
    const dead = await state.actions.dead();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id: 'action-2', sink: 'crm', triggerId: 'cart' });
    expect(dead[0]?.detail).toContain('memory.invalid');
    expect(dead[0]?.detail).not.toMatch(/ann\.lee|2345/);
    expect(await state.actions.counts()).toEqual([
      { sink: 'crm', triggerId: 'cart', outcome: 'dead', count: 1 },
      { sink: 'crm', triggerId: 'cart', outcome: 'delivered', count: 1 },
      { sink: 'crm', triggerId: 'cart', outcome: 'skipped', count: 1 },
    ]);
  });

  it('keeps an action owed through a vendor outage, backs it off between drains, and sends it once the vendor is back', async () => {
    let down = true;
    const { capability, calls } = vendor((actions) => (down ? new ConnectorError('retryable', 'memory.unavailable', 'service unavailable') : actions.map(() => ({ status: 'applied' }))));
    const drain = await setUp([action(1)], capability);
    expect(await drain()).toMatchObject({ delivered: 0, retrying: 1 });
    const tries = calls.length;
    // Held back: a drain right away does not call the vendor again.
    expect(await drain()).toMatchObject({ delivered: 0, retrying: 0 });
    expect(calls).toHaveLength(tries);
    down = false;
    clock += 60_000;
    expect(await drain()).toMatchObject({ delivered: 1 });
  });

  it('dead-letters what no sink of the mapping can deliver, naming why', async () => {
    const { capability, calls } = vendor((actions) => actions.map(() => ({ status: 'applied' })));
    const drain = await setUp([action(1, { sink: 'old_crm' }), action(2, { kind: 'memory:campaign' })], capability);
    expect(await drain()).toMatchObject({ dead: 2, delivered: 0 });
    expect(calls).toHaveLength(0);
    expect((await state.actions.dead()).map((row) => row.detail)).toEqual([
      'sink "old_crm" is no longer in the mapping',
      'sink "crm" has no action kind "memory:campaign" (it has: memory:event)',
    ]);
  });

  it('forgets an erased profile entirely: its owed actions, timers and trigger state', async () => {
    const { capability } = vendor((actions) => actions.map(() => ({ status: 'applied' })));
    await setUp([action(1), action(2)], capability);
    await state.triggers.commit({
      clock: { eventTime: clock },
      profiles: [{ profileId: 'u:1', state: { kinds: {}, guards: { lastSentAt: {}, sentAt: [] }, seen: [] }, setTimers: [{ profileId: 'u:1', triggerId: 'cart', timerId: 'c1', dueAt: clock + 1, fireAt: clock + 2 }], cancelTimers: [] }],
      outbox: [], held: [],
    });
    expect(await state.actions.eraseProfiles(['u:1'])).toBe(3);
    expect((await state.triggers.outbox()).map((row) => row.profileId)).toEqual(['u:2']);
    expect(await state.triggers.pendingTimers()).toEqual([]);
    expect((await state.triggers.loadProfiles(['u:1'])).size).toBe(0);
  });
});
