import { DAY, HUBSPOT_EVENT, MARKETO_CAMPAIGN, MINUTE, T0, compile, track } from './trigger-fixtures.test-support.js';
import type { TriggerProfile } from './guards/guard-types.js';
import type { TriggerProfileLookup } from './trigger-engine.js';
import type { ProfileEvent } from './trigger-types.js';

/** Five triggers with every guard on, over a generated week of shop traffic: shared by the replay and dry-run tests. */
export const MIXED_TRIGGERS = compile({
  allowed_lateness: '5m',
  frequency_cap: { max: 2, per: '1d' },
  quiet_hours: { start: '21:00', end: '08:00', default_timezone: 'Europe/Berlin' },
  rules: [
    { id: 'abandoned_cart', kind: 'absence', purpose: 'marketing', after: ['Product Added', 'Checkout Started'], absent: 'Order Completed', within: '30m', key: 'cart_id', cooldown: '12h', actions: [HUBSPOT_EVENT, MARKETO_CAMPAIGN] },
    { id: 'looked_again', kind: 'repetition', purpose: 'marketing', event: { event: 'Product Viewed', where: { price: { gte: 100 } } }, at_least: 3, within: 'session', actions: [MARKETO_CAMPAIGN] },
    { id: 'shoes_then_cart', kind: 'sequence', purpose: 'marketing', first: { event: 'Product Viewed', where: { category: 'shoes' } }, then: 'Product Added', without: 'Order Completed', within: '10m', actions: [HUBSPOT_EVENT] },
    { id: 'gone_quiet', kind: 'inactivity', purpose: 'retention', inactive_for: '3d', actions: [HUBSPOT_EVENT] },
  ],
});

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Sessions of browsing, carts and orders for `profiles` shoppers over a week, in arrival order (some events late within the lateness). */
export function mixedHistory(seed: number, profiles: number): { stream: ProfileEvent[]; end: number } {
  const random = mulberry32(seed);
  const arrivals: { arrival: number; order: number; event: ProfileEvent }[] = [];
  let end = T0;
  for (let index = 0; index < profiles; index++) {
    const profileId = `p${index}`;
    let time = T0 + Math.floor(random() * DAY);
    for (let session = 0; session < 1 + Math.floor(random() * 5); session++) {
      const cartId = `cart-${index}-${session}`;
      for (let step = 0; step < 3 + Math.floor(random() * 8); step++) {
        time += 20_000 + Math.floor(random() * 4 * MINUTE);
        const roll = random();
        const product = Math.floor(random() * 6);
        const properties = { product_id: `sku${product}`, price: product * 40, category: product % 2 === 0 ? 'shoes' : 'bags', cart_id: cartId };
        const name = roll < 0.6 ? 'Product Viewed' : roll < 0.85 ? 'Product Added' : roll < 0.92 ? 'Checkout Started' : 'Order Completed';
        const event = track(profileId, name, time, properties, `${profileId}-${session}-${step}`);
        const delay = random() < 0.2 ? Math.floor(random() * (5 * MINUTE - 1_000)) : 0;
        arrivals.push({ arrival: time + delay, order: arrivals.length, event });
      }
      time += Math.floor(random() * 2 * DAY);
    }
    end = Math.max(end, time);
  }
  arrivals.sort((left, right) => left.arrival - right.arrival || left.order - right.order);
  return { stream: arrivals.map((entry) => entry.event), end };
}

/** A fifth without marketing consent, a few erased, zones split between Berlin and New York. */
export const MIXED_PROFILES: TriggerProfileLookup = {
  lookup(ids) {
    const found = new Map<string, TriggerProfile>();
    for (const id of ids) {
      const number = Number(id.slice(1));
      found.set(id, {
        timeZone: number % 2 === 0 ? 'Europe/Berlin' : 'America/New_York',
        consent: { marketing: number % 5 !== 0, retention: number % 3 !== 0 },
        suppressed: number % 17 === 0,
        traits: { email: `${id}@example.com` },
      });
    }
    return Promise.resolve(found);
  },
};

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let index = 0; index < items.length; index += size) batches.push(items.slice(index, index + size));
  return batches;
}
