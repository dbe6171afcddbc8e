import { describe, expect, it } from 'vitest';
import { DAY, HUBSPOT_EVENT, MARKETO_CAMPAIGN, MINUTE, T0, compile, engineFor, profileLookup, track } from './trigger-fixtures.test-support.js';
import type { ProfileEvent } from './trigger-types.js';

const TRIGGERS = compile({
  allowed_lateness: '5m',
  rules: [
    {
      id: 'abandoned_cart',
      kind: 'absence',
      purpose: 'marketing',
      after: ['Product Added', 'Checkout Started'],
      absent: 'Order Completed',
      within: '30m',
      key: 'cart_id',
      actions: [HUBSPOT_EVENT, MARKETO_CAMPAIGN],
    },
  ],
});

type Outcome = 'ordered' | 'ordered_late_arrival' | 'ordered_after_window' | 'abandoned';
const OUTCOMES: readonly Outcome[] = ['ordered', 'ordered_late_arrival', 'ordered_after_window', 'abandoned'];

/** Shoppers two minutes apart, so everyone else's events move the clock while a cart waits. */
function generateShoppers(count: number) {
  const arrivals: { arrival: number; event: ProfileEvent }[] = [];
  const truth: { profileId: string; cartId: string; outcome: Outcome; consents: boolean }[] = [];
  for (let index = 0; index < count; index++) {
    const profileId = `p${index}`;
    const cartId = `cart-${index}`;
    const outcome = OUTCOMES[(index * 7 + Math.floor(index / 4)) % OUTCOMES.length] as Outcome;
    const consents = index % 9 !== 4;
    truth.push({ profileId, cartId, outcome, consents });
    const start = T0 + index * 2 * MINUTE;
    const at = (event: ProfileEvent, delay = 0) => arrivals.push({ arrival: event.event.timestamp + delay, event });
    at(track(profileId, 'Product Added', start, { cart_id: cartId, price: 40 }));
    at(track(profileId, 'Product Added', start + 3 * MINUTE, { cart_id: cartId, price: 15 }));
    if (index % 2 === 0) at(track(profileId, 'Checkout Started', start + 6 * MINUTE, { cart_id: cartId }));
    // Order Completed carries no cart_id (as Segment's spec and our generator send it): it answers every cart of the shopper.
    if (outcome === 'ordered') at(track(profileId, 'Order Completed', start + 12 * MINUTE, { order_id: `o-${index}` }));
    // Happened at minute 29, arrives 4 minutes later: inside the 5-minute lateness, after the 30-minute wait ended.
    if (outcome === 'ordered_late_arrival') at(track(profileId, 'Order Completed', start + 29 * MINUTE, { order_id: `o-${index}` }), 4 * MINUTE);
    if (outcome === 'ordered_after_window') at(track(profileId, 'Order Completed', start + 41 * MINUTE, { order_id: `o-${index}` }));
  }
  arrivals.sort((left, right) => left.arrival - right.arrival);
  return { stream: arrivals.map((entry) => entry.event), truth, end: T0 + count * 2 * MINUTE + DAY };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

describe('abandoned cart (absence)', () => {
  it('fires exactly the consenting carts without an order inside the window, once per sink', async () => {
    const { stream, truth, end } = generateShoppers(240);
    const nonConsenting = Object.fromEntries(truth.filter((row) => !row.consents).map((row) => [row.profileId, { consent: { marketing: false } }]));
    const { engine, repository } = engineFor(TRIGGERS, { profiles: profileLookup(nonConsenting) });
    for (const batch of batches(stream, 37)) await engine.processEvents(batch);
    await engine.advanceTo(end);

    const fired = repository.outbox;
    const expected = truth.filter((row) => row.consents && (row.outcome === 'abandoned' || row.outcome === 'ordered_after_window'));
    expect(new Set(fired.map((action) => action.profileId))).toEqual(new Set(expected.map((row) => row.profileId)));
    expect(fired).toHaveLength(expected.length * 2);
    expect(new Set(fired.map((action) => action.id)).size).toBe(fired.length);
    expect(new Set(fired.filter((action) => action.sink === 'hubspot').map((action) => action.payload.cart_id))).toEqual(new Set(expected.map((row) => row.cartId)));

    const heldNoConsent = truth.filter((row) => !row.consents && (row.outcome === 'abandoned' || row.outcome === 'ordered_after_window'));
    expect(repository.heldByReason.get('no_consent')).toBe(heldNoConsent.length * 2);
    expect(repository.heldByReason.get('too_late')).toBeUndefined();
    expect(repository.pendingTimers()).toEqual([]);
  });

  it('records the wait start, the original due time and the wall-clock fire time', async () => {
    const { engine, repository, clock } = engineFor(TRIGGERS);
    await engine.processEvents([track('p1', 'Product Added', T0, { cart_id: 'c1' }), track('p1', 'Checkout Started', T0 + 10 * MINUTE, { cart_id: 'c1' })]);
    clock.set(T0 + 3 * DAY); // the engine was down; the timer fires on start with its due time
    const result = await engine.advanceTo(T0 + 3 * DAY);
    expect(result.actions).toHaveLength(2);
    expect(result.actions[0]).toMatchObject({ anchorAt: T0, dueAt: T0 + 30 * MINUTE, occurredAt: T0 + 30 * MINUTE, firedAt: T0 + 3 * DAY, matchKey: 'c1' });
    expect(result.actions[0]?.payload).toEqual({ cart_id: 'c1', email: 'shopper@example.com' });
    expect(repository.outbox).toHaveLength(2);
  });

  it('lets an order inside the lateness cancel the wait, and counts an order behind the watermark as too_late', async () => {
    const { engine, repository } = engineFor(TRIGGERS);
    await engine.processEvents([track('p1', 'Product Added', T0, { cart_id: 'c1' }), track('p2', 'Product Added', T0, { cart_id: 'c2' })]);
    // Other traffic moves the clock past the due time (T0+30m) but not past it plus the lateness.
    await engine.processEvents([track('p3', 'Page Viewed', T0 + 34 * MINUTE)]);
    expect(repository.outbox).toHaveLength(0);
    await engine.processEvents([track('p1', 'Order Completed', T0 + 29 * MINUTE)]);
    await engine.processEvents([track('p3', 'Page Viewed', T0 + 50 * MINUTE)]);
    expect(repository.outbox.map((action) => action.profileId)).toEqual(['p2', 'p2']);
    // p2's order happened at minute 20 but arrives when the watermark is at minute 45: too late to count.
    const late = await engine.processEvents([track('p2', 'Order Completed', T0 + 20 * MINUTE)]);
    expect(late.held).toEqual([expect.objectContaining({ reason: 'too_late', profileId: 'p2', watermark: T0 + 45 * MINUTE })]);
  });

  it('does not open a wait for a late add-to-cart that an already-seen order answers', async () => {
    const { engine, repository } = engineFor(TRIGGERS);
    await engine.processEvents([track('p1', 'Order Completed', T0 + 2 * MINUTE), track('p1', 'Product Added', T0, { cart_id: 'c1' })]);
    await engine.advanceTo(T0 + DAY);
    expect(repository.outbox).toHaveLength(0);
  });
});
