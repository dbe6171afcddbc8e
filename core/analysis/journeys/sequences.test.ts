import { describe, expect, it } from 'vitest';
import { assertValidSequences, collapseRepeats, mapEventsToStates, type EventSequences } from './sequences.js';

const MAPPING = {
  'Product Viewed': 'view',
  'Product Added': 'cart',
  'Checkout Started': 'checkout',
  'Order Completed': 'purchase',
};

// Three journeys: a shopper with a page ping in between, a visitor with only pings, a bare add-to-cart.
const EVENTS: EventSequences = {
  eventNames: ['Product Viewed', 'Page Ping', 'Product Added', 'Order Completed'],
  events: Int32Array.from([0, 1, 0, 2, 3, 1, 1, 2]),
  offsets: Int32Array.from([0, 5, 7, 8]),
  timestamps: Float64Array.from([10, 11, 12, 13, 14, 20, 21, 30]),
};

describe('mapEventsToStates', () => {
  it('maps events to states in mapping order and drops unmapped events', () => {
    const states = mapEventsToStates(EVENTS, MAPPING);
    expect(states.stateNames).toEqual(['view', 'cart', 'checkout', 'purchase']);
    expect([...states.states]).toEqual([0, 0, 1, 3, 1]);
    expect([...states.offsets]).toEqual([0, 4, 4, 5]);
    expect([...(states.timestamps ?? [])]).toEqual([10, 12, 13, 14, 30]);
  });

  it('merges repeats that become adjacent once unmapped events are gone, keeping the first time', () => {
    const states = mapEventsToStates(EVENTS, MAPPING, { collapseRepeats: true });
    expect([...states.states]).toEqual([0, 1, 3, 1]);
    expect([...(states.timestamps ?? [])]).toEqual([10, 13, 14, 30]);
  });

  it('rejects an event code outside the name table', () => {
    expect(() => mapEventsToStates({ ...EVENTS, events: Int32Array.from([0, 9, 0, 2, 3, 1, 1, 2]) }, MAPPING)).toThrow(/event code 9/);
  });
});

describe('collapseRepeats', () => {
  it('keeps a state that returns after another (view, cart, view)', () => {
    const collapsed = collapseRepeats({ states: Int32Array.from([0, 0, 1, 0, 0]), offsets: Int32Array.from([0, 5]), stateNames: ['view', 'cart'] });
    expect([...collapsed.states]).toEqual([0, 1, 0]);
  });

  it('does not merge across sequence boundaries', () => {
    const collapsed = collapseRepeats({ states: Int32Array.from([0, 0]), offsets: Int32Array.from([0, 1, 2]), stateNames: ['view'] });
    expect([...collapsed.offsets]).toEqual([0, 1, 2]);
  });
});

describe('assertValidSequences', () => {
  it('names the broken invariant', () => {
    const stateNames = ['view'];
    expect(() => assertValidSequences({ states: Int32Array.from([0]), offsets: Int32Array.from([0, 2]), stateNames }, 'test')).toThrow(/last offset/);
    expect(() => assertValidSequences({ states: Int32Array.from([3]), offsets: Int32Array.from([0, 1]), stateNames }, 'test')).toThrow(/states\[0\] = 3/);
    expect(() =>
      assertValidSequences({ states: Int32Array.from([0]), offsets: Int32Array.from([0, 1]), stateNames, timestamps: new Float64Array(2) }, 'test'),
    ).toThrow(/aligned/);
  });
});
