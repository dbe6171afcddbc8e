import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../compile-triggers.js';
import type { DefinitionOf, TriggerEvent } from '../trigger-types.js';
import { absenceInitialState, absenceStep } from './absence-trigger.js';

const MINUTE = 60_000;
const DEFINITION: DefinitionOf<'absence'> = {
  kind: 'absence',
  id: 'cart',
  purpose: 'marketing',
  cooldownMs: 0,
  latenessMs: 5 * MINUTE,
  actions: [],
  eventPaths: ['event.properties.cart_id'],
  after: compileMatcher(['Product Added', 'Checkout Started']),
  absent: compileMatcher('Order Completed'),
  withinMs: 30 * MINUTE,
  key: 'cart_id',
};
const event = (name: string, timestamp: number, properties: TriggerEvent['properties'] = {}): { type: 'event'; event: TriggerEvent } => ({
  type: 'event',
  event: { messageId: `${name}-${timestamp}`, type: 'track', event: name, timestamp, properties },
});
const context = { watermark: 0 };

describe('absence as a pure function', () => {
  it('opens one wait per cart from its first event, and fires it on its timer', () => {
    const first = absenceStep(DEFINITION, absenceInitialState(), event('Product Added', 0, { cart_id: 'c1' }), context);
    expect(first.setTimers).toEqual([{ id: '0|c1', dueAt: 30 * MINUTE }]);
    const second = absenceStep(DEFINITION, first.state, event('Checkout Started', 10 * MINUTE, { cart_id: 'c1' }), context);
    expect(second.setTimers).toEqual([]); // the wait counts from the first event
    const fired = absenceStep(DEFINITION, second.state, { type: 'timer', timerId: '0|c1', dueAt: 30 * MINUTE }, context);
    expect(fired.firings).toEqual([{ matchKey: 'c1', anchorAt: 0, occurredAt: 30 * MINUTE, dueAt: 30 * MINUTE, fields: { 'event.properties.cart_id': 'c1' } }]);
    expect(fired.state.waits).toEqual({});
  });

  it('cancels only waits the order falls inside; an order without a cart id answers every cart', () => {
    let state = absenceInitialState();
    state = absenceStep(DEFINITION, state, event('Product Added', 0, { cart_id: 'c1' }), context).state;
    state = absenceStep(DEFINITION, state, event('Product Added', 5 * MINUTE, { cart_id: 'c2' }), context).state;
    const keyed = absenceStep(DEFINITION, state, event('Order Completed', 10 * MINUTE, { cart_id: 'c2' }), context);
    expect(keyed.cancelTimers).toEqual([`${5 * MINUTE}|c2`]);
    const unkeyed = absenceStep(DEFINITION, keyed.state, event('Order Completed', 20 * MINUTE), context);
    expect(unkeyed.cancelTimers).toEqual(['0|c1']);
    const afterWindow = absenceStep(DEFINITION, absenceStep(DEFINITION, absenceInitialState(), event('Product Added', 0, { cart_id: 'c3' }), context).state, event('Order Completed', 31 * MINUTE), context);
    expect(afterWindow.cancelTimers).toEqual([]);
  });

  it('moves a wait back when an earlier add-to-cart arrives late', () => {
    const later = absenceStep(DEFINITION, absenceInitialState(), event('Checkout Started', 10 * MINUTE, { cart_id: 'c1' }), context);
    const early = absenceStep(DEFINITION, later.state, event('Product Added', 2 * MINUTE, { cart_id: 'c1' }), context);
    expect(early.cancelTimers).toEqual([`${10 * MINUTE}|c1`]);
    expect(early.setTimers).toEqual([{ id: `${2 * MINUTE}|c1`, dueAt: 32 * MINUTE }]);
  });
});
